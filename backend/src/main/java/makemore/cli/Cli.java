package makemore.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import makemore.data.Dataset;

/** What the commands share: the JSON mapper, the dataset by name, numbers as JSON prints them. */
public final class Cli {
    public static final ObjectMapper JSON = new ObjectMapper();

    private Cli() {}

    /** "names" is the built-in list; anything else is a path to a text file with one item per line. */
    public static Dataset dataset(String name) {
        return name.equals("names") ? Dataset.builtinNames() : Dataset.load(Path.of(name));
    }

    /** NaN and infinities as strings, which JSON has no numbers for. */
    static Object finite(double v) {
        return Double.isFinite(v) ? v : Double.toString(v);
    }
}
