package makemore.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./lab completion}: a bash/zsh completion script for the whole command tree. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Prints a bash/zsh completion script: source <(./lab completion).",
            "It completes the command named lab (alias lab=./lab, or put the jar's wrapper on PATH)."})
final class CompletionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(AutoComplete.bash("lab", spec.parent().commandLine()));
        spec.commandLine().getOut().flush();
    }
}
