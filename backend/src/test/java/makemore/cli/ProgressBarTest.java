package makemore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import makemore.config.RunConfig;
import makemore.event.RunEvent;
import makemore.model.Models;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    /** Off a terminal (as in a test or a log file) the bar is plain lines, at most one every 5 s, plus the last. */
    @Test
    void aNonTerminalGetsPlainLinesAtMostEveryFiveSeconds() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RunConfig cfg = Models.validate(RunConfig.fromJson("{\"model\":\"mlp\",\"steps\":1000}"));
        ProgressBar bar = new ProgressBar(cfg, new PrintStream(err, true, StandardCharsets.UTF_8));
        for (int step = 1; step <= 1000; step++) { // far faster than 5 s apart
            bar.accept(new RunEvent.Progress(step, 2.5, 0.1, 1e4));
        }
        bar.done();
        String[] lines = err.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(2, lines.length, "the first and the last: " + String.join(" | ", lines));
        assertTrue(!lines[0].contains("\r") && lines[1].contains("step 1000/1000"), lines[1]);
    }
}
