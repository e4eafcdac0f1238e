package makemore.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 by hand, for what java.net.http will not send: a foreign Host header, a body that is bigger than any
 * limit and chunked, a body that trickles in. The response is read while the request is still being written, as
 * a server that refuses early answers before the client has finished.
 */
final class RawHttp {
    record Response(int status, String headers, String body) {}

    /** What to send after the head: write to {@code out} until done or the server hangs up. */
    interface Body {
        void write(OutputStream out) throws IOException;
    }

    private RawHttp() {}

    static Response send(int port, String head, Body body) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                try {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        got.write(buf, 0, n);
                        if (complete(got.toString(StandardCharsets.ISO_8859_1))) {
                            break;
                        }
                    }
                } catch (IOException e) {
                    // reset after the answer: what arrived is what counts
                }
                return got.toByteArray();
            });
            OutputStream out = s.getOutputStream();
            try {
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    body.write(out);
                }
                out.flush();
            } catch (IOException serverHungUp) {
                // expected when the server refuses a body it will not read
            }
            byte[] raw = answer.get(30, TimeUnit.SECONDS);
            String text = new String(raw, StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            if (split < 0) {
                throw new AssertionError("no HTTP answer: '" + text + "'");
            }
            String headers = text.substring(0, split);
            String rest = text.substring(split + 4);
            if (headers.toLowerCase().contains("transfer-encoding: chunked")) {
                rest = dechunk(rest);
            }
            return new Response(Integer.parseInt(headers.split(" ")[1]), headers, rest);
        }
    }

    private static boolean complete(String sofar) {
        int split = sofar.indexOf("\r\n\r\n");
        if (split < 0) {
            return false;
        }
        String h = sofar.substring(0, split).toLowerCase();
        String rest = sofar.substring(split + 4);
        int cl = h.indexOf("content-length:");
        if (cl >= 0) {
            int end = h.indexOf("\r\n", cl);
            int len = Integer.parseInt(h.substring(cl + 15, end < 0 ? h.length() : end).strip());
            return rest.getBytes(StandardCharsets.ISO_8859_1).length >= len;
        }
        return h.contains("chunked") && rest.endsWith("0\r\n\r\n");
    }

    private static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int p = 0;
        while (p < s.length()) {
            int eol = s.indexOf("\r\n", p);
            if (eol < 0) {
                break;
            }
            int n = Integer.parseInt(s.substring(p, eol).split(";")[0].strip(), 16);
            if (n == 0) {
                break;
            }
            out.append(s, eol + 2, Math.min(s.length(), eol + 2 + n));
            p = eol + 2 + n + 2;
        }
        return out.toString();
    }

    /** A chunked body of {@code total} bytes of text lines, in 64 KB chunks. */
    static Body chunked(long total) {
        return chunked("", total);
    }

    /** The same, after {@code prefix} (multipart framing, say) as its first chunk. */
    static Body chunked(String prefix, long total) {
        return out -> {
            if (!prefix.isEmpty()) {
                byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
                out.write((Integer.toHexString(p.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(p);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            byte[] chunk = "abcdefghijklmnopqrstuvwxyz\n".repeat(2428).getBytes(StandardCharsets.US_ASCII);
            byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (long sent = 0; sent < total; sent += chunk.length) {
                out.write(size);
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        };
    }
}
