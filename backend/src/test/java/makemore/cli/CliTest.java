package makemore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int lab(String... argv) {
        return CliAccess.run(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), argv);
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonModePrintsOneObjectLastWithEveryEvaluation(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pets.txt");
        Files.writeString(data, "rex\nfido\nbella\nmax\nluna\ncharlie\nlucy\ncooper\ndaisy\nmilo\nbuddy\nrocky\n");
        int code = lab("train", "--model", "neural", "--steps", "50", "--evalEvery", "25", "--data", data.toString(),
                "--json", "--quiet");
        assertEquals(0, code, errText());
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        JsonNode o = Cli.JSON.readTree(lines[lines.length - 1]);
        assertEquals("neural", o.get("model").asText());
        assertEquals(50, o.get("steps").asInt());
        assertTrue(o.get("train").asDouble() > 0 && o.get("dev").asDouble() > 0);
        assertEquals(20, o.get("samples").size());
        assertEquals(4, o.get("evals").size(), "train and dev at steps 25 and 50: " + o.get("evals"));
        JsonNode last = o.get("evals").get(3);
        assertEquals(50, last.get("step").asInt());
        assertEquals(o.get("dev").asDouble(), o.get("evals").get(2).get("split").asText().equals("dev")
                ? o.get("evals").get(2).get("loss").asDouble() : last.get("loss").asDouble());
    }

    @Test
    void saveThenSample(@TempDir Path dir) {
        Path file = dir.resolve("m.bin");
        assertEquals(0, lab("train", "--model", "mlp", "--steps", "200", "--hidden", "16", "--save", file.toString(),
                "--quiet"), errText());
        out.reset();
        assertEquals(0, lab("sample", "--model-file", file.toString(), "--n", "5"), errText());
        assertEquals(5, out.toString(StandardCharsets.UTF_8).strip().split("\n").length);
    }

    @Test
    void usageErrorsExitTwoOnOneLineNamingTheProblemAndTheHelp() {
        assertEquals(2, lab("train", "--lr", "-3"));
        assertTrue(errText().contains("lr") && errText().contains("(0, 1000]") && errText().contains("-3"), errText());
        err.reset();
        assertEquals(2, lab("train", "--learningRate", "0.1"));
        assertTrue(errText().contains("--learningRate") && errText().contains("./lab train --help"), errText());
        assertEquals(1, errText().strip().split("\n").length, errText());
        err.reset();
        assertEquals(2, lab("train", "--steps", "many"));
        assertTrue(errText().contains("--steps") && errText().contains("many"), errText());
        err.reset();
        assertEquals(1, lab("train", "--data", "/no/such/file.txt"), "an unreadable --data file is exit 1");
        assertTrue(errText().contains("/no/such/file.txt") && errText().contains("not found"), errText());
    }
}
