package makemore.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A list of items (one per line of a UTF-8 text file), checked so training never meets garbage. */
public record Dataset(String name, List<String> words) {
    public static final long MAX_BYTES = 32L * 1024 * 1024;
    public static final int MAX_LINE = 64;
    public static final int MIN_ITEMS = 10;

    public Dataset {
        words = List.copyOf(words);
    }

    public static Dataset load(Path file) {
        try {
            checkSize(Files.size(file));
            return parse(file.getFileName().toString(), Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new DatasetException(DatasetException.Kind.NOT_FOUND, "dataset file not found: " + file);
        } catch (IOException e) {
            throw new DatasetException(DatasetException.Kind.NOT_FOUND, "cannot read dataset " + file + ": " + e.getMessage());
        }
    }

    /** The built-in names list shipped inside the jar. */
    public static Dataset builtinNames() {
        try (InputStream in = Dataset.class.getResourceAsStream("/makemore/data/names.txt")) {
            if (in == null) {
                throw new DatasetException(DatasetException.Kind.NOT_FOUND, "the built-in names dataset is missing from this build");
            }
            return parse("names", in.readAllBytes());
        } catch (IOException e) {
            throw new DatasetException(DatasetException.Kind.NOT_FOUND, "cannot read the built-in names dataset: " + e.getMessage());
        }
    }

    /** Decodes strictly and validates by {@link DatasetScan}'s rules: UTF-8 only, no control bytes, sane line lengths, enough items. */
    public static Dataset parse(String name, byte[] bytes) {
        checkSize(bytes.length);
        List<String> words = new ArrayList<>();
        try {
            DatasetScan.scan(new ByteArrayInputStream(bytes), words::add);
        } catch (IOException e) {
            throw new IllegalStateException("reading bytes in memory failed", e);
        }
        return new Dataset(name, words);
    }

    /** Refuses a dataset of more than {@link #MAX_BYTES}, saying how large it is. */
    public static void checkSize(long bytes) {
        if (bytes > MAX_BYTES) {
            // in bytes: a file just over the limit would otherwise read "32 MB; the limit is 32 MB"
            throw new DatasetException(DatasetException.Kind.TOO_LARGE, "dataset is " + bytes + " bytes; the limit is "
                    + MAX_BYTES / (1024 * 1024) + " MB (" + MAX_BYTES + " bytes)");
        }
    }
}
