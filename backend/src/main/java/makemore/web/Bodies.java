package makemore.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import makemore.data.Dataset;
import makemore.config.ConfigException;
import makemore.config.RunConfig;
import makemore.store.StoreException;

/**
 * Request bodies, counted while they are read (chunked or not), so no client can make the server hold more
 * than a limit: JSON up to {@link #MAX_JSON} in memory, uploads spooled to a file up to {@link Dataset#MAX_BYTES}
 * and refused with 413 the moment they pass it.
 */
final class Bodies {
    /** A config is well under 1 KB; a few hundred KB is plenty for any JSON this API takes. */
    static final int MAX_JSON = 256 * 1024;
    /** What multipart framing may add around the file itself. */
    static final int MULTIPART_SLACK = 64 * 1024;

    /** Rejects duplicate keys and trailing data; Jackson's own limits refuse deep nesting (1,000 levels). */
    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** A body must keep arriving at this rate once it is {@link #GRACE_SEC} s old, or its connection is cut. */
    static final long MIN_BYTES_PER_SEC = 16 * 1024;
    static final double GRACE_SEC = 3;

    /** An upload's file name as sent and where its bytes lie in the spool file, which closing removes. */
    record Upload(String name, Path spool, long offset, long length) implements AutoCloseable {
        @Override
        public void close() {
            try {
                Files.deleteIfExists(spool);
            } catch (IOException ignored) {
                // a leftover spool file is removed at the next start
            }
        }
    }

    private Bodies() {}

    /**
     * Watches the bodies being read: one that trickles in (a byte every few seconds) is cut off, so slow senders
     * cannot keep request threads. Jetty's own minimum data rate counts from the first byte to the moment the
     * application reads, so it would also refuse a small body that is read late; this counts only while reading.
     */
    private static final class Watch implements AutoCloseable {
        private static final java.util.Set<Watch> ACTIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

        static {
            java.util.concurrent.ScheduledExecutorService dog = java.util.concurrent.Executors
                    .newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "body-watchdog");
                        t.setDaemon(true);
                        return t;
                    });
            dog.scheduleWithFixedDelay(Watch::sweep, 250, 250, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        private final long start = System.nanoTime();
        private final Context ctx;
        private volatile long bytes;
        private volatile boolean cut;

        Watch(Context ctx) {
            this.ctx = ctx;
            ACTIVE.add(this);
        }

        void add(int n) {
            bytes += n;
        }

        private static void sweep() {
            long now = System.nanoTime();
            for (Watch w : ACTIVE) {
                double sec = (now - w.start) / 1e9;
                if (sec > GRACE_SEC && w.bytes < MIN_BYTES_PER_SEC * (sec - GRACE_SEC)) {
                    w.cut = true;
                    ACTIVE.remove(w);
                    try { // unblocks the reading thread with an IOException
                        org.eclipse.jetty.server.Request.getBaseRequest(w.ctx.req()).getHttpChannel()
                                .abort(new java.util.concurrent.TimeoutException("request body too slow"));
                    } catch (RuntimeException ignored) {
                        // the request already ended
                    }
                }
            }
        }

        /** Why the read failed, as the answer (which a cut-off client will not see). */
        HttpResponseException failed(String what) {
            return cut ? new HttpResponseException(408, "the request body arrived too slowly")
                    : new HttpResponseException(400, what + " could not be read (the client stopped sending?)");
        }

        @Override
        public void close() {
            ACTIVE.remove(this);
        }
    }


