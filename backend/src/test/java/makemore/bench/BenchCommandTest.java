package makemore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import makemore.App;
import makemore.cli.LabCli;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
    /** A missing makemore.py is refused before anything runs, naming the flag, with exit status 2. */
    @Test
    void aMissingMakemoreIsAUsageError() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = App.run(new String[] {"bench", "--transformer", "--makemore", "/no/such/makemore.py"},
                new LabCli.Io(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8)));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, rc, text);
        assertTrue(text.contains("--makemore") && text.contains("/no/such/makemore.py"), text);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing ran");
    }
}
