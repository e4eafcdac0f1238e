package makemore.model.autograd;

import makemore.model.Sampling;
import makemore.model.tensor.Tensors;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import makemore.data.Contexts;
import makemore.data.Corpus;

/**
 * The read-only uses of an {@link AutogradModel}: loss on a split, sampling and a word's probabilities. Kept apart
 * from the model because none of it touches the optimizer or the batch sampler; every call runs with grad mode off
 * and frees what it allocates in its own NDScope.
 */
final class AutogradInference {
    private static final int EVAL_ITEMS = 512;
    private static final int EVAL_ROWS = 8192;

    private final AutogradModel m;

    AutogradInference(AutogradModel model) {
        this.m = model;
    }

    private boolean sequence() {
        return m.layout == AutogradModel.Layout.SEQUENCE;
    }

    double nll(Corpus.Part part) {
        Tensors.noAutograd();
        List<String> words = m.corpus.words(part);
        double total = 0;
        long count = 0;
        if (sequence()) {
            int[][] items = m.encode(words);
            for (int start = 0; start < items.length; start += EVAL_ITEMS) {
                try (NDScope scope = new NDScope()) {
                    Batch in = Batch.sequences(m.manager,
                            List.of(items).subList(start, Math.min(items.length, start + EVAL_ITEMS)), m.gridAlign());
                    total -= sumOf(m.logLikelihood(in));
                    count += in.count;
                }
            }
        } else {
            Contexts ctx = m.corpus.contexts(part, m.block);
            for (int start = 0; start < ctx.size(); start += EVAL_ROWS) {
                int[] rows = IntStream.range(start, Math.min(ctx.size(), start + EVAL_ROWS)).toArray();
                try (NDScope scope = new NDScope()) {
                    Batch in = Batch.contexts(m.manager, ctx, rows);
                    total -= sumOf(m.logLikelihood(in));
                    count += in.count;
                }
            }
        }
        return count == 0 ? Double.NaN : total / count;
    }

    private static double sumOf(PtNDArray scalar) {
        return scalar.toType(DataType.FLOAT64, false).getDouble();
    }

    /** Most characters one item may have: a sequence model has positions for {@code block - 1} and the end. */
    private int maxChars() {
        return sequence() ? Math.min(Sampling.MAX_LENGTH, m.block - 1) : Sampling.MAX_LENGTH;
    }

    List<String> sample(int n, double temperature, Random random) {
        Tensors.noAutograd();
        int vocab = m.vocab;
        int[][] chars = new int[n][0];
        StringBuilder[] out = new StringBuilder[n];
        boolean[] done = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = new StringBuilder();
        }
        int alive = n;
        for (int pos = 0; pos < maxChars() && alive > 0; pos++) {
            float[] probs;
            try (NDScope scope = new NDScope()) {
                PtNDArray last = nextLogits(chars, pos);
                probs = JniUtils.softmax(JniUtils.div(last, m.scalar((float) temperature)), 1, DataType.FLOAT32)
                        .toFloatArray();
            }
            for (int i = 0; i < n; i++) {
                // a finished item keeps taking 0s so every prefix has the same length; its draws are ignored
                int next = done[i] ? 0 : Sampling.draw(probs, i * vocab, vocab, random);
                chars[i] = Arrays.copyOf(chars[i], pos + 1);
                chars[i][pos] = next;
                if (done[i]) {
                    continue;
                }
                if (next == 0) {
                    done[i] = true;
                    alive--;
                } else {
                    out[i].append(m.corpus.vocab().symbol(next));
                }
            }
        }
        List<String> names = new ArrayList<>(n);
        for (StringBuilder sb : out) {
            names.add(sb.toString());
        }
        return names;
    }

    /** [n, V] logits for the character after each item's first {@code len} characters. */
    private PtNDArray nextLogits(int[][] chars, int len) {
        int n = chars.length;
        int block = m.block;
        if (sequence()) {
            Batch in = Batch.sequences(m.manager, List.of(chars), m.gridAlign());
            long[] last = new long[n];
            for (int i = 0; i < n; i++) {
                last[i] = (long) i * (len + 1) + len;
            }
            return Tensors.rows(in.packed(m.forward(in)), (PtNDArray) m.manager.create(last, new Shape(n)));
        }
        int[] x = new int[n * block];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < block; j++) {
                int src = len - block + j;
                x[i * block + j] = src >= 0 ? chars[i][src] : 0;
            }
        }
        return m.forward(Batch.contexts(m.manager, new Contexts(block, x, new int[n]), IntStream.range(0, n).toArray()));
    }

    double[] probabilities(String word) {
        Sampling.requireKnown(m.corpus.vocab(), word);
        int[] ids = m.corpus.vocab().encode(word);
        if (ids.length > maxChars()) {
            throw new IllegalArgumentException("the word is longer than the " + maxChars()
                    + " characters this model has positions for");
        }
        Tensors.noAutograd();
        try (NDScope scope = new NDScope()) {
            Batch in = sequence() ? Batch.sequences(m.manager, List.<int[]>of(ids), m.gridAlign())
                    : Batch.contexts(m.manager, Contexts.of(List.of(word), m.corpus.vocab(), m.block),
                            IntStream.range(0, ids.length + 1).toArray());
            PtNDArray logp = JniUtils.logSoftmax(in.packed(m.forward(in)), 1, DataType.FLOAT32);
            float[] p = JniUtils.exp(JniUtils.gather(logp, in.targets, 1)).toFloatArray();
            double[] out = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                out[i] = p[i];
            }
            return out;
        }
    }
}
