package makemore.model.autograd;

import ai.djl.pytorch.engine.PtNDManager;
import java.util.ArrayList;
import java.util.List;
import makemore.data.Contexts;

/**
 * An {@link AutogradModel}'s own seeded generator (SplitMix64) and the training batches it draws. Not libtorch's
 * generator: that one is shared by the whole process, so runs on other threads would change each other's draws. The
 * state is one long so a checkpoint can carry it and a restored run draws the same batches.
 */
public final class BatchDraws {
    private final int[][] items; // SEQUENCE layout, else null
    private final Contexts contexts; // CONTEXT layout, else null
    private long state;

    public BatchDraws(int[][] items, Contexts contexts, long seed) {
        this.items = items;
        this.contexts = contexts;
        this.state = seed * 0x9E3779B97F4A7C15L + 1;
    }

    public long state() {
        return state;
    }

    public void setState(long state) {
        this.state = state;
    }

    /** Rows (CONTEXT) or items (SEQUENCE) in the training split. */
    public int size() {
        return items != null ? items.length : contexts.size();
    }

    public long next64() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private int nextInt(int n) {
        return (int) Math.floorMod(next64(), (long) n);
    }

    /** {@code n} training examples drawn with replacement. */
    public Batch draw(PtNDManager manager, int n, int gridAlign) {
        if (items != null) {
            List<int[]> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(items[nextInt(items.length)]);
            }
            return Batch.sequences(manager, batch, gridAlign);
        }
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = nextInt(contexts.size());
        }
        return Batch.contexts(manager, contexts, rows);
    }
}
