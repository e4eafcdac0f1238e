package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import makemore.store.StoreException;
import org.junit.jupiter.api.Test;

/** Faults in requests, storage and clients: runs keep their results, the server keeps answering. */
class FaultTest extends ServerTestBase {
    static final String LONG_MLP = "{\"model\":\"mlp\",\"steps\":200000,\"hidden\":16,\"evalEvery\":100000}";

    /** The lab with one more route, whose handler throws an OutOfMemoryError. */
    @Override
    LabServer newServer() {
        return LabServer.start(new LabOptions("127.0.0.1", 0, dir.resolve("lab.db").toString(), dir, null),
                app -> app.get("/api/test/error", ctx -> {
                    throw new OutOfMemoryError("Java heap space (thrown by the test)");
                }));
    }

    void waitForStep(String id, long step) throws Exception {
        long end = System.currentTimeMillis() + 60_000;
        while (json(send("GET", "/api/runs/" + id, null)).get("step").asLong() < step) {
            assertTrue(System.currentTimeMillis() < end, "run " + id + " never reached step " + step);
            Thread.sleep(20);
        }
    }

    @Test
    void anErrorInARequestLeavesATrainingRunsResultsStored() throws Exception {
        String id = createRun("{\"model\":\"mlp\",\"steps\":3000,\"hidden\":16,\"evalEvery\":1000}");
        waitForStep(id, 200);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = send("GET", "/api/test/error", null);
            assertEquals(500, r.statusCode(), r.body());
            assertFalse(r.body().contains("OutOfMemoryError") || r.body().contains("java."), r.body());
            assertTrue(json(r).get("error").asText().contains("internal error"), r.body());
        }
        waitFor(id, "finished");
        server.runs().flush();
        var stored = server.store().get(id).orElseThrow();
        assertEquals("finished", stored.status().label());
        assertEquals(3000, stored.step());
        assertEquals(1 + 1500, stored.progress().size()); // the first step (the loss at init), then every 2 steps
        assertEquals(6, stored.evals().size());
        // and the lab goes on: the next run trains and is stored too
        String next = createRun("{\"model\":\"ngram\"}");
        waitFor(next, "finished");
    }

    @Test
    void aFullDatabaseFailsTheRunCleanlyAndTheServerRecoversWhenSpaceReturns() throws Exception {
        String done = createRun("{\"model\":\"ngram\",\"context\":2}");
        waitFor(done, "finished");
        server.runs().flush();
        var before = server.store().get(done).orElseThrow();
        String id = createRun(LONG_MLP);
        waitForStep(id, 300);
        server.store().limitPagesForTest(server.store().limitPagesForTest(0)); // full at its current size
        JsonNode failed = waitFor(id, "failed");
        assertTrue(failed.get("message").asText().contains("could not be stored"), failed.toString());
        assertTrue(failed.get("message").asText().contains("full"), failed.toString());
        // while full: new runs are refused with a clear error (once the last free bytes of a page are gone)
        // and leave no row behind
        int accepted = 0;
        HttpResponse<String> r;
        while ((r = send("POST", "/api/runs", "{\"model\":\"ngram\",\"dataset\":\"names\"}")).statusCode() == 201) {
            accepted++;
            assertTrue(accepted < 100, "the full database kept accepting runs");
        }
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(json(r).get("error").asText().contains("full"), r.body());
        for (int i = 0; i < 3; i++) {
            assertEquals(503, send("POST", "/api/runs", "{\"model\":\"ngram\"}").statusCode());
        }
        // reads still answer
        assertEquals(2 + accepted, json(send("GET", "/api/runs", null)).size());
        server.store().limitPagesForTest(0); // space returns
        long end = System.currentTimeMillis() + 10_000;
        while (!server.store().get(id).orElseThrow().status().label().equals("failed")) {
            assertTrue(System.currentTimeMillis() < end, "the failed status was never stored");
            Thread.sleep(50);
        }
        String again = createRun("{\"model\":\"ngram\"}");
        waitFor(again, "finished");
        assertEquals(3 + accepted, json(send("GET", "/api/runs", null)).size(), "no orphan rows from refused POSTs");
        assertEquals(before, server.store().get(done).orElseThrow(), "what was stored before the fault is intact");
        assertTrue(server.store().get(id).orElseThrow().progress().size() > 0, "results up to the fault are kept");
    }

    @Test
    void aRunThatCannotSaveItsParametersFailsAndLeavesNoTempFile() throws Exception {
        String id = createRun("{\"model\":\"mlp\",\"steps\":4000,\"hidden\":16,\"evalEvery\":2000}");
        Path params = dir.resolve("params").resolve(id + ".params");
        Files.createDirectories(params.resolve("in-the-way")); // the checkpoint's final move cannot replace this
        JsonNode run = waitFor(id, "failed");
        assertTrue(run.get("message").asText().contains("cannot save its parameters"), run.toString());
        assertFalse(run.get("message").asText().contains(dir.toString()), "no server paths in messages");
        try (Stream<Path> files = Files.list(dir.resolve("params"))) {
            assertEquals(List.of(params), files.toList(), "no .tmp file stays behind");
        }
        server.runs().flush();
        assertEquals("failed", server.store().get(id).orElseThrow().status().label());
    }

    @Test
    void unusableStorageAtStartUpIsOneClearErrorNamingThePath() throws Exception {
        Path file = dir.resolve("not-a-folder");
        Files.writeString(file, "x");
        StoreException e = assertThrows(StoreException.class, () -> LabServer.start(
                new LabOptions("127.0.0.1", 0, dir.resolve("lab.db").toString(), file.resolve("data"), null)));
        assertTrue(e.getMessage().contains(file.resolve("data").toString()), e.getMessage());
        Files.createDirectories(dir.resolve("db-is-a-folder"));
        e = assertThrows(StoreException.class, () -> LabServer.start(
                new LabOptions("127.0.0.1", 0, dir.resolve("db-is-a-folder").toString(), dir.resolve("d"), null)));
        assertTrue(e.getMessage().contains(dir.resolve("db-is-a-folder").toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void threeHundredSlowBodiesDoNotStopTheServerAnswering() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                OutputStream out = s.getOutputStream();
                out.write(("POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                        + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(s);
            }
            Thread.sleep(300); // every one of them is now being read
            long t0 = System.nanoTime();
            HttpResponse<String> r = send("GET", "/api/runs", null);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(200, r.statusCode());
            assertTrue(ms < 1000, "GET /api/runs took " + ms + " ms with 300 slow bodies open");
            for (Socket s : slow) { // one more byte, far below the minimum rate
                try {
                    s.getOutputStream().write(' ');
                } catch (java.io.IOException alreadyClosed) {
                    // refused earlier: fine
                }
            }
            Thread.sleep((long) (Bodies.GRACE_SEC * 1000) + 700); // the watchdog has cut them off by now
            String id = createRun("{\"model\":\"ngram\"}"); // the body readers are free again
            waitFor(id, "finished");
            assertEquals(1, json(send("GET", "/api/runs", null)).size(), "no slow body created a run");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }
}
