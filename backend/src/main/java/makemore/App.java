package makemore;

import java.util.Arrays;

/** One jar, several commands: no arguments (or "serve") starts the lab; train, sample and bench run headless. */
public final class App {
    private App() {}

    public static void main(String[] args) throws Exception {
        // Before anything touches DJL: no telemetry, no downloads, one OpenMP thread (2 busy cores otherwise thrash).
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
        System.setProperty("ai.djl.pytorch.num_interop_threads",
                System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        String cmd = args.length == 0 || args[0].startsWith("--") ? "serve" : args[0];
        String[] rest = args.length == 0 || args[0].startsWith("--") ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (cmd) {
            case "serve" -> makemore.web.LabServer.main(rest);
            case "train", "sample", "sweep" -> System.exit(makemore.cli.Cli.run(cmd, rest));
            case "bench" -> System.exit(makemore.cli.Cli.guarded(
                    () -> makemore.bench.Bench.run(makemore.cli.Args.parse(rest), System.out)));
            case "bench-server" -> makemore.bench.ServerBench.main(rest);
            case "bench-sweep" -> makemore.bench.SweepBench.main(rest);
            default -> {
                System.err.println("unknown command '" + cmd + "'; use serve (default), train, sample, sweep, bench, bench-server or bench-sweep");
                System.exit(2);
            }
        }
    }
}
