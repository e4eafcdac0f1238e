package makemore.data;

import java.nio.IntBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The distinct contexts of a {@link Contexts}, and which one each row has. A fixed-context model's output depends on
 * the context alone, so scoring a split needs one forward pass per distinct context, not per row: the names' train
 * split has 183,701 rows but 5,467 distinct contexts of 3 characters (50,751 of 8), so an evaluation runs a 34th (a
 * quarter) of the rows' forward pass and gives the same log-probabilities.
 *
 * @param x    the distinct contexts, {@code block} ids each, in order of first appearance
 * @param of   for each row of the original, the index of its context in {@code x}
 * @param y    each row's target, as in the original
 */
public record DistinctContexts(int block, int count, int[] x, int[] of, int[] y) {

    public static DistinctContexts of(Contexts ctx) {
        int b = ctx.block();
        int n = ctx.size();
        int[] of = new int[n];
        Map<IntBuffer, Integer> index = new HashMap<>();
        int[] x = new int[Math.multiplyExact(n, b)];
        int count = 0;
        for (int r = 0; r < n; r++) {
            Interruption.check(r);
            // an IntBuffer's equals and hashCode read its remaining ids: a view of the row, no copy
            Integer u = index.putIfAbsent(IntBuffer.wrap(ctx.x(), r * b, b).slice(), count);
            if (u == null) {
                System.arraycopy(ctx.x(), r * b, x, count * b, b);
                u = count++;
            }
            of[r] = u;
        }
        return new DistinctContexts(b, count, java.util.Arrays.copyOf(x, count * b), of, ctx.y());
    }

    /** Rows in the original. */
    public int rows() {
        return of.length;
    }

    /**
     * Each original row's log-probability of its target, from the log-probabilities over the vocabulary of the
     * distinct contexts {@code start} to {@code start + n} ({@code logp[(u - start) * vocab + id]}), computed a chunk
     * at a time so no more than a chunk's [n, vocab] array is ever held; rows of other contexts are left as they are.
     */
    public void fill(float[] rowLogp, int start, int n, float[] logp, int vocab) {
        for (int r = 0; r < of.length; r++) {
            int u = of[r] - start;
            if (u >= 0 && u < n) {
                rowLogp[r] = logp[u * vocab + y[r]];
            }
        }
    }
}
