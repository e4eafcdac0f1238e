package makemore.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Random search's trials (Bergstra and Bengio, JMLR 2012): each field drawn independently, uniform on a lin range,
 * log-uniform on a log one, uniform over a values list. One seed gives the same trials on every machine, which is
 * what lets N processes agree on trial I without talking to each other.
 */
public final class RandomTrials {
    private RandomTrials() {}

    /**
     * {@code trials} value maps in field order. A range param holds [lo, hi] and scale lin or log; a values param
     * has scale {@link Search#CHOICE}. Int fields are rounded (and kept within the range).
     */
    public static List<Map<String, Object>> draw(List<SweepDefinition.Param> params, int trials, long seed,
            Predicate<String> isInt) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Map<String, Object>> out = new ArrayList<>();
        for (int t = 0; t < trials; t++) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (SweepDefinition.Param p : params) {
                double u = rng.nextDouble();
                double v;
                if (p.scale().equals(Search.CHOICE)) {
                    v = p.values().get(Math.min(p.values().size() - 1, (int) (u * p.values().size())));
                } else {
                    double lo = p.values().get(0);
                    double hi = p.values().get(1);
                    v = p.scale().equals("log") ? Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo)))
                            : lo + u * (hi - lo);
                }
                if (isInt.test(p.field())) {
                    long r = Math.round(v);
                    if (!p.scale().equals(Search.CHOICE)) {
                        r = Math.max((long) Math.ceil(p.values().get(0)), Math.min((long) Math.floor(p.values().get(1)), r));
                    }
                    m.put(p.field(), r);
                } else {
                    m.put(p.field(), v);
                }
            }
            out.add(m);
        }
        return out;
    }
}
