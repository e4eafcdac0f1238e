package makemore;

import java.util.List;
import java.util.Set;
import makemore.bench.BenchCommand;
import makemore.bench.RunsBench;
import makemore.bench.ServerBench;
import makemore.bench.SweepBench;
import makemore.cli.LabCli;

/** One jar, one command tree: no command (or only serve's options) starts the lab; the rest run headless. */
public final class App {
    private App() {}

    /** Options of the root command itself; any other first option belongs to serve, the default command. */
    private static final Set<String> ROOT_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    public static void main(String[] args) {
        // Before anything touches DJL: no telemetry, no downloads, one OpenMP thread (2 busy cores otherwise thrash).
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
        System.setProperty("ai.djl.pytorch.num_interop_threads",
                System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        System.exit(run(args, LabCli.Io.system()));
    }

    /** The exit code of {@code args} as the jar's command line (serve blocks until the process is stopped). */
    public static int run(String[] args, LabCli.Io io) {
        boolean serve = args.length == 0 || args[0].startsWith("-") && !ROOT_OPTIONS.contains(args[0]);
        String[] argv = args;
        if (serve) {
            argv = new String[args.length + 1];
            argv[0] = "serve";
            System.arraycopy(args, 0, argv, 1, args.length);
        }
        return LabCli.run(argv, io, List.of(new BenchCommand(io), new ServerBench.Command(), new SweepBench.Command(),
                new RunsBench()));
    }
}
