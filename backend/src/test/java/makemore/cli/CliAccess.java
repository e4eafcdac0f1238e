package makemore.cli;

import java.io.PrintStream;
import java.util.Map;

/** Lets tests in other packages run ./lab sweep in this JVM. */
public final class CliAccess {
    private CliAccess() {}

    public static int sweep(String[] args, Map<String, String> env, PrintStream out) throws Exception {
        return SweepCommand.run(args, env, out, out);
    }
}
