package makemore.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.function.Consumer;

/**
 * The rules every dataset meets, applied while its bytes stream past once: strict UTF-8, no control characters, items
 * of at most {@link Dataset#MAX_LINE} characters, at least {@link Dataset#MIN_ITEMS} of them, a vocabulary that fits.
 * Loading a dataset and checking an upload both read through here, so they accept and refuse the same files with
 * the same words, and a 32 MB upload is checked in a few hundred KB whatever its size.
 */
public final class DatasetScan {
    /** What a valid dataset holds: its items and its distinct characters. */
    public record Summary(long items, int characters) {}

    private static final int CHUNK = 64 * 1024;

    private final Consumer<String> sink;
    private final BitSet seen = new BitSet(Character.MAX_CODE_POINT + 1);
    private final StringBuilder item = new StringBuilder();
    /** Whitespace after the item's last other character: part of the item only if more follows on the line. */
    private final StringBuilder gap = new StringBuilder();
    private long items;
    private int lineNo = 1;
    private long itemChars;
    private long gapChars;
    private boolean atStart = true;
    private boolean afterCr;
    private char high;
    /** The first broken rule; the rest of the file is still decoded, as a file that is not UTF-8 is refused as that. */
    private DatasetException broken;

    private DatasetScan(Consumer<String> sink) {
        this.sink = sink;
    }

    /**
     * Reads {@code in} to its end; each item (a line without its surrounding whitespace, blank lines skipped) goes to
     * {@code items}, unless that is null (a check that keeps nothing).
     */
    public static Summary scan(InputStream in, Consumer<String> items) throws IOException {
        DatasetScan s = new DatasetScan(items);
        s.decode(in);
        return s.finish();
    }

    private void decode(InputStream in) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.allocate(CHUNK);
        CharBuffer chars = CharBuffer.allocate(CHUNK);
        boolean end = false;
        while (!end) {
            int r = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (r < 0) {
                end = true;
            } else {
                bytes.position(bytes.position() + r);
            }
            bytes.flip();
            CoderResult cr;
            do {
                cr = decoder.decode(bytes, chars, end);
                if (cr.isError()) {
                    throw new DatasetException(DatasetException.Kind.INVALID,
                            "dataset is not valid UTF-8 text (binary file or another encoding?)");
                }
                take(chars);
            } while (cr.isOverflow());
            bytes.compact();
        }
        while (decoder.flush(chars).isOverflow()) {
            take(chars);
        }
        take(chars);
        endLine();
    }

    private void take(CharBuffer chars) {
        chars.flip();
        while (chars.hasRemaining()) {
            char c = chars.get();
            if (Character.isHighSurrogate(c)) {
                high = c;
            } else if (Character.isLowSurrogate(c) && high != 0) {
                add(Character.toCodePoint(high, c));
                high = 0;
            } else {
                add(c);
            }
        }
        chars.clear();
    }

    private void add(int cp) {
        if (atStart) {
            atStart = false;
            if (cp == 0xFEFF) {
                return; // a byte order mark says how the file is encoded; it is not part of the first item
            }
        }
        if (afterCr) {
            afterCr = false;
            if (cp == '\n') {
                return; // the second half of a \r\n line end
            }
        }
        if (cp == '\n' || cp == '\r') {
            afterCr = cp == '\r';
            endLine();
            lineNo++;
            Interruption.check(lineNo); // a count explorer request whose client left stops loading a big upload
            return;
        }
        if (broken != null) {
            return;
        }
        if (cp > ' ' && cp < 0x7f) { // printable ASCII, most of most files: nothing to check, never whitespace
            addVisible(cp);
            return;
        }
        checkCharacter(cp, lineNo);
        if (Character.isWhitespace(cp)) {
            if (itemChars > 0) {
                gapChars++;
                if (itemChars + gapChars <= Dataset.MAX_LINE) {
                    gap.appendCodePoint(cp);
                }
            }
            return;
        }
        addVisible(cp);
    }

    private void addVisible(int cp) {
        if (gapChars > 0) {
            itemChars += gapChars;
            if (itemChars < Dataset.MAX_LINE) {
                item.append(gap);
            }
            gap.setLength(0);
            gapChars = 0;
        }
        if (++itemChars <= Dataset.MAX_LINE) { // a longer item is refused at its line end, so it need not be kept
            item.appendCodePoint(cp);
        }
    }

    /** Refuses control characters (tab aside): text with them is a binary file or worse. */
    private void checkCharacter(int cp, int line) {
        if (cp < 0x20 && cp != '\t' || cp == 0x7f) {
            broken = new DatasetException(DatasetException.Kind.INVALID, String.format(
                    "line %d contains the control character U+%04X: this looks like a binary file, not text", line, cp));
        }
    }

    private void endLine() {
        if (broken == null && itemChars > Dataset.MAX_LINE) {
            broken = new DatasetException(DatasetException.Kind.INVALID, "line " + lineNo + " is " + itemChars
                    + " characters long; items are limited to " + Dataset.MAX_LINE + " characters (one short item per line)");
        }
        if (broken == null && itemChars > 0) {
            for (int i = 0; i < item.length(); i++) {
                char c = item.charAt(i);
                seen.set(Character.isHighSurrogate(c) ? item.codePointAt(i++) : c);
            }
            items++;
            if (sink != null) {
                sink.accept(item.toString());
            }
        }
        item.setLength(0);
        gap.setLength(0);
        itemChars = 0;
        gapChars = 0;
    }

    private Summary finish() {
        if (broken != null) {
            throw broken;
        }
        if (items == 0) {
            throw new DatasetException(DatasetException.Kind.INVALID, "dataset has no usable lines (it is empty or blank)");
        }
        if (items < Dataset.MIN_ITEMS) {
            throw new DatasetException(DatasetException.Kind.INVALID, "dataset has " + items
                    + " items; at least " + Dataset.MIN_ITEMS + " are needed to split it 80/10/10");
        }
        Vocabulary.checkSize(seen.cardinality());
        return new Summary(items, seen.cardinality());
    }
}
