package makemore.model.autograd;

import makemore.model.tensor.Tensors;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import makemore.data.Contexts;

/**
 * A batch as an {@link AutogradModel} sees it, with its targets.
 *
 * <p>Fixed contexts: {@link #idx} is [B, block] and the model returns [B, V] logits.
 *
 * <p>Sequences: item i becomes input [0, c1..cn] predicting [c1..cn, 0]. {@link #idx} is the [B, T] grid of
 * inputs (T = longest item + 1 of the batch, shorter items padded with 0); the model returns logits either for
 * every grid cell, [B, T, V], or for the real positions only, [N, V] in item order (cheaper: position-wise layers
 * then skip the padding). {@link #tokens}, {@link #positions} and {@link #toGrid}/{@link #fromGrid} serve the
 * latter. Padding cells of a grid built by {@link #toGrid} hold copies of real rows: a causal model never lets a
 * real position see them, and nothing reads their outputs.
 */
public final class Batch {
    /** [B, T] (sequences) or [B, block] (contexts) ids. */
    public final PtNDArray idx;
    /** Sequences: [N] ids and [N] positions of the real positions, item by item; null for contexts. */
    public final PtNDArray tokens;
    public final PtNDArray positions;
    /** B and T (T = block for contexts) and the number of targets N. */
    public final int items;
    public final int length;
    public final int count;
    public final PtNDArray targets; // [N, 1]
    private final PtNDArray rows; // [N]: each real position's cell in the flattened grid
    private final PtNDArray grid; // [B * T]: each cell's real position (padding: position 0)
    private boolean attributing;
    private PtNDArray inputs;

    private Batch(PtNDArray idx, PtNDArray tokens, PtNDArray positions, PtNDArray rows, PtNDArray grid, int items,
            int length, int count, PtNDArray targets) {
        this.idx = idx;
        this.tokens = tokens;
        this.positions = positions;
        this.rows = rows;
        this.grid = grid;
        this.items = items;
        this.length = length;
        this.count = count;
        this.targets = targets;
    }

    /**
     * A model passes its token embedding lookup through this. In an influence pass ({@link AutogradInfluence}) the
     * rows become a leaf of the autograd graph, so the gradient reaching each input token's embedding can be read
     * back from {@link #inputs()}; otherwise they pass unchanged.
     */
    public PtNDArray embedded(PtNDArray rows) {
        if (!attributing) {
            return rows;
        }
        inputs = JniUtils.detachGradient(rows);
        JniUtils.attachGradient(inputs, true);
        return inputs;
    }

    /** This batch, its embedding lookup to become a leaf in the next forward pass. */
    Batch attributing() {
        attributing = true;
        return this;
    }

    /** The leaf the last forward pass made of the embedding lookup, null outside an influence pass. */
    PtNDArray inputs() {
        return inputs;
    }

    /** Kept out of every scope until {@link #adopt}: a batch drawn ahead of its step (see AutogradModel.drawAhead). */
    Batch kept() {
        for (PtNDArray a : new PtNDArray[] {idx, tokens, positions, rows, grid, targets}) {
            if (a != null) {
                NDScope.unregister(a);
            }
        }
        return this;
    }

    /** Into the innermost open scope, to be freed with the step's own arrays. */
    Batch adopt() {
        for (PtNDArray a : new PtNDArray[] {idx, tokens, positions, rows, grid, targets}) {
            if (a != null) {
                NDScope.register(a);
            }
        }
        return this;
    }

    /** [N, D] rows of the real positions to a [B, T, D] grid. */
    public PtNDArray toGrid(PtNDArray packed) {
        long d = packed.getShape().get(1);
        return Tensors.reshape(Tensors.rows(packed, grid), items, length, d);
    }

    /** A grid [B, T, ...] (any trailing dims, flattened) back to the [N, D] rows of the real positions. */
    public PtNDArray fromGrid(PtNDArray cells) {
        return Tensors.rows(Tensors.reshape(cells, (long) items * length, -1), rows);
    }

    /** Logits as the model returned them, as [N, V] rows in target order. */
    public PtNDArray packed(PtNDArray logits) {
        if (tokens == null || JniUtils.getShape(logits).dimension() == 2) {
            return logits;
        }
        return fromGrid(logits);
    }

    /**
     * Items (character ids) as sequences; every item must have fewer than {@code block} characters. The grid is
     * the longest item + 1 long, rounded up to a multiple of {@code align}.
     */
    public static Batch sequences(PtNDManager m, List<int[]> items, int align) {
        int t = 0;
        int n = 0;
        for (int[] it : items) {
            t = Math.max(t, it.length + 1);
            n += it.length + 1;
        }
        t = (t + align - 1) / align * align;
        int b = items.size();
        long[] x = new long[b * t];
        long[] tokens = new long[n];
        long[] positions = new long[n];
        long[] rows = new long[n];
        long[] grid = new long[b * t];
        long[] y = new long[n];
        int k = 0;
        for (int r = 0; r < b; r++) {
            int[] it = items.get(r);
            for (int j = 0; j <= it.length; j++) {
                long id = j == 0 ? 0 : it[j - 1];
                x[r * t + j] = id;
                tokens[k] = id;
                positions[k] = j;
                rows[k] = (long) r * t + j;
                grid[r * t + j] = k;
                y[k] = j < it.length ? it[j] : 0;
                k++;
            }
        }
        return new Batch(ids(m, x, b, t), ids(m, tokens, n), ids(m, positions, n), ids(m, rows, n), ids(m, grid,
                (long) b * t), b, t, n, ids(m, y, n, 1));
    }

    /** Rows of {@code ctx} as fixed-context examples. */
    public static Batch contexts(PtNDManager m, Contexts ctx, int[] rows) {
        int block = ctx.block();
        long[] x = new long[rows.length * block];
        long[] y = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < block; j++) {
                x[i * block + j] = ctx.x()[rows[i] * block + j];
            }
            y[i] = ctx.y()[rows[i]];
        }
        return new Batch(ids(m, x, rows.length, block), null, null, null, null, rows.length, block, rows.length,
                ids(m, y, rows.length, 1));
    }

    private static PtNDArray ids(PtNDManager m, long[] v, long... shape) {
        return (PtNDArray) m.create(v, new Shape(shape));
    }
}
