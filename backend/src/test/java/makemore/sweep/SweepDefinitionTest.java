package makemore.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import makemore.config.ConfigException;
import makemore.train.LrFinder;
import org.junit.jupiter.api.Test;

class SweepDefinitionTest {
    static ConfigException bad(String json) {
        return assertThrows(ConfigException.class, () -> SweepDefinition.parse(json).expand());
    }

    @Test
    void listsAndRangesExpandIntoValidatedRuns() {
        SweepDefinition d = SweepDefinition.parse("{\"base\":{\"model\":\"mlp\",\"steps\":100},\"params\":["
                + "{\"field\":\"lr\",\"range\":{\"lo\":0.001,\"hi\":1,\"points\":4,\"scale\":\"log\"}},"
                + "{\"field\":\"hidden\",\"values\":[8,16]}],\"seeds\":3}");
        List<SweepDefinition.Point> pts = d.expand();
        assertEquals(4 * 2 * 3, pts.size());
        assertEquals(List.of(0.001, 0.01, 0.1, 1.0), d.params().get(0).values().stream()
                .map(v -> Math.round(v * 1e9) / 1e9).toList());
        SweepDefinition.Point p = pts.get(7); // lr index 1, hidden index 0, seed index 1
        assertEquals(16 / 16 * 8, p.config().hidden());
        assertEquals(0.01, p.config().lr(), 1e-12);
        assertEquals(43L, p.config().seed());
        assertEquals(2, p.group());
        assertEquals(100, p.config().steps());
        assertEquals(0.001, pts.get(0).config().lr(), 0); // range ends are exact
        assertEquals(1.0, pts.get(pts.size() - 1).config().lr(), 0);
        // the same definition hashes the same; a different one does not
        assertEquals(d.hash(), SweepDefinition.fromStored(d.toJson()).hash());
        assertNotEquals(d.hash(), SweepDefinition.parse("{\"base\":{\"model\":\"mlp\",\"steps\":100},\"params\":["
                + "{\"field\":\"hidden\",\"values\":[8,16]}]}").hash());
        // a lin range over an int field is rounded and deduplicated
        SweepDefinition ints = SweepDefinition.parse("{\"base\":{\"model\":\"mlp\"},\"params\":[{\"field\":\"context\","
                + "\"range\":{\"lo\":1,\"hi\":3,\"points\":5}}]}");
        assertEquals(List.of(1.0, 2.0, 3.0), ints.params().get(0).values());
        assertEquals(3L, (long) (Long) ints.expand().get(2).params().get("context"));
    }

    @Test
    void threeFieldsMakeAGridLastFieldFastestAndSevenAreRefused() {
        SweepDefinition d = SweepDefinition.parse("{\"base\":{\"model\":\"mlp\",\"steps\":20},\"params\":["
                + "{\"field\":\"hidden\",\"values\":[8,16]},{\"field\":\"lr\",\"values\":[0.1,0.3]},"
                + "{\"field\":\"embDim\",\"values\":[2,4,6]}],\"seeds\":2}");
        List<SweepDefinition.Point> pts = d.expand();
        assertEquals(2 * 2 * 3 * 2, pts.size());
        SweepDefinition.Point p = pts.get(2 * (3 + 2) + 1); // group 5: hidden 8, lr 0.3, embDim 6; second seed
        assertEquals(5, p.group());
        assertEquals(8, p.config().hidden());
        assertEquals(0.3, p.config().lr(), 0);
        assertEquals(6, p.config().embDim());
        assertEquals(43L, p.config().seed());
        assertEquals(16, pts.get(pts.size() - 1).config().hidden());
        assertEquals(12, pts.stream().map(SweepDefinition.Point::params).map(m -> List.of(m.get("hidden"), m.get("lr"),
                m.get("embDim"))).distinct().count(), "every combination once per seed");
        StringBuilder seven = new StringBuilder("{\"base\":{\"model\":\"mlp\"},\"params\":[");
        String[] fields = {"hidden", "lr", "embDim", "context", "steps", "batch", "evalEvery"};
        for (int i = 0; i < fields.length; i++) {
            seven.append(i == 0 ? "" : ",").append("{\"field\":\"").append(fields[i]).append("\",\"values\":[8]}");
        }
        ConfigException tooMany = bad(seven + "]}");
        assertEquals("params", tooMany.field());
        assertTrue(tooMany.getMessage().contains("1 to 6 fields"), tooMany.getMessage());
    }

