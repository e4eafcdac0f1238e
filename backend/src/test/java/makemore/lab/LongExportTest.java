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
}
