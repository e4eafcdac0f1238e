package makemore.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import makemore.store.RunStore;
import makemore.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's data folder on a real 4 MB tmpfs: an upload that fills it, while arriving or while being stored, is a 503
 * naming the disk, leaves no partial file and no dataset behind, and the datasets stored before are untouched.
 */
class FullDiskTest {
    static final String PETS = "rex\nfido\nbella\nmax\nluna\ncharlie\nlucy\ncooper\ndaisy\nbo\n";

    @TempDir
    Path dir;

    static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new AssertionError("this test needs root to mount a tmpfs as a full disk: '" + String.join(" ", cmd)
                    + "' failed: " + out);
        }
    }

    /** {@code mb} MB of valid short lines. */
    static byte[] lines(int mb) {
        StringBuilder b = new StringBuilder(mb << 20);
        for (int i = 0; b.length() < mb << 20; i++) {
            b.append("pet").append(Integer.toString(i, 26)).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static RawHttp.Response post(LabServer lab, String path, String type, byte[] body) throws Exception {
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + lab.port() + "\r\nContent-Type: " + type
                + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        return RawHttp.send(lab.port(), head, out -> out.write(body));
    }

    static List<String> files(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void anUploadThatFillsTheDiskIsA503NamingItAndLeavesNothingBehind() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", data.toString());
        LabServer lab = null;
        try {
            lab = LabServer.start(new LabOptions("127.0.0.1", 0, dir.resolve("lab.db").toString(), data, null));
            RawHttp.Response r = post(lab, "/api/datasets?name=pets.txt", "application/octet-stream",
                    PETS.getBytes(StandardCharsets.UTF_8));
            assertEquals(201, r.status(), r.body());
            String pets = RunStore.JSON.readTree(r.body()).get("id").asText();
            List<String> before = files(data.resolve("datasets"));
            assertEquals(List.of(pets + ".json", pets + ".txt"), before);
            byte[] petsJson = Files.readAllBytes(data.resolve("datasets").resolve(pets + ".json"));

            // 6 MB cannot even arrive; 3 MB arrives (as multipart) but its copy into place does not fit beside it
            byte[] big = lines(6);
            byte[] form = concat(("--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"pets2.txt\"\r\n"
                    + "Content-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8), lines(3),
                    "\r\n--b0undary--\r\n".getBytes(StandardCharsets.UTF_8));
            for (String how : List.of("arriving", "stored")) {
                r = how.equals("arriving") ? post(lab, "/api/datasets?name=big.txt", "application/octet-stream", big)
                        : post(lab, "/api/datasets", "multipart/form-data; boundary=b0undary", form);
                assertEquals(503, r.status(), how + ": " + r.body());
                String why = RunStore.JSON.readTree(r.body()).get("error").asText();
                assertTrue(why.contains(StoreException.NO_SPACE), how + ": " + why);
                assertEquals(before, files(data.resolve("datasets")), how + ": nothing partial stays behind");
            }
            assertEquals(PETS, Files.readString(data.resolve("datasets").resolve(pets + ".txt")));
            assertArrayEquals(petsJson, Files.readAllBytes(data.resolve("datasets").resolve(pets + ".json")));
            r = RawHttp.send(lab.port(), "GET /api/datasets HTTP/1.1\r\nHost: 127.0.0.1:" + lab.port()
                    + "\r\nConnection: close\r\n\r\n", null);
            assertEquals(2, RunStore.JSON.readTree(r.body()).size(), "names and pets only: " + r.body());
            // the space the failed uploads took is free again
            r = post(lab, "/api/datasets?name=more.txt", "application/octet-stream", lines(1));
            assertEquals(201, r.status(), r.body());
        } finally {
            if (lab != null) {
                lab.close();
            }
            run("umount", data.toString());
        }
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
