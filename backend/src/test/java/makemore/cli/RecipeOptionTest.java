package makemore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import makemore.config.RunConfig;
import makemore.config.Recipes;
import makemore.model.Models;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --recipe NAME}: the named config is the base, --config and flags override it, an unknown name exits 2. */
class RecipeOptionTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final LabCli.Io io = new LabCli.Io(Map.of(), new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    /** The config {@code argv} (the command first) would run, read as the command reads it; nothing trains. */
    private RunConfig config(String... argv) {
        CommandLine.ParseResult pr = LabCli.commandLine(io, List.of()).parseArgs(argv);
        return ConfigOptions.read(pr.subcommand().commandSpec());
    }

    @Test
    void theNameGivesItsConfig() {
        RunConfig want = Models.validate(RunConfig.fromJson(Recipes.TRANSFORMER_10MIN));
        assertEquals(want, config("train", "--recipe", "transformer-10min"));
        assertEquals(want, config("sweep", "--recipe", "transformer-10min", "--param", "lr", "--values", "1e-3"));
        assertEquals("transformer", want.model());
        for (String name : Recipes.names()) {
            assertEquals(Models.validate(RunConfig.fromJson(Recipes.json(name))), config("train", "--recipe", name));
        }
    }

    @Test
    void configAndFlagsOverrideTheRecipe() {
        RunConfig base = config("train", "--recipe", "transformer-10min");
        RunConfig cfg = config("train", "--recipe", "transformer-10min", "--steps", "500", "--dropout", "0");
        assertEquals(500, cfg.steps());
        assertEquals(0.0, cfg.dropout());
        assertEquals(base.with("steps", 500).with("dropout", 0.0), cfg, "every other field as the recipe has it");
        RunConfig fast = config("train", "--recipe", "mlp-fast", "--config", "{\"lr\":0.2,\"batch\":64}", "--batch",
                "100");
        assertEquals(0.2, fast.lr()); // --config over the recipe
        assertEquals(100, fast.batch()); // a flag over both
        assertEquals(6000, fast.steps()); // the recipe's own
    }

    @Test
    void anUnknownNameExitsTwoListingTheNames() {
        for (String[] argv : List.of(new String[] {"train", "--recipe", "transformer-1hour"},
                new String[] {"sweep", "--recipe", "transformer-1hour", "--param", "lr", "--values", "0.1"})) {
            err.reset();
            int rc = LabCli.run(argv, io, List.of());
            String text = err.toString(StandardCharsets.UTF_8);
            assertEquals(2, rc, text);
            assertTrue(text.startsWith("error: --recipe: unknown recipe 'transformer-1hour'"), text);
            for (String name : Recipes.names()) {
                assertTrue(text.contains(name), name + " listed: " + text);
            }
            assertEquals(1, text.strip().split("\n").length, text);
        }
    }
}