    @Test
    void badSweepsAreClearErrors() {
        String base = "{\"base\":{\"model\":\"ngram\",\"context\":2},\"params\":[";
        assertTrue(bad(base + "{\"field\":\"smoothing\",\"values\":[]}]}").getMessage().contains("zero points"));
        ConfigException big = bad(base + "{\"field\":\"smoothing\",\"range\":{\"lo\":1,\"hi\":2,\"points\":30}},"
                + "{\"field\":\"context\",\"values\":[1,2]}],\"seeds\":10}");
        assertTrue(big.getMessage().contains("600 runs") && big.getMessage().contains("500"), big.getMessage());
        ConfigException unknown = bad(base + "{\"field\":\"hidden\",\"values\":[1]}]}");
        assertEquals("hidden", unknown.field());
        assertTrue(unknown.getMessage().contains("no field 'hidden'"), unknown.getMessage());
        ConfigException choice = bad("{\"base\":{\"model\":\"mlp\"},\"params\":[{\"field\":\"schedule\",\"values\":[1]}]}");
        assertTrue(choice.getMessage().contains("only int and float"), choice.getMessage());
        ConfigException range = bad(base + "{\"field\":\"smoothing\",\"values\":[0.1,-1]}]}");
        assertEquals("smoothing", range.field());
        assertTrue(range.getMessage().startsWith("point 1 {smoothing=-1.0}: smoothing must be in"), range.getMessage());
        assertTrue(bad(base + "{\"field\":\"smoothing\",\"range\":{\"lo\":0,\"hi\":1,\"points\":3,\"scale\":\"log\"}}]}")
                .getMessage().contains("log range needs lo > 0"));
        ConfigException twice = bad(base + "{\"field\":\"smoothing\",\"values\":[1]},{\"field\":\"smoothing\",\"values\":[2]}]}");
        assertTrue(twice.getMessage().contains("swept twice"), twice.getMessage());
        assertTrue(bad(base + "{\"field\":\"context\",\"values\":[1.5]}]}").getMessage().contains("integer"));
        assertTrue(bad(base + "{\"field\":\"smoothing\",\"values\":[1]}],\"colour\":1}").getMessage()
                .contains("unknown sweep field"));
        assertEquals("base", bad("{\"base\":3,\"params\":[]}").field());
        assertEquals("lr", bad("{\"base\":{\"lr\":-1},\"params\":[{\"field\":\"seed\",\"values\":[1]}]}").field());
        assertEquals("params", bad("{\"base\":{}}").field());
        assertEquals("prune", bad(base + "{\"field\":\"smoothing\",\"values\":[1]}],\"prune\":{\"margin\":0.1}}").field());
        assertEquals("seeds", bad("{\"base\":{},\"params\":[{\"field\":\"seed\",\"values\":[1,2]}],\"seeds\":2}").field());
    }

    @Test
    void medianPruningAndTheLrFinderRule() {
        SweepDefinition.Prune p = new SweepDefinition.Prune(0.05, 3);
        assertNull(Pruner.verdict(p, 100, 9.0, List.of(2.0, 2.1)), "too few finished points to judge");
        assertNull(Pruner.verdict(p, 100, 2.14, List.of(2.0, 2.1, 2.3)));
        assertTrue(Pruner.verdict(p, 100, 2.16, List.of(2.0, 2.1, 2.3)).contains("median 2.1000"));
        assertEquals(2.05, Pruner.median(List.of(2.1, 2.0)), 1e-12);
        // a loss falling to its minimum at lr 0.1 then rising: the suggestion is where the smoothed loss is lowest
        List<double[]> curve = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            double lr = makemore.config.RunConfig.finderLr(1e-4, 10, i, 1000); // as the finder schedule gives it
            double x = Math.log10(lr) + 1; // 0 at lr 0.1
            curve.add(new double[] {lr, 2 + x * x});
        }
        LrFinder.Analysis a = LrFinder.analyse(curve);
        assertEquals(1000, a.points().size());
        assertTrue(a.minLr() >= 0.1 && a.minLr() <= 0.3, "smoothing lags the raw minimum a little: " + a.minLr());
        assertEquals(a.minLr(), a.suggestion(), 1e-15);
        assertEquals(1e-4, makemore.config.RunConfig.finderLr(1e-4, 10, 0, 1000), 1e-18);
        assertEquals(10, makemore.config.RunConfig.finderLr(1e-4, 10, 999, 1000), 1e-9);
        LrFinder f = new LrFinder();
        f.observe(1.0);
        assertTrue(!f.shouldStop(f.observe(1.0)));
        boolean stopped = false;
        for (int i = 0; i < 200 && !stopped; i++) {
            stopped = f.shouldStop(f.observe(50.0));
        }
        assertTrue(stopped, "a loss that blows up stops the finder");
    }

    /** A sweep body parses as strictly as a run config: trailing data and unknown keys anywhere are refused by name. */
    @Test
    void sweepBodiesAreStrict() {
        String ok = "{\"base\":{\"model\":\"ngram\"},\"params\":[{\"field\":\"smoothing\",\"values\":[0.1,1]}]}";
        assertEquals(2, SweepDefinition.parse(ok).expand().size());
        assertTrue(bad(ok + " {\"a\":1}").getMessage().contains("not valid JSON"), "trailing object");
        assertTrue(bad(ok + "]]]").getMessage().contains("not valid JSON"), "trailing brackets");
        ConfigException range = bad("{\"base\":{\"model\":\"ngram\"},\"params\":[{\"field\":\"smoothing\","
                + "\"range\":{\"lo\":0.1,\"hi\":1,\"points\":3,\"step\":2}}]}");
        assertTrue(range.getMessage().contains("unknown key 'step' in smoothing.range"), range.getMessage());
        ConfigException prune = bad("{\"base\":{\"model\":\"mlp\"},\"params\":[{\"field\":\"lr\",\"values\":"
                + "[0.1,1]}],\"prune\":{\"margin\":0.1,\"patience\":3}}");
        assertTrue(prune.getMessage().contains("unknown key 'patience' in prune"), prune.getMessage());
        assertEquals("prune", prune.field());
    }
}
