package makemore.model.tensor;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import makemore.data.Contexts;

/**
 * The MLP's minibatches as one-hots in arrays on the model's device, made once: contexts [B * block, V], the same
 * transposed [V, B * block] (a view: the embedding's gradient is one matmul) and targets [B, V].
 *
 * <p>A batch is written into a Java buffer (only its ones change: a few hundred floats) and then copied into the
 * device arrays by one native call. The copy is what makes this right on every device: arrays over the Java buffer
 * itself would follow its rewrites only on the CPU, where libtorch reads the buffer in place; on CUDA, DJL copies
 * such a buffer once, when the array is made, and every step would train on the first batch. The copy costs about
 * 2 us a step (one call, mostly its fixed cost), where uploading the ids and looking them up in an identity matrix on
 * the device took 9 (four calls).
 */
public final class OneHotBatches {
    public final PtNDArray x;
    public final PtNDArray xT;
    public final PtNDArray y;
    private final PtNDArray staging; // a CPU array over the buffer: what the copy reads, at the copy
    private final PtNDArray device; // x then y, where the copy writes
    private static final long[] FROM = {0};
    private static final long[] STEP = {1};
    private final long[] copyEnd;
    private final FloatBuffer floats;
    private final int[] hot; // positions of the ones in the buffer: contexts, then targets
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
        int rowsX = batch * block;
        int n = Math.toIntExact(floats(batch, block, vocab));
        ByteBuffer bytes = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
        this.floats = bytes.asFloatBuffer();
        this.hot = new int[rowsX + batch];
        this.staging = ParamArena.keep(JniUtils.createNdFromByteBuffer(manager, bytes, new Shape(n), DataType.FLOAT32,
                SparseFormat.DENSE, Device.cpu()));
        this.device = ParamArena.keep((PtNDArray) manager.zeros(new Shape(n)));
        this.copyEnd = new long[] {n};
        long nx = (long) rowsX * vocab;
        this.x = ParamArena.keep(Tensors.reshape(JniUtils.slice(device, 0, 0, nx, 1), rowsX, vocab));
        this.xT = ParamArena.keep(JniUtils.transpose(x, 0, 1));
        this.y = ParamArena.keep(Tensors.reshape(JniUtils.slice(device, 0, nx, n, 1), batch, vocab));
    }

    /** One-hot floats of a batch, counted once (the buffer and the device arrays hold them twice). */
    public static long floats(long rows, int block, int vocab) {
        return rows * (block + 1L) * vocab;
    }

    /** The next batch into x, xT and y. */
    public void next() {
        draw();
        JniUtils.indexSet(device, staging, FROM, copyEnd, STEP);
    }

    /** The next batch into the Java buffer only: last batch's ones cleared, this one's set. */
    void draw() {
        int n = split.size();
        int[] tx = split.x();
        int[] ty = split.y();
        int rowsX = batch * block;
        for (int p : hot) {
            floats.put(p, 0f);
        }
        for (int i = 0; i < batch; i++) {
            int r = batch == n ? i : rng.nextInt(n);
            for (int j = 0; j < block; j++) {
                int row = i * block + j;
                hot[row] = row * vocab + tx[r * block + j];
            }
            hot[rowsX + i] = (rowsX + i) * vocab + ty[r];
        }
        for (int p : hot) {
            floats.put(p, 1f);
        }
    }
}
