package makemore.model.autograd;

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
import makemore.config.Limits;
import makemore.data.Contexts;
import makemore.data.DistinctContexts;
import makemore.data.Corpus;

/**
 * The read-only uses of an {@link AutogradModel}: loss on a split and the next-character distribution. Kept apart
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
        } else { // the output depends on the context alone: one pass per distinct context (DistinctContexts)
            DistinctContexts d = m.corpus.distinct(part, m.block);
            int vocab = m.corpus.vocab().size();
            float[] rowLogp = new float[d.rows()];
            for (int start = 0; start < d.count(); start += EVAL_ROWS) {
                int rows = Math.min(d.count(), start + EVAL_ROWS) - start;
                Contexts chunk = new Contexts(m.block, Arrays.copyOfRange(d.x(), start * m.block,
                        (start + rows) * m.block), new int[rows]);
                try (NDScope scope = new NDScope()) {
                    PtNDArray logits = m.forward(Batch.contexts(m.manager, chunk, IntStream.range(0, rows).toArray()));
                    d.fill(rowLogp, start, rows, JniUtils.logSoftmax(logits, 1, DataType.FLOAT32).toFloatArray(),
                            vocab);
                }
            }
            for (float v : rowLogp) {
                total -= v;
            }
            count = d.rows();
        }
        return count == 0 ? Double.NaN : total / count;
    }

    /**
     * Each word's mean NLL per token. A sequence model scores every position of an item in one forward pass, as
     * {@link #nll} does; asking the hook for each prefix would run one pass per prefix, several times the cost.
     */
    double[] itemNll(List<String> words) {
        if (!sequence()) { // every concrete model is a LanguageModel; the base class stays apart from the interface
            return makemore.model.Sampler.nllByItem((makemore.model.LanguageModel) m, words);
        }
        Tensors.noAutograd();
        int[][] items = m.encode(words);
        double[] out = new double[items.length];
        for (int start = 0; start < items.length; start += EVAL_ITEMS) {
            int end = Math.min(items.length, start + EVAL_ITEMS);
            float[] logp;
            try (NDScope scope = new NDScope()) {
                Batch in = Batch.sequences(m.manager, List.of(items).subList(start, end), m.gridAlign());
                PtNDArray all = JniUtils.logSoftmax(in.packed(m.forward(in)), 1, DataType.FLOAT32);
                logp = JniUtils.gather(all, in.targets, 1).toFloatArray();
            }
            int k = 0; // packed rows: each item's characters and its end, item after item (Batch.sequences)
            for (int i = start; i < end; i++) {
                for (int j = 0; j <= items[i].length; j++) {
                    out[i] -= logp[k++];
                }
                out[i] /= items[i].length + 1;
            }
        }
        return out;
    }

    private static double sumOf(PtNDArray scalar) {
        return scalar.toType(DataType.FLOAT64, false).getDouble();
    }

    /** Most characters one item may have: a sequence model has positions for {@code block - 1} and the end. */
    int maxChars() {
        return sequence() ? Math.min(Limits.MAX_CHARS, m.block - 1) : Limits.MAX_CHARS;
    }

    /** Log-softmax of the logits after each prefix: one forward pass over all of them. */
    double[] nextLogProbs(int[][] prefixes) {
        Tensors.noAutograd();
        int n = prefixes.length;
        try (NDScope scope = new NDScope()) {
            PtNDArray logits;
            if (sequence()) {
                Batch in = Batch.sequences(m.manager, List.of(prefixes), m.gridAlign());
                long[] last = new long[n]; // each item's last real position among the packed rows
                long offset = 0;
                for (int i = 0; i < n; i++) {
                    last[i] = offset + prefixes[i].length;
                    offset += prefixes[i].length + 1;
                }
                logits = Tensors.rows(in.packed(m.forward(in)), (PtNDArray) m.manager.create(last, new Shape(n)));
            } else {
                logits = m.forward(Batch.contexts(m.manager, Contexts.after(prefixes, m.block),
                        IntStream.range(0, n).toArray()));
            }
            return Tensors.toDoubles(JniUtils.logSoftmax(logits, 1, DataType.FLOAT32));
        }
    }
}
