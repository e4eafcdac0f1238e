package makemore.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new DatasetException(DatasetException.Kind.TOO_LARGE, "dataset file is " + size / (1024 * 1024)
                        + " MB; the limit is " + MAX_BYTES / (1024 * 1024) + " MB");
            }
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

    /** Decodes strictly and validates: UTF-8 only, no control bytes, sane line lengths, enough items. */
    public static Dataset parse(String name, byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new DatasetException(DatasetException.Kind.TOO_LARGE, "dataset is " + bytes.length / (1024 * 1024)
                    + " MB; the limit is " + MAX_BYTES / (1024 * 1024) + " MB");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DatasetException(DatasetException.Kind.INVALID,
                    "dataset is not valid UTF-8 text (binary file or another encoding?)");
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        List<String> words = new ArrayList<>();
        int lineNo = 0;
        for (String raw : text.split("\r\n|\n|\r", -1)) {
            lineNo++;
            Interruption.check(lineNo);
            for (int i = 0; i < raw.length(); i++) {
                char ch = raw.charAt(i);
                if (ch < 0x20 && ch != '\t' || ch == 0x7f) {
                    throw new DatasetException(DatasetException.Kind.INVALID, String.format(
                            "line %d contains the control character U+%04X: this looks like a binary file, not text", lineNo, (int) ch));
                }
            }
            String w = raw.strip();
            if (w.isEmpty()) {
                continue;
            }
            int len = w.codePointCount(0, w.length());
            if (len > MAX_LINE) {
                throw new DatasetException(DatasetException.Kind.INVALID, "line " + lineNo + " is " + len
                        + " characters long; items are limited to " + MAX_LINE + " characters (one short item per line)");
            }
            words.add(w);
        }
        if (words.isEmpty()) {
            throw new DatasetException(DatasetException.Kind.INVALID, "dataset has no usable lines (it is empty or blank)");
        }
        if (words.size() < MIN_ITEMS) {
            throw new DatasetException(DatasetException.Kind.INVALID, "dataset has " + words.size()
                    + " items; at least " + MIN_ITEMS + " are needed to split it 80/10/10");
        }
        Dataset d = new Dataset(name, words);
        Vocabulary.of(d.words()); // rejects character sets too large to be one
        return d;
    }
}
