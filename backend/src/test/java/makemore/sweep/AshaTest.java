package makemore.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import makemore.config.ConfigException;
import org.junit.jupiter.api.Test;

/** ASHA's rule and random search's draws on synthetic results: no training, no database. */
class AshaTest {
    static final String MLP = "{\"base\":{\"model\":\"mlp\",\"steps\":180,\"evalEvery\":20},\"params\":[";
    static final String LR_HIDDEN = "{\"field\":\"lr\",\"range\":{\"lo\":0.001,\"hi\":1,\"scale\":\"log\"}},"
            + "{\"field\":\"hidden\",\"range\":{\"lo\":50,\"hi\":400}}]";

    @Test
    void rungsGrowByEtaUpToTheFullBudget() {
        assertEquals(List.of(20L, 60L, 180L), Asha.rungs(20, 3, 180));
        assertEquals(List.of(500L, 1500L, 4500L, 13500L, 20000L), Asha.rungs(500, 3, 20000));
        assertEquals(List.of(100L), Asha.rungs(100, 2, 100)); // min-steps = steps: one rung, no pruning
    }

    @Test
    void aTrialGoesOnOnlyInTheTopThirdOfTheResultsSoFar() {
        assertTrue(Asha.promote(2.5, List.of(), 3), "the first trial leads: it cannot wait, so it goes on");
        assertFalse(Asha.promote(2.6, List.of(2.5), 3), "second and worse: the top 1 of 2 is the first");
        assertTrue(Asha.promote(2.4, List.of(2.5, 2.6), 3), "best of 3");
        assertFalse(Asha.promote(2.55, List.of(2.5, 2.6), 3), "second of 3: only 1 goes on");
        assertTrue(Asha.promote(2.55, List.of(2.5, 2.6, 2.7, 2.8, 2.9), 3), "second of 6: 6/3 = 2 go on");
        assertFalse(Asha.promote(2.5, List.of(2.5, 2.6), 3), "a tie goes to the trial already there");
        assertFalse(Asha.promote(Double.NaN, List.of(), 3), "a diverged trial never goes on");
        assertTrue(Asha.promote(9.0, List.of(Double.POSITIVE_INFINITY), 2), "a diverged result ranks last");
        assertTrue(Asha.promote(2.55, List.of(2.5, 2.6, 2.7), 2), "eta 2: half of 4");
        String why = Asha.why(1, 60, 2.7, List.of(2.5, 2.6), 3, 0);
        assertTrue(why.contains("rung 1 (step 60)") && why.contains("ranks 3 of 3") && why.contains("top 1"), why);
    }

    /**
     * A stream of 81 synthetic trials in a random order, each at rung 0: about a third go on, and the
     * trial with the lowest result always does, whenever it arrives.
     */
    @Test
    void aboutOneInEtaIsPromotedWhateverTheOrder() {
        for (int seed = 0; seed < 20; seed++) {
            Random rng = new Random(seed);
            List<Double> seen = new ArrayList<>();
            int promoted = 0;
            double best = Double.POSITIVE_INFINITY;
            boolean bestWentOn = false;
            for (int i = 0; i < 81; i++) {
                double dev = 2 + rng.nextDouble();
                boolean up = Asha.promote(dev, seen, 3);
                promoted += up ? 1 : 0;
                if (dev < best) {
                    best = dev;
                    bestWentOn = up;
                }
                seen.add(dev);
            }
            assertTrue(bestWentOn);
            assertTrue(promoted >= 20 && promoted <= 40, "seed " + seed + ": " + promoted + " of 81");
        }
    }

    @Test
    void randomTrialsAreReproducibleWithinTheirRangesAndRoundedOnIntFields() {
        SweepDefinition d = SweepDefinition.parse(MLP + LR_HIDDEN + ",\"search\":{\"kind\":\"random\",\"trials\":27,"
                + "\"seed\":1}}");
        List<SweepDefinition.Point> a = d.expand();
        assertEquals(27, a.size());
        assertEquals(27, d.size());
        assertEquals(a.stream().map(SweepDefinition.Point::params).toList(),
                SweepDefinition.fromStored(d.toJson()).expand().stream().map(SweepDefinition.Point::params).toList());
        assertEquals(d.hash(), SweepDefinition.fromStored(d.toJson()).hash());
        int lowDecade = 0;
        for (SweepDefinition.Point p : a) {
            double lr = p.config().lr();
            assertTrue(lr >= 0.001 && lr <= 1, "lr " + lr);
            lowDecade += lr < 0.01 ? 1 : 0;
            assertTrue(p.config().hidden() >= 50 && p.config().hidden() <= 400);
            assertTrue(p.params().get("hidden") instanceof Long, "ints are rounded");
        }
        assertTrue(lowDecade >= 3 && lowDecade <= 16, "log-uniform: about a third in [0.001, 0.01), got " + lowDecade);
        List<Map<String, Object>> other = SweepDefinition.parse(MLP + LR_HIDDEN + ",\"search\":{\"kind\":\"random\","
                + "\"trials\":27,\"seed\":2}}").expand().stream().map(SweepDefinition.Point::params).toList();
        assertNotEquals(a.stream().map(SweepDefinition.Point::params).toList(), other);
        // a grid's stored JSON has no search: grids defined before search existed keep their hash (and pods' ids)
        assertFalse(SweepDefinition.parse(MLP + "{\"field\":\"hidden\",\"values\":[8,16]}]}").toJson()
                .contains("search"));
    }

