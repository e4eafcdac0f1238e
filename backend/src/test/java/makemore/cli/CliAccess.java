package makemore.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Lets tests run the command line in this JVM, with their own environment and streams. */
public final class CliAccess {
    private CliAccess() {}

    /** {@code argv} as after ./lab (the command first); the exit code. */
    public static int run(Map<String, String> env, PrintStream out, PrintStream err, String... argv) {
        return LabCli.run(argv, new LabCli.Io(env, out, err), List.of());
    }

    public static int sweep(String[] args, Map<String, String> env, PrintStream out) {
        String[] argv = new String[args.length + 1];
        argv[0] = "sweep";
        System.arraycopy(args, 0, argv, 1, args.length);
        return run(env, out, out, argv);
    }
}
