package makemore.model.tensor;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Direct libtorch calls for the training hot paths. At batch 32 the cost of a step is mostly per-call overhead,
 * and DJL's generic NDArray methods often make extra native calls (shape queries, scalar arrays, argument
 * checks); these wrappers make exactly one each.
 */
public final class Tensors {
    static {
        // Must be set before DJL initialises: no telemetry, no downloads, no OpenMP spinning on 2 cores.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
        System.setProperty("ai.djl.pytorch.num_interop_threads",
                System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
    }

    private Tensors() {}

    public static PtNDManager newManager() {
        Engine engine = Engine.getEngine("PyTorch");
        return (PtNDManager) engine.newBaseManager(engine.defaultDevice());
    }

    /** Grad mode is per thread; every model computes its own gradients, so autograd stays off on model threads. */
    public static void noAutograd() {
        if (JniUtils.isGradMode()) {
            JniUtils.setGradMode(false);
        }
    }

    /** x @ w^T + b (addmm). */
    public static PtNDArray linear(PtNDArray x, PtNDArray w, PtNDArray b) {
        return JniUtils.linear(x, w, b);
    }

    public static PtNDArray matmul(PtNDArray a, PtNDArray b) {
        return JniUtils.matmul(a, b);
    }

    /** a^T @ b without materialising the transpose. */
    public static PtNDArray matmulT(PtNDArray a, PtNDArray b) {
        return JniUtils.matmul(JniUtils.transpose(a, 0, 1), b);
    }

    public static PtNDArray sumRows(PtNDArray a) {
        return JniUtils.sum(a, new long[] {0}, false);
    }

    public static PtNDArray rowsOf(PtNDArray a, long from, long to) {
        return JniUtils.slice(a, 0, from, to, 1);
    }

    public static PtNDArray reshape(PtNDArray a, long... shape) {
        return JniUtils.reshape(a, shape);
    }

    /** Rows of {@code table} picked by int64 ids (any shape; the row dimension is appended). */
    public static PtNDArray rows(PtNDArray table, PtNDArray ids) {
        return JniUtils.embedding(ids, table, false);
    }

    /**
     * A float32 array of {@code buffer}'s contents (a direct, native-order buffer the caller filled), on the
     * manager's device. On the CPU libtorch reads the buffer in place; on a GPU DJL copies it here, once. So the array
     * is right only while the buffer stays as it was: make a new one after rewriting the buffer.
     */
    public static PtNDArray floats(PtNDManager m, ByteBuffer buffer, long... shape) {
        buffer.rewind();
        return JniUtils.createNdFromByteBuffer(m, buffer, new Shape(shape), DataType.FLOAT32, SparseFormat.DENSE,
                m.getDevice());
    }

    public static PtNDArray scalar(PtNDManager m, float v) {
        return (PtNDArray) m.create(v);
    }

    /** w -= lr * (grad * rescale + decay * w), in place, one native call. */
    public static void sgd(PtNDArray w, PtNDArray grad, double lr, double rescale, double decay) {
        JniUtils.sgdUpdate(w, grad, null, (float) lr, (float) decay, (float) rescale, -1f, 0f);
    }

    /**
     * Overwrites {@code target}'s values in place (DJL's set() gives the array new storage, which would cut a
     * parameter view off from the arena it lives in).
     */
    public static void assign(PtNDArray target, float[] values) {
        long[] shape = target.getShape().getShape();
        long[] zeros = new long[shape.length];
        long[] ones = new long[shape.length];
        java.util.Arrays.fill(ones, 1);
        try (PtNDArray v = (PtNDArray) target.getManager().create(values, target.getShape())) {
            JniUtils.indexSet(target, v, zeros, shape, ones);
        }
    }

    public static PtNDArray gaussian(NDManager m, Random rng, double scale, long... shape) {
        Shape s = new Shape(shape);
        float[] v = new float[Math.toIntExact(s.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextGaussian() * scale);
        }
        return (PtNDArray) m.create(v, s);
    }

    public static PtNDArray ids(NDManager m, int[] v, long... shape) {
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            l[i] = v[i];
        }
        return (PtNDArray) m.create(l, new Shape(shape));
    }

    /** The values of any float array as doubles, in row-major order (one native copy). */
    public static double[] toDoubles(ai.djl.ndarray.NDArray a) {
        float[] f = a.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
