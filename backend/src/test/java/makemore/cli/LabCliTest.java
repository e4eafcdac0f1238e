package makemore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import makemore.config.FieldSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command tree as a user meets it: help everywhere, suggestions, exit codes, runs from the terminal. */
class LabCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int lab(Map<String, String> env, String... argv) {
        out.reset();
        err.reset();
        return CliAccess.run(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), argv);
    }

    private int lab(String... argv) {
        return lab(Map.of(), argv);
    }

    private String outText() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Help text with its wrapping undone: one space wherever the layout put spaces or line breaks. */
    private static String flat(String s) {
        return s.replaceAll("\\s+", " ");
    }

    @Test
    void everyCommandHasHelpListingItsOptions() {
        CommandLine tree = LabCli.commandLine(new LabCli.Io(Map.of(), System.out, System.err), List.of());
        List<CommandLine> all = new ArrayList<>();
        tree.getSubcommands().values().forEach(c -> {
            all.add(c);
            all.addAll(c.getSubcommands().values());
        });
        assertTrue(all.size() >= 12, "serve, train, sample, sweep, eval, split, runs (ls, show, export), help,"
                + " completion: " + all.size());
        for (CommandLine c : all) {
            String path = c.getCommandSpec().qualifiedName(" ").replaceFirst("^lab ", "");
            if (path.equals("help")) {
                continue;
            }
            List<String> argv = new ArrayList<>(List.of(path.split(" ")));
            argv.add("--help");
            assertEquals(0, lab(argv.toArray(String[]::new)), path + ": " + errText());
            assertTrue(outText().startsWith("Usage: lab " + path), path + ": " + outText());
            for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
                assertTrue(outText().contains(o.longestName()), path + " --help lists " + o.longestName());
            }
        }
        assertEquals(0, lab("--help"));
        for (String cmd : List.of("serve", "train", "sample", "sweep", "eval", "split", "runs", "completion")) {
            assertTrue(outText().contains(cmd), "./lab --help lists " + cmd);
        }
        assertEquals(0, lab("help", "sweep"));
        assertTrue(outText().startsWith("Usage: lab sweep"), outText());
    }

    /** Each config field's help is its spec's own text, with the type, range and default of each model reading it. */
    @Test
    void aFieldsHelpIsItsSpecsText() {
        assertEquals(0, lab("train", "--help"));
        String help = flat(outText());
        String bare = outText().replaceAll("\\s", ""); // picocli may wrap inside "N(0, 1)" at the parenthesis
        ConfigOptions.byField().forEach((field, perModel) -> {
            assertTrue(help.contains("--" + field), field);
            for (var e : perModel.entrySet()) {
                FieldSpec f = e.getValue();
                assertTrue(bare.contains(f.help().replaceAll("\\s", "")), field + " (" + e.getKey() + "): " + f.help());
                if (f.type().equals("int") || f.type().equals("float")) {
                    assertTrue(help.contains((f.minOpen() ? "(" : "[") + FieldSpec.fmt(f.min()) + ", "
                            + FieldSpec.fmt(f.max()) + "]"), field + " shows its range");
                }
            }
        });
        assertTrue(help.contains("transformer: int in [1, 32], default 4"), "layers: the models reading it and"
                + " their default: " + help.substring(help.indexOf("--layers"), help.indexOf("--layers") + 200));
    }

    @Test
    void typosGetSuggestionsOnOneLineWithExitTwo() {
        assertEquals(2, lab("trian"));
        assertTrue(errText().contains("did you mean train?"), errText());
        assertEquals(1, errText().strip().split("\n").length, errText());
        assertEquals(2, lab("train", "--stepz", "10"));
        assertTrue(errText().contains("--stepz") && errText().contains("did you mean --steps"), errText());
        assertTrue(errText().contains("see './lab train --help'"), errText());
        assertEquals(1, errText().strip().split("\n").length, errText());
        assertEquals(2, lab("runs", "lss"));
        assertTrue(errText().contains("did you mean ls?") && errText().contains("./lab runs --help"), errText());
        assertEquals(2, lab("train", "--context", "2.5"));
        assertTrue(errText().contains("--context") && errText().contains("2.5"), errText());
        assertEquals(2, lab("sweep", "--model", "mlp")); // no --param: one plain line, not "error: Error: ..."
        assertTrue(errText().startsWith("error: Missing required argument(s): (--param"), errText());
    }

    @Test
    void exitCodesZeroOneTwo(@TempDir Path dir) {
        assertEquals(0, lab("train", "--model", "ngram", "--quiet"), errText());
        assertEquals(1, lab("train", "--model", "mlp", "--lr", "1000", "--steps", "300", "--quiet"),
                "a diverged run did not finish: " + outText());
        assertTrue(outText().startsWith("diverged"), outText());
        assertEquals(1, lab("runs", "ls", "--db", "jdbc:postgresql://127.0.0.1:1/none?user=x&password=hunter2"));
        assertTrue(errText().startsWith("error: cannot reach the database") && !errText().contains("hunter2"),
                errText());
        assertEquals(2, lab("eval", "--data", "names"), "eval needs --run or --model-file");
        assertEquals(2, lab("runs", "ls", "--status", "done", "--db", dir.resolve("x.db").toString()));
        assertTrue(errText().contains("--status must be one of"), errText());
    }

    @Test
    void runsFromTheTerminalOnTheLabsDatabase(@TempDir Path dir) throws Exception {
        String db = dir.resolve("lab.db").toString();
        assertEquals(0, lab("sweep", "--model", "ngram", "--context", "2", "--param", "smoothing", "--values",
                "0.01,1,100", "--sweep-id", "sm", "--db", db, "--params-dir", dir.resolve("p").toString(), "--quiet",
                "--json"), errText());
        assertEquals(0, lab("runs", "ls", "--db", db, "--json"), errText());
        JsonNode all = Cli.JSON.readTree(outText());
        assertEquals(3, all.size());
        assertEquals(0, lab("runs", "ls", "--db", db, "--json", "--top", "1"));
        JsonNode top = Cli.JSON.readTree(outText());
        assertEquals(1, top.size());
        double best = top.get(0).get("bestDev").asDouble();
        all.forEach(r -> assertTrue(r.get("bestDev").asDouble() >= best));
        assertEquals(0, lab("runs", "ls", "--db", db, "--json", "--model", "mlp"));
        assertEquals(0, Cli.JSON.readTree(outText()).size());
        assertEquals(0, lab("runs", "ls", "--db", db, "--json", "--sweep", "sm", "--status", "finished"));
        assertEquals(3, Cli.JSON.readTree(outText()).size());
        String id = top.get(0).get("id").asText();
        assertEquals(0, lab("runs", "show", id, "--db", db, "--json"));
        JsonNode one = Cli.JSON.readTree(outText());
        assertEquals("finished", one.get("status").asText());
        assertEquals(best, one.get("bestDev").asDouble());
        assertEquals("ngram", one.at("/config/model").asText());
        assertEquals(2, one.get("evals").size(), "train and dev: " + one);
        assertEquals(0, lab("runs", "export", id, "--db", db, "--format", "csv"));
        String[] csv = outText().strip().split("\n");
        assertTrue(csv[0].startsWith("run,"), csv[0]);
        assertTrue(csv.length >= 3 && csv[1].startsWith(id), outText());
        assertEquals(2, lab("runs", "show", "nosuchrun1", "--db", db));
        assertTrue(errText().contains("no run nosuchrun1"), errText());
    }

    @Test
    void splitThenEvalAgreeWithTheRunsOwnDev(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.bin");
        assertEquals(0, lab("train", "--model", "mlp", "--hidden", "32", "--steps", "300", "--evalEvery", "300",
                "--save", model.toString(), "--json", "--quiet"), errText());
        String[] lines = outText().strip().split("\n");
        double dev = Cli.JSON.readTree(lines[lines.length - 1]).get("dev").asDouble();
        assertEquals(0, lab("split", "--data", "names", "--out", dir.resolve("s").toString()), errText());
        for (String part : List.of("train", "dev", "test")) {
            assertTrue(Files.readAllLines(dir.resolve("s").resolve(part + ".txt")).size() > 3000 / (part.equals("train")
                    ? 1 : 10), part);
        }
        assertEquals(0, lab("eval", "--model-file", model.toString(), "--data", dir.resolve("s/dev.txt").toString(),
                "--json"), errText());
        String[] e = outText().strip().split("\n");
        JsonNode r = Cli.JSON.readTree(e[e.length - 1]);
        assertEquals(dev, r.get("nll").asDouble(), 1e-4, "eval of the split's dev.txt equals the run's dev");
        assertEquals(Files.readAllLines(dir.resolve("s/dev.txt")).size(), r.get("items").asInt());
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "anna\nbob\nzoë\n" + "eve\n".repeat(10));
        assertEquals(2, lab("eval", "--model-file", model.toString(), "--data", bad.toString()));
        assertTrue(errText().contains("line 3") && errText().contains("'ë'"), errText());
        assertEquals(1, errText().strip().split("\n").length, errText());
    }

    @Test
    void completionAndVersion() {
        assertEquals(0, lab("completion"));
        assertTrue(outText().contains("complete -F") && outText().contains("sweep") && outText().contains("--lr"),
                outText().substring(0, Math.min(300, outText().length())));
        assertEquals(0, lab("--version"));
        assertTrue(outText().contains("Makemore Lab") && outText().contains("DJL 0.32.0")
                && outText().contains("libtorch 2.5.1") && outText().contains("CPU"), outText());
        assertFalse(outText().isBlank());
    }

    /** The lab takes its database password from MAKEMORE_DB_PASSWORD, and no output ever shows it. */
    @Test
    void serveMasksTheDatabasePassword(@TempDir Path dir) {
        String db = "jdbc:postgresql://127.0.0.1:1/lab?user=lab";
        assertEquals(1, lab(Map.of("MAKEMORE_DB_PASSWORD", "s3cret-pw"), "serve", "--port", "0", "--data-dir",
                dir.toString(), "--db", db));
        assertTrue(errText().contains("password=***") && !errText().contains("s3cret-pw")
                && !outText().contains("s3cret-pw"), errText());
        assertEquals(1, errText().strip().split("\n").length, errText());
        assertEquals(1, lab(Map.of(), "serve", "--port", "0", "--data-dir", dir.toString(), "--db", db
                + "&password=hunter2"));
        assertTrue(!errText().contains("hunter2") && !outText().contains("hunter2"), errText());
    }

    /** An LR finder from the terminal: its suggestion and rule, and no losses it never computed. */
    @Test
    void trainWithTheFinderPrintsItsSuggestion() throws Exception {
        assertEquals(0, lab("train", "--model", "mlp", "--hidden", "16", "--schedule", "finder", "--steps", "1000",
                "--json", "--quiet"), errText());
        String[] lines = outText().strip().split("\n");
        JsonNode o = Cli.JSON.readTree(lines[lines.length - 1]);
        assertTrue(o.get("suggestedLr").isNumber() && o.get("suggestedLr").asDouble() > 1e-4, o.toString());
        assertTrue(o.get("rule").asText().contains("smoothed loss is lowest"), o.toString());
        assertFalse(o.toString().contains("NaN"), o.toString());
        assertTrue(!o.has("dev") || o.get("dev").isNumber(), "a finder stopped early has no dev to print: " + o);
    }
}
