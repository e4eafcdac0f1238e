package makemore.lab;

import makemore.model.Models;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import makemore.store.RunRecord;
import makemore.config.RunConfig;
import makemore.event.RunEvent;
import makemore.event.RunStatus;
import org.junit.jupiter.api.Test;

class LongExportTest {
    @Test
    void oneRowPerStepAndSplitWithEveryConfigColumn() {
        RunConfig cfg = Models.validate(RunConfig.fromJson("{\"model\":\"mlp\",\"steps\":20,\"evalEvery\":20}"));
        RunRecord r = new RunRecord("r1", "2026-01-01T00:00:00Z", cfg, RunStatus.FINISHED, "done", 20, 100.0, 2.5,
                new RunRecord.TestScore(2.6, "t"), List.of(new RunRecord.Point(10, 3.0, 0.1),
                        new RunRecord.Point(20, 2.8, 0.1)),
                List.of(new RunEvent.Eval(20, "train", 2.4), new RunEvent.Eval(20, "dev", Double.POSITIVE_INFINITY)),
                null, null, List.of(), "lecture mlp", null);
        List<Map<String, Object>> rows = LongExport.rows(List.of(r), Map.of("r1", "s1"));
        assertEquals(5, rows.size());
        String[] lines = LongExport.csv(rows).split("\n");
        List<String> header = List.of(lines[0].split(","));
        assertEquals(LongExport.columns(), header);
        assertTrue(header.containsAll(List.of("lr", "hidden", "embDim", "smoothing", "lrMin", "schedule")));
        String[] train = lines[1].split(",", -1);
        assertEquals("r1", train[0]);
        assertEquals("lecture mlp", train[1]);
        assertEquals("s1", train[2]);
        assertEquals("mlp", train[header.indexOf("model")]);
        assertEquals("", train[header.indexOf("smoothing")], "a field the model does not read is empty");
        assertEquals("train_batch", train[header.indexOf("split")]);
        assertEquals("0.1", train[header.size() - 1]);
        assertTrue(lines[4].contains(",dev,inf,"), lines[4]);
        assertTrue(lines[5].contains(",test,2.6,"), lines[5]);
        assertEquals("\"a,\"\"b\"\"\"", LongExport.cell("a,\"b\""));
    }

    /**
     * An lr sweep's CSV read as pandas and csv.DictReader read it (python3 itself): the header's names are unique,
     * every train and dev row carries its point's swept lr, and a name a spreadsheet would run is inert.
     */
    @Test
    void anLrSweepsCsvReadsBackWithDictReader(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        List<RunRecord> runs = new java.util.ArrayList<>();
        for (double lr : new double[] {0.03, 0.3}) {
            RunConfig cfg = Models.validate(RunConfig.fromJson("{\"model\":\"mlp\",\"steps\":20,\"evalEvery\":10,"
                    + "\"lr\":" + lr + "}"));
            runs.add(new RunRecord("lr" + lr, "2026-01-01T00:00:00Z", cfg, RunStatus.FINISHED, "done", 20, 100.0, 2.5,
                    null, List.of(new RunRecord.Point(10, 3.0, lr), new RunRecord.Point(20, 2.8, lr / 10)),
                    List.of(new RunEvent.Eval(10, "train", 2.6), new RunEvent.Eval(10, "dev", 2.7),
                            new RunEvent.Eval(20, "train", 2.4), new RunEvent.Eval(20, "dev", 2.5)),
                    null, null, List.of(), "=HYPERLINK(\"x\")", null));
        }
        java.nio.file.Path csv = dir.resolve("sweep.csv");
        java.nio.file.Files.writeString(csv, LongExport.csv(LongExport.rows(runs, Map.of())));
        String check = String.join("\n",
                "import csv, sys",
                "rows = list(csv.DictReader(open(sys.argv[1], newline='')))",
                "names = csv.reader(open(sys.argv[1], newline='')).__next__()",
                "assert len(names) == len(set(names)), 'duplicate columns: ' + str(names)",
                "evals = [r for r in rows if r['split'] in ('train', 'dev')]",
                "assert len(evals) == 8, len(evals)",
                "for r in evals:",
                "    assert r['lr'] == ('0.03' if r['run'] == 'lr0.03' else '0.3'), r",
                "assert all(r['name'].startswith(\"'=\") for r in rows), rows[0]['name']",
                "steps = [r for r in rows if r['split'] == 'train_batch']",
                "assert [r['lr_at_step'] for r in steps] == ['0.03', '0.003', '0.3', '0.03'], steps",
                "print('ok', len(rows))");
        Process p = new ProcessBuilder("python3", "-c", check, csv.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "python3 csv.DictReader: " + said);
        assertEquals("ok 12", said.strip());
    }
}
