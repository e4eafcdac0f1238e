package makemore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./lab sweep --json and parameter importance (the estimate itself: sweep/ImportanceTest). */
class SweepImportanceJsonTest {

    @TempDir
    Path dir;

    /** Two fields: --json carries which one mattered; one field: the reason there is no estimate. */
    @Test
    void jsonCarriesParameterImportanceForTwoFields() throws Exception {
        SweepCommandTest.Result r = SweepCommandTest.inJvmArgs(Map.of(), "--model", "ngram", "--param", "smoothing",
                "--values", "0.001,0.1,10,1000", "--param", "context", "--values", "1,2", "--db",
                dir.resolve("imp.db").toString(), "--json", "--quiet");
        assertEquals(0, r.code(), r.err());
        JsonNode imp = SweepCommandTest.lastLine(r.out()).get("importance");
        assertEquals(8, imp.get("points").asInt());
        assertTrue(imp.get("omitted").isNull(), imp.toString());
        assertTrue(imp.get("method").asText().startsWith("functional ANOVA"), imp.toString());
        double sum = imp.get("rest").asDouble();
        for (JsonNode f : imp.get("fields")) {
            sum += f.get("share").asDouble();
            assertTrue(f.get("best").get("devMean").isNumber(), f.toString());
        }
        assertEquals(1.0, sum, 1e-9);
        // add-1000 smoothing flattens a trigram to near uniform: smoothing drives dev more than context here
        assertEquals("smoothing", imp.get("fields").get(0).get("field").asText(), imp.toString());
        assertEquals(4, imp.get("fields").get(0).get("bins").size());
        // the default sweep of SweepCommandTest: smoothing alone
        JsonNode one = SweepCommandTest.lastLine(SweepCommandTest.inJvm(Map.of(), "--db",
                dir.resolve("imp1.db").toString(), "--json").out()).get("importance");
        assertTrue(one.get("fields").isEmpty());
        assertTrue(one.get("omitted").asText().startsWith("one swept field (smoothing)"), one.toString());
    }
}
