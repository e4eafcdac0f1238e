package makemore.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import makemore.data.Corpus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./lab split}: the train, dev and test items exactly as the lab splits a dataset (80/10/10, seed 42). */
@Command(name = "split", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes train.txt, dev.txt and test.txt to a folder: the lab's split of a dataset, one item a"
                + " line, in the lab's order.",
        footer = {"", "Example: ./lab split --data names --out /tmp/split"})
final class SplitCommand implements Callable<Integer> {
    private final LabCli.Io io;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "'names' or a file of items")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the folder to write (created)")
    Path out;

    SplitCommand(LabCli.Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        Corpus corpus = new Corpus(Cli.dataset(data));
        Files.createDirectories(out);
        for (Corpus.Part part : Corpus.Part.values()) {
            Path file = out.resolve(part.label() + ".txt");
            Files.writeString(file, String.join("\n", corpus.words(part)) + "\n");
            io.out().println(file + ": " + corpus.words(part).size() + " items");
        }
        return 0;
    }
}
