package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import makemore.data.Dataset;
import org.junit.jupiter.api.Test;

/** The upload size limit, at its edge: a file of exactly {@link Dataset#MAX_BYTES} is stored, one byte more is a 413. */
class UploadLimitTest extends ServerTestBase {
    /** Ten-byte lines ("item00000\n" ...) padded with spaces on the last line to exactly {@code size} bytes. */
    static byte[] file(long size) {
        byte[] b = new byte[(int) size];
        int lines = (int) (size / 10);
        for (int i = 0; i < lines; i++) {
            b[i * 10] = 'i';
            for (int d = 8, v = i; d >= 1; d--, v /= 10) {
                b[i * 10 + d] = (byte) ('0' + v % 10);
            }
            b[i * 10 + 9] = '\n';
        }
        for (int i = lines * 10; i < b.length; i++) {
            b[i] = ' ';
        }
        return b;
    }

    HttpResponse<String> post(String query, String type, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/api/datasets" + query)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] multipart(byte[] file) {
        byte[] head = ("--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"edge.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\r\n--b0undary--\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + file.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(file, 0, all, head.length, file.length);
        System.arraycopy(tail, 0, all, head.length + file.length, tail.length);
        return all;
    }

    @Test
    void exactlyTheLimitIsStoredAndOneByteMoreIsRefused() throws Exception {
        byte[] atLimit = file(Dataset.MAX_BYTES);
        HttpResponse<String> r = post("?name=edge.txt", "application/octet-stream", atLimit);
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(Dataset.MAX_BYTES / 10, json(r).get("items").asLong());
        String id = json(r).get("id").asText();
        assertEquals(Dataset.MAX_BYTES, Files.size(dir.resolve("datasets").resolve(id + ".txt")));

        byte[] over = java.util.Arrays.copyOf(atLimit, (int) Dataset.MAX_BYTES + 1);
        over[over.length - 1] = ' ';
        r = post("?name=over.txt", "application/octet-stream", over);
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(json(r).get("error").asText().contains("32 MB"), r.body());

        // a multipart file is held to the same limit; the framing around it has its own allowance
        atLimit[0] = 'j'; // a different file, so a new dataset
        r = post("", "multipart/form-data; boundary=b0undary", multipart(atLimit));
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("edge.txt", json(r).get("name").asText());
        assertEquals(Dataset.MAX_BYTES, Files.size(dir.resolve("datasets").resolve(json(r).get("id").asText() + ".txt")));
        r = post("", "multipart/form-data; boundary=b0undary", multipart(over));
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(json(r).get("error").asText().contains("32 MB"), r.body());

        assertEquals(3, json(send("GET", "/api/datasets", null)).size(), "names and the two at the limit");
        try (Stream<Path> left = Files.list(dir.resolve("datasets"))) {
            assertEquals(4, left.filter(p -> !p.toString().endsWith(".part") && !p.toString().endsWith(".tmp")).count());
        }
        try (Stream<Path> left = Files.list(dir.resolve("datasets"))) {
            assertEquals(List.of(), left.filter(p -> p.toString().endsWith(".part") || p.toString().endsWith(".tmp")).toList(),
                    "no spool or temp files stay behind");
        }
    }
}
