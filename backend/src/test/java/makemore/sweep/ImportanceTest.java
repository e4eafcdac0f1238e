package makemore.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Importance on synthetic objectives whose answer is known: no training. */
class ImportanceTest {

    private static double shareOf(Importance.Result r, String field) {
        return r.fields().stream().filter(f -> f.field().equals(field)).findFirst().orElseThrow().share();
    }

    private static Importance.FieldShare fieldOf(Importance.Result r, String field) {
        return r.fields().stream().filter(f -> f.field().equals(field)).findFirst().orElseThrow();
    }

    /** dev = f(lr) + small noise on an 8 x 4 grid; hidden does nothing. */
    @Test
    void aFieldThatDoesNothingGetsUnderFivePercent() {
        Random rng = new Random(1);
        double[] lrs = {1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3};
        DoubleUnaryOperator f = lr -> 2.0 + 0.3 * Math.pow(Math.log10(lr) + 1, 2); // best near 0.1
        List<Importance.Observation> pts = new ArrayList<>();
        for (double lr : lrs) {
            for (long hidden : new long[] {50, 100, 200, 400}) {
                pts.add(new Importance.Observation(Map.of("lr", lr, "hidden", hidden),
                        f.applyAsDouble(lr) + 0.02 * rng.nextGaussian()));
            }
        }
        Importance.Result r = Importance.estimate(List.of("lr", "hidden"), pts);
        assertNull(r.omitted());
        assertEquals(32, r.points());
        assertEquals("lr", r.fields().get(0).field(), "largest share first");
        assertTrue(shareOf(r, "hidden") < 0.05, "hidden does nothing: " + shareOf(r, "hidden"));
        assertTrue(shareOf(r, "lr") > 0.8, "lr is all there is: " + shareOf(r, "lr"));
        assertEquals(1.0, shareOf(r, "lr") + shareOf(r, "hidden") + r.rest(), 1e-9);
        // the values that matter: the grid's own values are the bins, and the best is lr = 0.1
        Importance.FieldShare lr = fieldOf(r, "lr");
        assertEquals(8, lr.bins().size());
        assertEquals(0.1, lr.best().lo(), 0);
        assertEquals(0.1, lr.best().hi(), 0);
        assertEquals(4, lr.best().n());
    }

    /** dev = 2 g(a) + h(b) + noise over scattered (random-search) points: both count, in proportion; c does nothing. */
    @Test
    void twoActiveFieldsShareInProportionAndScatteredPointsAreBinned() {
        Random rng = new Random(7);
        List<Importance.Observation> pts = new ArrayList<>();
        double[] ga = new double[200];
        double[] hb = new double[200];
        for (int i = 0; i < 200; i++) {
            double a = Math.exp(Math.log(1e-3) + rng.nextDouble() * Math.log(1e3)); // log-uniform in [1e-3, 1]
            double b = 50 + rng.nextDouble() * 350;
            double c = rng.nextDouble();
            ga[i] = 2 * Math.abs(Math.log10(a) + 1.5); // V-shaped in log a
            hb[i] = (b - 225) / 350;
            pts.add(new Importance.Observation(Map.of("a", a, "b", b, "c", c), 2 + ga[i] + hb[i] + 0.05 * rng.nextGaussian()));
        }
        Importance.Result r = Importance.estimate(List.of("a", "b", "c"), pts);
        double va = variance(ga);
        double vb = variance(hb);
        double expectA = va / (va + vb + 0.05 * 0.05);
        double expectB = vb / (va + vb + 0.05 * 0.05);
        assertTrue(shareOf(r, "c") < 0.05, "c does nothing: " + shareOf(r, "c"));
        // 8 quantile bins flatten each effect within a bin: for a's V, 3/8 of a decade wide at slope 2, that is
        // 0.75^2 / 12 of its 0.75 variance, about 6 of its 89 points, which move to the rest
        assertEquals(expectA - 0.06, shareOf(r, "a"), 0.04, "a's share");
        assertEquals(expectB, shareOf(r, "b"), 0.03, "b's share");
        assertTrue(shareOf(r, "a") > shareOf(r, "b"));
        Importance.FieldShare a = fieldOf(r, "a");
        assertEquals(8, a.bins().size(), "200 scattered values: 8 quantile bins");
        assertEquals(200, a.bins().stream().mapToInt(Importance.Bin::n).sum());
        for (Importance.Bin bin : a.bins()) {
            assertEquals(25, bin.n(), "equal counts");
        }
        // the best bin holds the optimum, a = 10^-1.5
        assertTrue(a.best().lo() <= Math.pow(10, -1.5) * 1.8 && a.best().hi() >= Math.pow(10, -1.5) / 1.8, a.best().toString());
        assertEquals(1.0, r.fields().stream().mapToDouble(Importance.FieldShare::share).sum() + r.rest(), 1e-9);
    }

    @Test
    void tooLittleToSayIsOmittedWithAReason() {
        List<Importance.Observation> three = List.of(new Importance.Observation(Map.of("a", 1, "b", 1), 2.0),
                new Importance.Observation(Map.of("a", 2, "b", 1), 2.1), new Importance.Observation(Map.of("a", 1, "b", 2), 2.2));
        Importance.Result r = Importance.estimate(List.of("a", "b"), three);
        assertTrue(r.fields().isEmpty());
        assertNotNull(r.omitted());
        assertTrue(r.omitted().contains("at least 4 finished points"), r.omitted());
        List<Importance.Observation> oneVaries = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            oneVaries.add(new Importance.Observation(Map.of("a", i, "b", 5), 2.0 + i));
        }
        Importance.Result single = Importance.estimate(List.of("a", "b"), oneVaries);
        assertTrue(single.omitted().contains("only a does"), single.omitted());
        assertNull(single.rest());
    }

    private static double variance(double[] xs) {
        double m = java.util.Arrays.stream(xs).average().orElseThrow();
        return java.util.Arrays.stream(xs).map(x -> (x - m) * (x - m)).average().orElseThrow();
    }
}
