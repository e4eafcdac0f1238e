package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import makemore.data.Dataset;
import makemore.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Six 32 MB uploads at once against the lab as its own process, with the lab script's heap: the server's resident
 * memory grows by at most 600 MB, and every upload is stored or refused with a plain 503.
 */
class UploadMemoryTest {
    static final long MAX_GROWTH = 600L * 1024 * 1024;
    static final int UPLOADS = 6;

    @TempDir
    Path dir;

    /** Short random lowercase words, one a line, filling the file to just under {@code limit} bytes; returns the count. */
    static long writeWords(Path file, long limit, long seed) throws Exception {
        Random r = new Random(seed);
        long lines = 0;
        long size = 0;
        byte[] word = new byte[9];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            while (true) {
                int n = 4 + r.nextInt(5);
                if (size + n + 1 > limit) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    word[i] = (byte) ('a' + r.nextInt(26));
                }
                word[n] = '\n';
                out.write(word, 0, n + 1);
                size += n + 1;
                lines++;
            }
        }
        return lines;
    }

    /** A line of /proc/PID/status, in bytes. */
    static long status(long pid, String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new AssertionError("/proc/" + pid + "/status has no " + field + "; this test needs Linux's /proc");
    }

    @Test
    void sixConcurrent32MbUploadsStayWithin600MbAndAllSucceedOrGetAPlain503() throws Exception {
        Path body = dir.resolve("words.txt");
        long lines = writeWords(body, Dataset.MAX_BYTES - 16, 7);
        Files.createDirectories(dir.resolve("lab"));
        LabProcess lab = LabProcess.start(dir.resolve("lab"), "-Xmx2g"); // the lab script's default heap
        try {
            long pid = lab.process().pid();
            // the start-up peak is not the uploads' doing: reset the high-water mark (root may; else it only overstates)
            try {
                Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
            } catch (java.io.IOException notAllowed) {
                System.out.println("cannot reset VmHWM (" + notAllowed.getMessage() + "); the growth measured includes start-up");
            }
            long before = status(pid, "VmRSS");
            HttpClient http = HttpClient.newHttpClient();
            long t0 = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < UPLOADS; i++) {
                // a different first line each, so each is a new dataset that is validated and stored
                HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lab.port()
                        + "/api/datasets?name=big" + i + ".txt"))
                        .header("Content-Type", "application/octet-stream").timeout(Duration.ofSeconds(150))
                        .POST(HttpRequest.BodyPublishers.concat(
                                HttpRequest.BodyPublishers.ofString("upload" + i + "\n", StandardCharsets.UTF_8),
                                HttpRequest.BodyPublishers.ofFile(body)))
                        .build();
                sent.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
            }
            int stored = 0;
            for (CompletableFuture<HttpResponse<String>> f : sent) {
                HttpResponse<String> r = f.get(180, TimeUnit.SECONDS);
                JsonNode j = RunStore.JSON.readTree(r.body());
                if (r.statusCode() == 201) {
                    stored++;
                    assertEquals(lines + 1, j.get("items").asLong(), r.body());
                    assertEquals(27, j.get("characters").asInt(), r.body()); // a-z and the digit of "uploadN"
                } else {
                    assertEquals(503, r.statusCode(), r.body());
                    String why = j.get("error").asText();
                    assertTrue(why.contains("upload") && why.contains("try again"), why);
                    assertFalse(why.contains("Exception") || why.contains("java."), why);
                }
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            long grew = status(pid, "VmHWM") - before;
            System.out.printf("six %d MB uploads: %d stored, %.1f s, RSS %d MB before, peak grew by %d MB%n",
                    Dataset.MAX_BYTES >> 20, stored, sec, before >> 20, grew >> 20);
            assertTrue(stored >= 1, "no upload was stored");
            assertTrue(grew <= MAX_GROWTH, "the server's resident memory grew by " + (grew >> 20) + " MB (limit "
                    + (MAX_GROWTH >> 20) + " MB)");
        } finally {
            lab.process().destroyForcibly();
            lab.process().waitFor();
        }
    }
}
