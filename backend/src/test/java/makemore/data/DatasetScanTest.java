package makemore.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streamed rules give what splitting and stripping the whole text gives, however the bytes arrive. */
class DatasetScanTest {
    /** The rule in whole-text terms: lines split at \r\n, \n or \r, stripped, blanks dropped. */
    static List<String> expected(String text) {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return Arrays.stream(t.split("\r\n|\n|\r", -1)).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** A stream that hands over one byte per read, so every multi-byte character and \r\n is split. */
    static InputStream trickle(byte[] b) {
        return new FilterInputStream(new ByteArrayInputStream(b)) {
            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                return super.read(buf, off, Math.min(1, len));
            }
        };
    }

    static List<String> scan(InputStream in) throws IOException {
        List<String> got = new ArrayList<>();
        DatasetScan.Summary s = DatasetScan.scan(in, got::add);
        assertEquals(got.size(), s.items());
        assertEquals(got.stream().flatMapToInt(String::codePoints).distinct().count(), s.characters());
        return got;
    }

    static String message(String text) {
        return assertThrows(DatasetException.class, () -> Dataset.parse("t", text.getBytes(StandardCharsets.UTF_8)))
                .getMessage();
    }

    @Test
    void linesAreSplitAndStrippedAsInTheWholeText() throws Exception {
        String text = "\uFEFF  emma \r\nolivia\rava\r\r\nmia\n\t\n\u3000zoë\u3000\n" + "x".repeat(64) + " ".repeat(200)
                + "\n" + " ".repeat(300) + "ab cd\n\uD83D\uDE00".repeat(3) + "\nla  st";
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(expected(text), scan(new ByteArrayInputStream(b)));
        assertEquals(expected(text), scan(trickle(b)));
        assertEquals(expected(text), Dataset.parse("t", b).words());
        String emoji = ("\uD83D\uDE00".repeat(Dataset.MAX_LINE) + "\n").repeat(10); // characters, not UTF-16 units, count
        assertEquals(expected(emoji), scan(trickle(emoji.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void theFirstBrokenRuleIsReportedAsTheWholeTextWouldReportIt() {
        String ten = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        assertEquals("line 11 is 66 characters long; items are limited to 64 characters (one short item per line)",
                message(ten + "x".repeat(60) + "     y\n"));
        assertEquals("line 11 is 65 characters long; items are limited to 64 characters (one short item per line)",
                message(ten + "\uD83D\uDE00".repeat(65)));
        // a control character on the same line wins over its length; one on a later line does not
        assertEquals("line 11 contains the control character U+0001: this looks like a binary file, not text",
                message(ten + "x".repeat(100) + "\u0001\n"));
        assertEquals("line 11 is 100 characters long; items are limited to 64 characters (one short item per line)",
                message(ten + "x".repeat(100) + "\n\u0001\n"));
        // text that is not UTF-8 is refused as that, wherever the bad bytes are
        byte[] late = (ten + "x".repeat(100) + "\n" + ten).getBytes(StandardCharsets.UTF_8);
        late[late.length - 2] = (byte) 0xff;
        assertEquals("dataset is not valid UTF-8 text (binary file or another encoding?)",
                assertThrows(DatasetException.class, () -> Dataset.parse("t", late)).getMessage());
        byte[] cut = (ten + "\u00e9").getBytes(StandardCharsets.UTF_8);
        assertThrows(DatasetException.class, () -> DatasetScan.scan(trickle(Arrays.copyOf(cut, cut.length - 1)), w -> { }));
        assertEquals("dataset has 3 items; at least 10 are needed to split it 80/10/10", message("a\n\n b \nc"));
        assertEquals("dataset has no usable lines (it is empty or blank)", message(" \r\n\t\n"));
    }
}
