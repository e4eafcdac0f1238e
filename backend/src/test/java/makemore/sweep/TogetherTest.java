package makemore.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import makemore.config.ConfigException;
import makemore.config.Limits;
import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.model.Models;
import org.junit.jupiter.api.Test;

/** Which points train together: same shapes, at most K, within one run's memory limit; the rest alone. */
class TogetherTest {
    static final Corpus NAMES = new Corpus(Dataset.builtinNames());

    static List<List<Integer>> groups(String sweep, int k) {
        return Together.groups(SweepDefinition.parse(sweep).expand(), k, NAMES).stream()
                .map(g -> g.stream().map(SweepDefinition.Point::index).toList()).toList();
    }

    @Test
    void pointsOfTheSameShapesGroupUpToKInTheOrderOfTheirFirstPoint() {
        String grid = "{\"base\":{\"model\":\"mlp\",\"steps\":10},\"params\":[{\"field\":\"lr\",\"values\":[0.1,0.2,0.3]},"
                + "{\"field\":\"hidden\",\"values\":[16,32]}]}"; // points 0, 2, 4 have hidden 16; 1, 3, 5 hidden 32
        assertEquals(List.of(List.of(0, 2), List.of(1, 3), List.of(4), List.of(5)), groups(grid, 2));
        assertEquals(List.of(List.of(0, 2, 4), List.of(1, 3, 5)), groups(grid, 16));
        assertEquals(List.of(List.of(0), List.of(1), List.of(2), List.of(3), List.of(4), List.of(5)), groups(grid, 1));
    }

    /** By default a group too small to pay for batching (under {@link Together#LEAST} points) trains alone. */
    @Test
    void aGroupUnderTheLeastTrainsItsPointsAlone() {
        String lrs = "{\"base\":{\"model\":\"mlp\",\"steps\":10},\"params\":[{\"field\":\"lr\",\"range\":{\"lo\":0.01,"
                + "\"hi\":1,\"points\":20,\"scale\":\"log\"}}]}";
        List<List<SweepDefinition.Point>> g = Together.groups(SweepDefinition.parse(lrs).expand(), 16, 8, NAMES);
        assertEquals(List.of(16, 1, 1, 1, 1), g.stream().map(List::size).toList(), "16 together, the last 4 alone");
        assertEquals(8, Together.take(lrs).least(), "the default");
        assertEquals(1, Together.take(lrs.replace("{\"base\"", "{\"together\":4,\"base\"")).least(), "as asked");
    }

    @Test
    void modelsWithoutAGroupAndBatchnormTrainAlone() {
        assertEquals(List.of(List.of(0), List.of(1)), groups("{\"base\":{\"model\":\"ngram\"},\"params\":[{\"field\":"
                + "\"smoothing\",\"values\":[0.1,1]}]}", 16));
        assertEquals(List.of(List.of(0), List.of(1)), groups("{\"base\":{\"model\":\"mlp\",\"batchnorm\":true,"
                + "\"steps\":10},\"params\":[{\"field\":\"lr\",\"values\":[0.1,0.2]}]}", 16));
    }

    @Test
    void aGroupOverTheMemoryLimitIsSplitNeverRefused() {
        String big = "{\"base\":{\"model\":\"mlp\",\"steps\":10,\"hidden\":4096,\"embDim\":512,\"context\":16},"
                + "\"params\":[{\"field\":\"lr\",\"values\":[0.01,0.02,0.03,0.04,0.05]}]}";
        List<SweepDefinition.Point> points = SweepDefinition.parse(big).expand();
        long each = Models.estimate(points.get(0).config(), NAMES).bytes();
        int fit = (int) (Limits.RUN_BYTES / each);
        assertTrue(fit >= 2 && fit < 5, "this config fits " + fit + " a group (" + each + " bytes each)");
        List<List<Integer>> g = groups(big, 16);
        assertEquals(5, g.stream().mapToInt(List::size).sum(), "every point trains");
        for (List<Integer> group : g) {
            assertTrue(group.size() <= fit, group + " passes " + Limits.RUN_BYTES + " bytes");
        }
        assertEquals(fit, g.get(0).size(), "as many as fit, not fewer");
    }

    @Test
    void togetherOutsideOneToTheQueueBoundIsRefusedNamingIt() {
        for (int bad : new int[] {0, -1, Limits.QUEUED_RUNS + 1}) {
            ConfigException e = assertThrows(ConfigException.class, () -> Together.check(bad));
            assertEquals("together", e.field());
        }
        assertEquals(Limits.QUEUED_RUNS, Together.check(Limits.QUEUED_RUNS));
        assertEquals(1, Together.take("{\"prune\":{\"margin\":0.1}}").k(), "the median rule: one at a time");
        assertEquals(1, Together.take("{\"search\":{\"kind\":\"asha\",\"trials\":9}}").k(), "ASHA: one at a time");
        assertEquals(16, Together.take("{\"search\":{\"kind\":\"random\",\"trials\":9}}").k(), "random: grouped");
        assertEquals(Together.DEFAULT, Together.take("{\"params\":[]}").k());
        Together.Asked a = Together.take("{\"params\":[],\"together\":4}");
        assertEquals(4, a.k());
        assertEquals("{\"params\":[]}", a.sweep(), "not part of the definition (nor its hash)");
    }
}
