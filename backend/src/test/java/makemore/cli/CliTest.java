package makemore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int train(String... args) throws Exception {
        return Cli.train(Args.parse(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void jsonModePrintsOneObjectLast(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pets.txt");
        Files.writeString(data, "rex\nfido\nbella\nmax\nluna\ncharlie\nlucy\ncooper\ndaisy\nmilo\nbuddy\nrocky\n");
        int code = train("--model", "neural", "--steps", "50", "--data", data.toString(), "--json", "--quiet");
        assertEquals(0, code, err.toString());
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        JsonNode o = Cli.JSON.readTree(lines[lines.length - 1]);
        assertEquals("neural", o.get("model").asText());
        assertEquals(50, o.get("steps").asInt());
        assertTrue(o.get("train").asDouble() > 0 && o.get("dev").asDouble() > 0);
        assertEquals(20, o.get("samples").size());
    }

    @Test
    void saveThenSample(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.bin");
        assertEquals(0, train("--model", "mlp", "--steps", "200", "--hidden", "16", "--save", file.toString(), "--quiet"));
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        int code = Cli.sample(Args.parse(new String[] {"--model-file", file.toString(), "--n", "5"}),
                new PrintStream(s, true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        assertEquals(5, s.toString(StandardCharsets.UTF_8).strip().split("\n").length);
    }

    @Test
    void badValuesExitTwoNamingTheField() {
        PrintStream saved = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, Cli.run("train", new String[] {"--lr", "-3"}));
            assertTrue(e.toString().contains("lr") && e.toString().contains("(0, 1000]"), e.toString());
            assertEquals(2, Cli.run("train", new String[] {"--learningRate", "0.1"}));
            assertTrue(e.toString().contains("unknown option --learningRate"), e.toString());
            assertEquals(2, Cli.run("train", new String[] {"--data", "/no/such/file.txt"}));
            assertTrue(e.toString().contains("not found"), e.toString());
        } finally {
            System.setErr(saved);
        }
    }
}
