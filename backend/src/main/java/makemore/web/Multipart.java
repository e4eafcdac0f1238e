package makemore.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import makemore.config.ConfigException;

/**
 * Finds the {@code file} field of a multipart/form-data body (RFC 7578) spooled to a file that is already bounded in
 * size, reading it in small windows: the part is located by offsets, never copied into memory.
 */
final class Multipart {
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
    private static final Pattern NAME = Pattern.compile("(?i)[;\\s]name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("(?i)filename=\"([^\"]*)\"");
    /** A part's headers are a few lines; more is not a form a browser sends. */
    private static final int MAX_HEADERS = 16 * 1024;
    private static final int WINDOW = 64 * 1024;

    /** The file field: its file name as sent, and where its bytes lie in the body. */
    record Part(String fileName, long offset, long length) {}

    private final FileChannel body;
    private final long size;

    private Multipart(FileChannel body, long size) {
        this.body = body;
        this.size = size;
    }

    static Part file(Path spool, long size, String contentType) throws IOException {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw new ConfigException("file", "multipart upload without a boundary");
        }
        byte[] delimiter = ("--" + (m.group(2) != null ? m.group(2) : m.group(3))).getBytes(StandardCharsets.ISO_8859_1);
        try (FileChannel ch = FileChannel.open(spool, StandardOpenOption.READ)) {
            return new Multipart(ch, size).find(delimiter);
        }
    }

    private Part find(byte[] delimiter) throws IOException {
        byte[] next = ("\r\n" + new String(delimiter, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        byte[] blank = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        long at = indexOf(delimiter, 0);
        while (at >= 0) {
            long p = at + delimiter.length;
            if (new String(read(p, 2), StandardCharsets.ISO_8859_1).equals("--")) {
                break; // the closing delimiter
            }
            long headersStart = skipLineEnd(p);
            long headersEnd = indexOf(blank, headersStart);
            if (headersEnd < 0) {
                break;
            }
            if (headersEnd - headersStart > MAX_HEADERS) {
                throw new ConfigException("file", "a part of the multipart upload has over 16 KB of headers");
            }
            String headers = new String(read(headersStart, (int) (headersEnd - headersStart)), StandardCharsets.UTF_8);
            long contentStart = headersEnd + 4;
            long contentEnd = indexOf(next, contentStart);
            if (contentEnd < 0) {
                break;
            }
            Matcher name = NAME.matcher(";" + header(headers, "content-disposition"));
            if (name.find() && name.group(1).equals("file")) {
                Matcher fn = FILENAME.matcher(header(headers, "content-disposition"));
                return new Part(fn.find() ? fn.group(1).replace("%22", "\"") : null, contentStart, contentEnd - contentStart);
            }
            at = contentEnd + 2;
        }
        throw new ConfigException("file", "the multipart upload has no complete field named 'file'");
    }

    private static String header(String headers, String name) {
        for (String line : headers.split("\r\n")) {
            int c = line.indexOf(':');
            if (c > 0 && line.substring(0, c).strip().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(c + 1).strip();
            }
        }
        return "";
    }

    /** Up to {@code n} bytes from {@code at}; fewer at the end of the body. */
    private byte[] read(long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.max(0, Math.min(n, size - at)));
        while (b.hasRemaining() && body.read(b, at + b.position()) > 0) {
            // positional reads until the window is full
        }
        return b.position() == b.capacity() ? b.array() : java.util.Arrays.copyOf(b.array(), b.position());
    }

    private long skipLineEnd(long p) throws IOException {
        byte[] b = read(p, 256);
        int i = 0;
        while (i < b.length && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i + 1 < b.length && b[i] == '\r' && b[i + 1] == '\n' ? p + i + 2 : p;
    }

    /** Where {@code needle} first occurs at or after {@code from}, or -1; windows overlap so none is missed. */
    private long indexOf(byte[] needle, long from) throws IOException {
        for (long pos = Math.max(0, from); pos + needle.length <= size; pos += WINDOW - needle.length + 1) {
            byte[] w = read(pos, WINDOW);
            int i = indexOf(w, needle);
            if (i >= 0) {
                return pos + i;
            }
            if (pos + w.length >= size) {
                break;
            }
        }
        return -1;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
