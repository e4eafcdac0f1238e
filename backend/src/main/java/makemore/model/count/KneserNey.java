package makemore.model.count;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Interpolated Kneser-Ney over the counts of one {@link NgramTable} (Chen and Goodman 1998, one discount for all
 * orders). The full-context estimate takes {@code D} off every seen count and hands that mass to the estimate one
 * character shorter; shorter contexts count in how many distinct contexts a continuation follows ("continuation
 * counts") rather than how often; the recursion ends in the uniform distribution, so every probability is positive
 * and every row sums to 1 for any discount in (0, 1].
 */
public final class KneserNey {
    private final int vocab;
    private final int block;
    private final long[] pow; // V^k: a context index mod V^k keeps its last k characters
    private final NgramTable top;
    private final Map<Long, Integer> topKinds = new HashMap<>(); // distinct next characters after each full context
    /** Per shorter order k (0..block-1): continuation counts per (k-context, next), their row sums and kinds. */
    private final List<Map<Long, Integer>> cont = new ArrayList<>();
    private final List<Map<Long, Integer>> contRow = new ArrayList<>();
    private final List<Map<Long, Integer>> contKinds = new ArrayList<>();

    public KneserNey(NgramTable top, int block) {
        this.vocab = top.vocab;
        this.block = block;
        this.top = top;
        this.pow = new long[block + 1];
        pow[0] = 1;
        for (int k = 1; k <= block; k++) {
            pow[k] = pow[k - 1] * vocab;
        }
        for (long key : top.pairs.keySet()) {
            topKinds.merge(key / vocab, 1, Integer::sum);
        }
        for (int k = 0; k < block; k++) {
            cont.add(null);
            contRow.add(null);
            contKinds.add(null);
        }
        // The distinct (k+1)-grams are the suffixes of the distinct full ones; each one found adds 1 to the
        // continuation count of the k-gram it extends to the left.
        Set<Long> longer = top.pairs.keySet();
        for (int k = block - 1; k >= 0; k--) {
            Map<Long, Integer> cc = new HashMap<>();
            for (long key : longer) {
                long ctx = key / vocab;
                cc.merge((ctx % pow[k]) * vocab + key % vocab, 1, Integer::sum);
            }
            Map<Long, Integer> row = new HashMap<>();
            Map<Long, Integer> kinds = new HashMap<>();
            for (Map.Entry<Long, Integer> e : cc.entrySet()) {
                long ctx = e.getKey() / vocab;
                row.merge(ctx, e.getValue(), Integer::sum);
                kinds.merge(ctx, 1, Integer::sum);
            }
            cont.set(k, cc);
            contRow.set(k, row);
            contKinds.set(k, kinds);
            longer = cc.keySet();
        }
    }

    /** P(next | the block characters of {@code context}) with discount {@code d} in (0, 1]. */
    public double probability(long context, int next, double d) {
        double p = 1.0 / vocab;
        for (int k = 0; k < block; k++) {
            long h = context % pow[k];
            Integer den = contRow.get(k).get(h);
            if (den != null) { // a context never seen leaves the shorter estimate as it is
                int c = cont.get(k).getOrDefault(h * vocab + next, 0);
                p = (Math.max(c - d, 0) + d * contKinds.get(k).get(h) * p) / den;
            }
        }
        int den = top.rowTotal(context);
        if (den > 0) {
            p = (Math.max(top.count(context, next) - d, 0) + d * topKinds.get(context) * p) / den;
        }
        return p;
    }
}
