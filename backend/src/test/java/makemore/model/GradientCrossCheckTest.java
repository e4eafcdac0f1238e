package makemore.model;

import makemore.model.count.NgramTable;
import makemore.model.tensor.Tensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import makemore.data.Contexts;
import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.config.RunConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hand-written gradients of the MLP (with and without the L2 term) and of the neural n-gram (count form on the
 * full batch, one-hot form on minibatches) against libtorch's autograd on the same batch. The loss for autograd is
 * written independently (index lookups instead of one-hot products, the L2 term as the loss the models report).
 * The gradient a step used is read back from the update: (before - after) / lr. Two steps in a row, each against
 * its own batch: a step that trained on a stale batch (arrays made once over a Java buffer, which DJL copies once on
 * a GPU) fails the second.
 */
class GradientCrossCheckTest {
    static final Corpus SMALL = new Corpus(Dataset.parse("t", String.join("\n", "emma", "olivia", "ava", "isabella",
            "sophia", "mia", "amelia", "harper", "evelyn", "abigail", "emily", "ella", "liam", "noah", "oliver",
            "elijah", "james", "william", "benjamin", "lucas").getBytes()));

    @ParameterizedTest(name = "mlp batch {0} l2 {1}")
    @CsvSource({"0, 0", "0, 0.5", "8, 0", "8, 0.5"})
    void mlpMatchesAutograd(int batch, double l2) {
        RunConfig cfg = Models.validate(RunConfig.fromJson("{\"model\":\"mlp\",\"context\":3,\"embDim\":4,\"hidden\":16,\"batch\":"
                + batch + ",\"l2\":" + l2 + ",\"seed\":7}"));
        Contexts ctx = Contexts.of(SMALL.words(Corpus.Part.TRAIN), SMALL.vocab(), 3);
        try (Mlp m = (Mlp) Models.create(cfg, SMALL)) {
            List<PtNDArray> params = List.of(m.c, m.w1, m.b1, m.w2, m.b2);
            for (int step = 0; step < 2; step++) {
                int[] rows = batchRows(ctx.size(), batch, cfg.seed(), step);
                check(params, p -> {
                    PtNDArray x = ids(p.get(0).getManager(), ctx.x(), rows, 3);
                    NDArray e = Tensors.rows((PtNDArray) p.get(0), x).reshape(rows.length, 12);
                    NDArray h = e.matMul(p.get(1).transpose()).add(p.get(2)).tanh();
                    NDArray logp = h.matMul(p.get(3).transpose()).add(p.get(4)).logSoftmax(1);
                    NDArray nll = logp.gather(targets(p.get(0).getManager(), ctx.y(), rows), 1).mean().neg();
                    NDArray reg = p.get(0).square().mean().add(p.get(1).square().mean()).add(p.get(3).square().mean());
                    return nll.add(reg.mul(l2));
                }, () -> m.step(0.5), 0.5);
            }
        }
    }

    @ParameterizedTest(name = "neural n-gram context {0} batch {1} l2 {2}")
    @CsvSource({"1, 0, 20", "2, 0, 100", "1, 16, 20", "2, 16, 0"})
    void neuralNgramMatchesAutograd(int context, int batch, double l2) {
        RunConfig cfg = Models.validate(RunConfig.fromJson("{\"model\":\"neural\",\"context\":" + context + ",\"batch\":" + batch
                + ",\"l2\":" + l2 + ",\"seed\":3}"));
        Contexts ctx = Contexts.of(SMALL.words(Corpus.Part.TRAIN), SMALL.vocab(), context);
        int v = SMALL.vocab().size();
        int[] index = new int[ctx.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = (int) NgramTable.context(ctx, i, v);
        }
        try (NeuralNgram m = (NeuralNgram) Models.create(cfg, SMALL)) {
            for (int step = 0; step < 2; step++) {
                int[] rows = batchRows(ctx.size(), batch, cfg.seed(), step);
                check(List.of(m.w), p -> {
                    PtNDArray x = ids(p.get(0).getManager(), index, rows, 1);
                    NDArray logp = Tensors.rows((PtNDArray) p.get(0), x).reshape(rows.length, v).logSoftmax(1);
                    NDArray nll = logp.gather(targets(p.get(0).getManager(), ctx.y(), rows), 1).mean().neg();
                    return nll.add(p.get(0).square().mean().mul(l2));
                }, () -> m.step(2.0), 2.0);
            }
        }
    }

    /** The rows step {@code step} (from 0) draws: all of them in order, or seed + 1's draws as the models make them. */
    private static int[] batchRows(int n, int batch, long seed, int step) {
        if (batch == 0 || batch >= n) {
            return java.util.stream.IntStream.range(0, n).toArray();
        }
        Random r = new Random(seed + 1);
        int[] rows = new int[batch];
        for (int k = 0; k <= step; k++) {
            for (int i = 0; i < batch; i++) {
                rows[i] = r.nextInt(n);
            }
        }
        return rows;
    }

    private static PtNDArray ids(ai.djl.ndarray.NDManager m, int[] x, int[] rows, int width) {
        long[] out = new long[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < width; j++) {
                out[i * width + j] = x[rows[i] * width + j];
            }
        }
        return (PtNDArray) m.create(out, new ai.djl.ndarray.types.Shape(rows.length, width));
    }

    private static NDArray targets(ai.djl.ndarray.NDManager m, int[] y, int[] rows) {
        long[] out = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = y[rows[i]];
        }
        return m.create(out, new ai.djl.ndarray.types.Shape(rows.length, 1));
    }

    /**
     * Autograd's gradient of {@code loss} at copies of {@code params}, then one step of the model; the gradient the
     * step applied is (before - after) / lr.
     */
    private static void check(List<PtNDArray> params, Function<List<NDArray>, NDArray> loss, Runnable step, double lr) {
        List<float[]> before = params.stream().map(NDArray::toFloatArray).toList();
        List<float[]> expected = new ArrayList<>();
        try (PtNDManager ref = Tensors.newManager(); NDScope scope = new NDScope()) {
            List<NDArray> copies = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) {
                PtNDArray c = (PtNDArray) ref.create(before.get(i), params.get(i).getShape());
                JniUtils.attachGradient(c, true);
                copies.add(c);
            }
            JniUtils.setGradMode(true);
            PtNDArray l;
            try {
                l = (PtNDArray) loss.apply(copies);
                JniUtils.backward(l, (PtNDArray) ref.ones(l.getShape(), DataType.FLOAT32), false, false);
            } finally {
                JniUtils.setGradMode(false);
            }
            for (NDArray c : copies) {
                expected.add(JniUtils.getGradient((PtNDArray) c).toFloatArray());
            }
        }
        step.run();
        for (int i = 0; i < params.size(); i++) {
            float[] after = params.get(i).toFloatArray();
            float[] implied = new float[after.length];
            float scale = 0;
            for (int j = 0; j < after.length; j++) {
                implied[j] = (float) ((before.get(i)[j] - after[j]) / lr);
                scale = Math.max(scale, Math.abs(expected.get(i)[j]));
            }
            assertTrue(scale > 0, "parameter " + i + " has a zero gradient: nothing is checked");
            assertArrayEquals(expected.get(i), implied, 2e-5f + 1e-4f * scale, "gradient of parameter " + i);
        }
    }
}
