package makemore.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import makemore.config.ConfigException;
import makemore.data.DatasetException;
import makemore.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The command line: one tree of commands on picocli, each with its own --help. Usage errors (an unknown command or
 * option, a value of the wrong type or out of range) exit 2 with one line naming the problem and where the help
 * is, with a "did you mean" for a typo; a run that did not finish, an unreadable file or an unreachable database
 * exit 1.
 */
public final class LabCli {
    private LabCli() {}

    /** What every command reads and writes: the environment (MAKEMORE_*), standard out and standard error. */
    public record Io(Map<String, String> env, PrintStream out, PrintStream err) {
        public static Io system() {
            return new Io(System.getenv(), System.out, System.err);
        }
    }

    @Command(name = "lab", mixinStandardHelpOptions = true, versionProvider = Version.class,
            synopsisSubcommandLabel = "[COMMAND]",
            description = {"Makemore Lab: character-level language models from the makemore lectures.",
                "With no command (or only serve's options) it starts the lab at http://127.0.0.1:7070.",
                "Every command has --help; './lab help COMMAND' shows the same."},
            footer = {"", "Shell completion: source <(./lab completion)"})
    static final class Root implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /**
     * The whole tree: the commands of this package and {@code more} (the benches, which live above it). Each
     * command object takes the {@link Io} it was built with.
     */
    public static CommandLine commandLine(Io io, List<Object> more) {
        CommandLine cl = new CommandLine(new Root());
        cl.addSubcommand(new ServeCommand(io));
        cl.addSubcommand(withConfigFields(new CommandLine(new TrainCommand(io))));
        cl.addSubcommand(new SampleCommand(io));
        cl.addSubcommand(withConfigFields(new CommandLine(new SweepCommand(io))));
        cl.addSubcommand(new EvalCommand(io));
        cl.addSubcommand(new SplitCommand(io));
        cl.addSubcommand(RunsCommand.tree(io));
        for (Object c : more) {
            cl.addSubcommand(c);
        }
        cl.addSubcommand(new CommandLine.HelpCommand());
        cl.addSubcommand(new CompletionCommand());
        cl.setOut(new PrintWriter(io.out(), true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(io.err(), true, StandardCharsets.UTF_8));
        cl.setParameterExceptionHandler((e, args) -> usageError(io, e));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> failure(io, cmd, e));
        return cl;
    }

    private static CommandLine withConfigFields(CommandLine cmd) {
        ConfigOptions.addTo(cmd.getCommandSpec());
        return cmd;
    }

    /** Runs {@code args} (the command first); returns the exit code. */
    public static int run(String[] args, Io io, List<Object> more) {
        return commandLine(io, more).execute(args);
    }

    private static int usageError(Io io, CommandLine.ParameterException e) {
        CommandLine cmd = e.getCommandLine();
        // picocli starts some messages (a missing argument group) with its own "Error: "
        String line = "error: " + String.valueOf(e.getMessage()).replaceFirst("^Error: ", "");
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            line += " (did you mean " + String.join(" or ", u.getSuggestions().stream().limit(3).toList()) + "?)";
        }
        io.err().println(line + "; see '" + helpOf(cmd) + "'");
        return 2;
    }

    private static int failure(Io io, CommandLine cmd, Exception e) {
        if (e instanceof ConfigException c) {
            io.err().println("error: --" + c.field() + ": " + c.getMessage() + "; see '" + helpOf(cmd) + "'");
            return 2;
        }
        if (e instanceof UsageException) {
            io.err().println("error: " + e.getMessage() + "; see '" + helpOf(cmd) + "'");
            return 2;
        }
        if (e instanceof DatasetException || e instanceof java.io.IOException || e instanceof UncheckedIOException
                || e instanceof StoreException || e instanceof Database.Unreachable) {
            io.err().println("error: " + Database.redact(String.valueOf(e.getMessage())));
            return 1;
        }
        throw new IllegalStateException(e); // a bug: picocli prints the trace, exit 1
    }

    private static String helpOf(CommandLine cmd) {
        return "./lab " + (cmd.getParent() == null ? "" : cmd.getCommandSpec().qualifiedName(" ")
                .replaceFirst("^lab ", "") + " ") + "--help";
    }

    /** A usage problem a command finds itself (picocli finds the rest): exit 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    /** --version: the lab's version, and the engine it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = LabCli.class.getPackage().getImplementationVersion();
            ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
            int gpus = engine.getGpuCount();
            return new String[] {"Makemore Lab " + (v == null ? "(development build)" : v),
                "DJL " + ai.djl.engine.Engine.getDjlVersion() + ", libtorch " + engine.getVersion() + ", "
                        + (gpus > 0 ? "GPU (" + gpus + " visible)" : "CPU")};
        }
    }
}