    @Test
    void badSearchesNameTheirFlag() {
        String asha = ",\"search\":{\"kind\":\"asha\",\"trials\":9,\"eta\":3,\"minSteps\":20}}";
        assertEquals(List.of(20L, 60L, 180L), SweepDefinition.parse(MLP + LR_HIDDEN + asha).search().rungs(180));
        // without --min-steps the first rung is an evaluation: the MLP's defaults (20,000 steps, every 1,000) take it
        Search byDefault = SweepDefinition.parse("{\"base\":{\"model\":\"mlp\"},\"params\":[" + LR_HIDDEN
                + ",\"search\":{\"kind\":\"asha\",\"trials\":9}}").search();
        assertEquals(2000, byDefault.minSteps(), "20,000 / 9 = 2,222, down to the evaluation below, at least one");
        assertEquals(500, byDefault.cooldown(), "the cooldown defaults to a quarter of the first rung");
        Search cooled = SweepDefinition.parse(MLP + LR_HIDDEN + asha.replace("}}", ",\"cooldown\":0}}")).search();
        assertEquals(0, cooled.cooldown());
        assertTrue(SweepDefinition.parse(MLP + LR_HIDDEN + asha).toJson().contains("\"cooldown\":5"), "stored");
        assertBad("rung-cooldown", "[0, --steps 180]", LR_HIDDEN + asha.replace("}}", ",\"cooldown\":181}}"));
        assertBad("rung-cooldown", "integer", LR_HIDDEN + asha.replace("}}", ",\"cooldown\":1.5}}"));
        assertBad("rung-cooldown", "takes no 'cooldown'", LR_HIDDEN
                + ",\"search\":{\"kind\":\"random\",\"trials\":9,\"cooldown\":5}}");
        assertBad("trials", "needs two", LR_HIDDEN + asha.replace("\"trials\":9", "\"trials\":1"));
        assertBad("eta", "[2, 100]", LR_HIDDEN + asha.replace("\"eta\":3", "\"eta\":1"));
        assertBad("min-steps", "[1, --steps 180]", LR_HIDDEN + asha.replace("\"minSteps\":20", "\"minSteps\":200"));
        assertBad("min-steps", "multiple of evalEvery", LR_HIDDEN + asha.replace("\"minSteps\":20", "\"minSteps\":30"));
        assertBad("trials", "queue", LR_HIDDEN + asha.replace("\"trials\":9", "\"trials\":501"));
        assertBad("lr", "lo < hi", LR_HIDDEN.replace("\"lo\":0.001", "\"lo\":2") + asha);
        assertBad("lr", "lo > 0", LR_HIDDEN.replace("\"lo\":0.001", "\"lo\":0") + asha);
        assertBad("lr", "drawn, not spaced", LR_HIDDEN.replace("\"scale\":\"log\"", "\"scale\":\"log\",\"points\":3")
                + asha);
        assertBad("search", "grid is meant", "{\"field\":\"lr\",\"values\":[0.1,0.2]}]" + asha);
        assertBad("search", "grid, random or asha", LR_HIDDEN + ",\"search\":{\"kind\":\"tpe\"}}");
        assertBad("prune", "rungs", LR_HIDDEN + ",\"prune\":{\"margin\":0.1}" + asha);
        // a values list next to a range is drawn from
        SweepDefinition mixed = SweepDefinition.parse(MLP + "{\"field\":\"lr\",\"range\":{\"lo\":0.01,\"hi\":1}},"
                + "{\"field\":\"hidden\",\"values\":[8,16]}]" + asha);
        assertTrue(mixed.expand().stream().allMatch(p -> List.of(8, 16).contains(p.config().hidden())));
    }

    private static void assertBad(String field, String words, String rest) {
        ConfigException e = assertThrows(ConfigException.class, () -> SweepDefinition.parse(MLP + rest).expand());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(words), e.getMessage());
    }
}
