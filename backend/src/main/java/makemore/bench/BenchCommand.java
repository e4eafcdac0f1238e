package makemore.bench;

import java.io.IOException;
import java.util.concurrent.Callable;
import makemore.cli.LabCli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./lab bench}: quality and speed of the lecture recipes here, against a PyTorch reference when given. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Quality and speed of the lecture recipes on this machine (or one part with --only).",
            "The count models, the lecture's MLP, the fast recipe, the cost of layer health and of attention and"
                    + " influence;"
                    + " --transformer and --transformer-dev time the transformer."},
        footer = {"", "Examples:", "  ./lab bench --only mlp --steps 20000", "  ./lab bench --only speed", "  ./lab bench --only mlp-speed",
            "  ./lab bench --only mlp --ref ../shared/bench/ref_mlp.py",
            "  ./lab bench --transformer --makemore ../makemore/makemore.py"})
public final class BenchCommand implements Callable<Integer> {
    private final LabCli.Io io;

    @Option(names = "--only", paramLabel = "PART", description = "counts, mlp, fast, health, attribution, batchnorm or"
            + " wavenet (batchnorm and wavenet only when asked: long runs); speed: calibrate the run-time estimate;"
            + " mlp-speed: the MLP's steps/s against PyTorch eager, the same loop timed on both sides")
    String only;

    @Option(names = "--data", paramLabel = "FILE", defaultValue = "names", description = "'names' or a file of items"
            + " (default ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--steps", paramLabel = "N", description = "training steps (default 200000; 300 for --transformer)")
    Integer steps;

    @Option(names = "--ref", paramLabel = "FILE", description = "the PyTorch reference script (ref_mlp.py): its"
            + " losses and an interleaved speed comparison")
    String ref;

    @Option(names = "--speed-steps", paramLabel = "N", defaultValue = "20000", description = "timed steps of each"
            + " side of a speed pair (mlp-speed, or mlp with --ref; default ${DEFAULT-VALUE})")
    int speedSteps;

    @Option(names = "--speed-runs", paramLabel = "N", defaultValue = "5", description = "speed pairs, in process and"
            + " as whole processes (default ${DEFAULT-VALUE})")
    int speedRuns;

    @Option(names = "--python", paramLabel = "EXE", defaultValue = "/usr/bin/python3", description = "the Python with"
            + " torch that runs bench/python/mlp_loop.py (default ${DEFAULT-VALUE})")
    String python;

    @Option(names = "--transformer", description = "the transformer's steps/s at makemore.py's config, interleaved"
            + " with makemore.py's when --makemore is given")
    boolean transformer;

    @Option(names = "--makemore", paramLabel = "FILE", description = "with --transformer: makemore.py")
    String makemore;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "with --transformer: interleaved"
            + " pairs (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--transformer-dev", description = "the lab's transformer recipe from scratch: dev and wall time")
    boolean transformerDev;

    @Option(names = "--config", paramLabel = "JSON", description = "with --transformer-dev: another recipe")
    String config;

    @Option(names = "--target", paramLabel = "DEV", defaultValue = "1.90", description = "with --transformer-dev: the"
            + " dev whose wall time is reported (default ${DEFAULT-VALUE})")
    double target;

    public BenchCommand(LabCli.Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        if (steps != null && (steps < 1 || steps > 5_000_000)) {
            throw new LabCli.UsageException("--steps must be in [1, 5000000], got " + steps);
        }
        if (speedRuns < 1 || speedRuns > 99 || runs < 1 || runs > 100 || speedSteps < 100) {
            throw new LabCli.UsageException("--speed-runs must be in [1, 99], --runs in [1, 100], --speed-steps at"
                    + " least 100");
        }
        if (makemore != null && !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(makemore))) {
            throw new LabCli.UsageException("--makemore: no such file: " + makemore);
        }
        boolean againstPython = "mlp-speed".equals(only) || ref != null && (only == null || "mlp".equals(only));
        if (againstPython && python.contains("/") && !java.nio.file.Files.isExecutable(java.nio.file.Path.of(python))) {
            throw new LabCli.UsageException("--python must be a Python with torch, got " + python + " (not executable)");
        }
        return Bench.run(this, io.out());
    }
}