    /** The body as UTF-8 text of at most {@link #MAX_JSON} bytes. */
    static String text(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_JSON) {
            throw tooLarge("a JSON body", MAX_JSON);
        }
        byte[] buf = new byte[(int) Math.min(MAX_JSON + 1L, declared >= 0 ? declared + 1 : 8192)];
        int n = 0;
        Watch watch = new Watch(ctx);
        try (watch; InputStream in = ctx.req().getInputStream()) {
            while (true) {
                if (n == buf.length) {
                    if (n > MAX_JSON) {
                        throw tooLarge("a JSON body", MAX_JSON);
                    }
                    buf = Arrays.copyOf(buf, Math.min(MAX_JSON + 1, buf.length * 2));
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
                watch.add(r);
            }
        } catch (IOException e) {
            throw watch.failed("the request body");
        }
        if (n > MAX_JSON) {
            throw tooLarge("a JSON body", MAX_JSON);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(buf, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException("body", "the request body is not UTF-8 text");
        }
    }

    /** The body as one JSON object, parsed strictly; {@code field} is blamed when it is not one. */
    static JsonNode object(Context ctx, String field) {
        String t = text(ctx);
        if (t.isBlank()) {
            throw new ConfigException(field, "the request body is empty; send a JSON object");
        }
        JsonNode n = parse(t, field);
        if (!n.isObject()) {
            throw new ConfigException(field, "the request body must be a JSON object, got " + kind(n));
        }
        return n;
    }

    /** Parses strictly: duplicate keys, trailing data, deep nesting and bad syntax are 400s naming {@code field}. */
    static JsonNode parse(String text, String field) {
        try {
            return STRICT.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new ConfigException(field, "the JSON is nested too deeply or is too large");
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage() == null ? "invalid JSON" : e.getOriginalMessage().split("\n")[0];
            java.util.regex.Matcher dup = java.util.regex.Pattern.compile("^Duplicate field '([^']{1,60})'").matcher(why);
            if (dup.find()) {
                throw new ConfigException(dup.group(1), "'" + dup.group(1) + "' appears twice in the JSON");
            }
            throw new ConfigException(field, "the request body is not valid JSON: " + clip(RunConfig.plainJson(e)));
        }
    }

    static String kind(JsonNode n) {
        return n.isNull() ? "null" : n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String clip(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

    /**
     * An upload, raw (application/octet-stream, name from ?name=) or multipart (field {@code file}), spooled to a
     * file in {@code spoolDir} while counted: nothing over the limit is ever held, on disk or in memory, which holds
     * one 64 KB buffer. A disk that fills meanwhile is a 503 naming it, and the spool file goes.
     */
    static Upload upload(Context ctx, Path spoolDir) {
        boolean multipart = ctx.contentType() != null
                && ctx.contentType().toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
        long limit = Dataset.MAX_BYTES + (multipart ? MULTIPART_SLACK : 0);
        if (ctx.req().getContentLengthLong() > limit) {
            throw tooLarge("an upload", Dataset.MAX_BYTES);
        }
        Path spool;
        try {
            spool = Files.createTempFile(spoolDir, "upload-", ".part");
        } catch (IOException e) {
            throw StoreException.dataWrite("cannot receive the upload", e);
        }
        Upload whole = new Upload(ctx.queryParam("name"), spool, 0, 0);
        try {
            long n;
            try (FileChannel out = FileChannel.open(spool, StandardOpenOption.WRITE)) {
                n = receive(ctx, out, limit);
            } catch (IOException e) { // opening or closing the spool file: the disk's doing, not the client's
                throw StoreException.dataWrite("cannot receive the upload", e);
            }
            if (!multipart) {
                return new Upload(whole.name(), spool, 0, n);
            }
            Multipart.Part p = Multipart.file(spool, n, ctx.contentType());
            return new Upload(p.fileName(), spool, p.offset(), p.length());
        } catch (IOException e) {
            whole.close();
            throw new HttpResponseException(500, "the upload could not be read back");
        } catch (RuntimeException e) {
            whole.close();
            throw e;
        }
    }

    /** Copies the body into {@code out}, counting; a failed read is the client's, a failed write the disk's. */
    private static long receive(Context ctx, FileChannel out, long limit) {
        long n = 0;
        Watch watch = new Watch(ctx);
        try (watch; InputStream in = ctx.req().getInputStream()) {
            byte[] buf = new byte[64 * 1024];
            int r;
            while ((r = in.read(buf)) >= 0) {
                n += r;
                watch.add(r);
                if (n > limit) {
                    throw tooLarge("an upload", Dataset.MAX_BYTES);
                }
                try {
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, r);
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                } catch (IOException e) {
                    ctx.header("Connection", "close"); // the rest of the body has nowhere to go: hang up, do not drain it
                    throw StoreException.dataWrite("cannot receive the upload", e);
                }
            }
        } catch (IOException e) {
            throw watch.failed("the upload");
        }
        return n;
    }

    private static HttpResponseException tooLarge(String what, long limit) {
        String size = limit >= 1024 * 1024 ? limit / (1024 * 1024) + " MB" : limit / 1024 + " KB";
        return new HttpResponseException(413, what + " may be at most " + size);
    }
}
