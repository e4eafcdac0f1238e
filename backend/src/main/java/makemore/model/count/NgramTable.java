package makemore.model.count;

import java.util.HashMap;
import java.util.Map;
import makemore.data.Contexts;
import makemore.data.Interruption;

/**
 * How often each (context, next character) pair occurs in some words, keyed by {@code contextIndex * V + next}
 * where the context index reads the previous characters as a base-V number. Sparse, so 5-grams stay cheap.
 */
public final class NgramTable {
    public final int vocab;
    public final Map<Long, Integer> pairs = new HashMap<>();
    public final Map<Long, Integer> rows = new HashMap<>();
    public final long tokens;

    public NgramTable(Contexts ctx, int vocab) {
        this.vocab = vocab;
        for (int i = 0; i < ctx.size(); i++) {
            Interruption.check(i);
            long c = context(ctx, i, vocab);
            pairs.merge(c * vocab + ctx.y()[i], 1, Integer::sum);
            rows.merge(c, 1, Integer::sum);
        }
        this.tokens = ctx.size();
    }

    public static long context(Contexts ctx, int row, int vocab) {
        long idx = 0;
        for (int j = 0; j < ctx.block(); j++) {
            idx = idx * vocab + ctx.x()[row * ctx.block() + j];
        }
        return idx;
    }

    public int count(long context, int next) {
        return pairs.getOrDefault(context * vocab + next, 0);
    }

    public int rowTotal(long context) {
        return rows.getOrDefault(context, 0);
    }
}
