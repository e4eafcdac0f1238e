package makemore.model.tensor;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import makemore.data.Contexts;

/**
 * The MLP's minibatches as one-hots in one direct buffer: contexts [B * block, V], the same transposed [V, B * block]
 * (so the embedding's gradient needs no transpose) and targets [B, V]. libtorch's arrays over the buffer read it in
 * place ({@code from_blob} does not copy), so they are made once and each batch only rewrites the ones: 2 us a step
 * less than new arrays at batch 32.
 */
public final class OneHotBatches {
    public final PtNDArray x;
    public final PtNDArray xT;
    public final PtNDArray y;
    private final ByteBuffer bytes;
    private final FloatBuffer floats;
    private final int[] hot; // positions of the ones: contexts, transposed contexts, targets
    private final Contexts split;
    private final int batch;
    private final int block;
    private final int vocab;
    private final Random rng;

    /** Batches of {@code batch} rows drawn with replacement by {@code rng}; all rows, in order, when batch = size. */
    public OneHotBatches(PtNDManager manager, Contexts split, int batch, int vocab, Random rng) {
        this.split = split;
        this.batch = batch;
        this.block = split.block();
        this.vocab = vocab;
        this.rng = rng;
        int nx = batch * block * vocab;
        this.bytes = ByteBuffer.allocateDirect((2 * nx + batch * vocab) * 4).order(ByteOrder.nativeOrder());
        this.floats = bytes.asFloatBuffer();
        this.hot = new int[2 * batch * block + batch];
        this.x = Tensors.floats(manager, region(0, nx), (long) batch * block, vocab);
        this.xT = Tensors.floats(manager, region(nx, nx), vocab, (long) batch * block);
        this.y = Tensors.floats(manager, region(2 * nx, batch * vocab), batch, vocab);
    }

    /** One-hot floats in the buffer a batch needs: what the size limits count. */
    public static long floats(long rows, int block, int vocab) {
        return rows * (2L * block + 1) * vocab;
    }

    /** The next batch into x, xT and y: last batch's ones cleared, this one's set. */
    public void next() {
        int n = split.size();
        int[] tx = split.x();
        int[] ty = split.y();
        int rowsX = batch * block;
        int nx = rowsX * vocab;
        for (int p : hot) {
            floats.put(p, 0f);
        }
        for (int i = 0; i < batch; i++) {
            int r = batch == n ? i : rng.nextInt(n);
            for (int j = 0; j < block; j++) {
                int row = i * block + j;
                int ch = tx[r * block + j];
                hot[row] = row * vocab + ch;
                hot[rowsX + row] = nx + ch * rowsX + row;
            }
            hot[2 * rowsX + i] = 2 * nx + i * vocab + ty[r];
        }
        for (int p : hot) {
            floats.put(p, 1f);
        }
    }

    /** {@code count} floats of the buffer from float {@code from}, as a buffer of their own. */
    private ByteBuffer region(int from, int count) {
        return bytes.duplicate().position(from * 4).limit((from + count) * 4).slice().order(ByteOrder.nativeOrder());
    }
}
