package makemore.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import makemore.config.ConfigException;

/** Finds the {@code file} field of a multipart/form-data body (RFC 7578) that is already bounded in size. */
final class Multipart {
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
    private static final Pattern NAME = Pattern.compile("(?i)[;\\s]name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("(?i)filename=\"([^\"]*)\"");

    private Multipart() {}

    static Bodies.Upload file(byte[] body, String contentType) {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw new ConfigException("file", "multipart upload without a boundary");
        }
        byte[] delimiter = ("--" + (m.group(2) != null ? m.group(2) : m.group(3))).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int p = at + delimiter.length;
            if (p + 1 < body.length && body[p] == '-' && body[p + 1] == '-') {
                break; // the closing delimiter
            }
            int headersStart = skipLineEnd(body, p);
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            if (headersEnd < 0) {
                break;
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            int contentStart = headersEnd + 4;
            byte[] next = concat("\r\n".getBytes(StandardCharsets.ISO_8859_1), delimiter);
            int contentEnd = indexOf(body, next, contentStart);
            if (contentEnd < 0) {
                break;
            }
            String disposition = header(headers, "content-disposition");
            Matcher name = NAME.matcher(";" + disposition);
            if (name.find() && name.group(1).equals("file")) {
                Matcher fn = FILENAME.matcher(disposition);
                return new Bodies.Upload(fn.find() ? fn.group(1).replace("%22", "\"") : null,
                        Arrays.copyOfRange(body, contentStart, contentEnd));
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

    private static int skipLineEnd(byte[] b, int p) {
        while (p < b.length && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        if (p + 1 < b.length && b[p] == '\r' && b[p + 1] == '\n') {
            return p + 2;
        }
        return p;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
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
