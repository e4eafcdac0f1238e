package makemore.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import makemore.config.Limits;
import makemore.config.RunConfig;
import makemore.data.Corpus;
import makemore.model.LanguageModel;
import makemore.model.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./lab sample}: names from a model saved by {@code ./lab train --save FILE}. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draws items from a model that ./lab train --save FILE wrote (FILE and FILE.json); each one seen"
                + " in the data says which split holds it.",
        footer = {"", "Example: ./lab sample --model-file mlp.bin --n 10 --temperature 0.8"})
final class SampleCommand implements Callable<Integer> {
    private final LabCli.Io io;

    @Option(names = "--model-file", required = true, paramLabel = "FILE", description = "written by train --save FILE")
    Path file;

    @Option(names = "--n", paramLabel = "N", defaultValue = "20", description = "how many, in [1, 10000] (default ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0",
            description = "below 1 safer, above 1 wilder (default ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1", description = "same seed, same items (default ${DEFAULT-VALUE})")
    long seed;

    SampleCommand(LabCli.Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        if (n < 1 || n > 10_000) {
            throw new LabCli.UsageException("--n must be in [1, 10000], got " + n);
        }
        Limits.TEMPERATURE.check("temperature", temperature);
        if (seed < 0) {
            throw new LabCli.UsageException("--seed must be 0 or more, got " + seed);
        }
        Path cfgFile = Path.of(file + ".json");
        if (!Files.exists(cfgFile) || !Files.exists(file)) {
            throw new IOException("no saved model at " + file + " (expected " + file + " and " + cfgFile + ")");
        }
        RunConfig cfg = Models.validate(RunConfig.fromJson(Files.readString(cfgFile)));
        Corpus corpus = new Corpus(Cli.dataset(cfg.dataset()));
        try (LanguageModel model = Models.load(cfg, corpus, file)) {
            for (String s : model.sample(n, temperature, new Random(seed))) {
                Corpus.Part seen = corpus.seenIn(s);
                io.out().println(seen == null ? s : s + "  (in " + seen.label() + ")");
            }
        }
        return 0;
    }
}
