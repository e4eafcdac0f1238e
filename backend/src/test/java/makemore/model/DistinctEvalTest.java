package makemore.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import makemore.config.RunConfig;
import makemore.data.Contexts;
import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.data.DistinctContexts;
import org.junit.jupiter.api.Test;

/**
 * A fixed-context model scores a split once per distinct context ({@link DistinctContexts}). Checked against the
 * row-by-row way: every dev name's every prefix through {@code nextLogProbs}, a pass that shares nothing between rows.
 */
class DistinctEvalTest {
    static final Corpus NAMES = new Corpus(Dataset.builtinNames());

    @Test
    void everyRowKeepsItsOwnContextAndTarget() {
        Contexts rows = NAMES.contexts(Corpus.Part.TRAIN, 3);
        DistinctContexts d = NAMES.distinct(Corpus.Part.TRAIN, 3);
        assertEquals(rows.size(), d.rows());
        assertTrue(d.count() * 20 < d.rows(), d.count() + " distinct contexts of " + d.rows() + " rows");
        for (int r = 0; r < rows.size(); r++) {
            int u = d.of()[r];
            assertArrayEquals(Arrays.copyOfRange(rows.x(), r * 3, r * 3 + 3),
                    Arrays.copyOfRange(d.x(), u * 3, u * 3 + 3), "row " + r);
        }
        // no context twice
        assertEquals(d.count(), DistinctContexts.of(new Contexts(3, d.x(), new int[d.count()])).count());
    }

    /** The mean over a split's rows of -log p(target) as {@link Sampler#nllByItem} gets it, one prefix per row. */
    static double rowByRow(LanguageModel m, Corpus.Part part) {
        List<String> words = NAMES.words(part);
        double[] perWord = Sampler.nllByItem(m, words);
        double total = 0;
        long tokens = 0;
        for (int w = 0; w < perWord.length; w++) {
            int n = words.get(w).length() + 1;
            total += perWord[w] * n;
            tokens += n;
        }
        return total / tokens;
    }

    static void sameAsRowByRow(String json, int steps, Corpus.Part part) {
        RunConfig cfg = Models.validate(RunConfig.fromJson(json));
        try (LanguageModel m = Models.create(cfg, NAMES)) {
            for (int i = 0; i < steps; i++) {
                m.step(cfg.lr());
            }
            double distinct = m.nll(part);
            double rows = rowByRow(m, part);
            System.out.printf("%s context %d: %s %.7f by distinct contexts, %.7f row by row%n", cfg.model(),
                    cfg.context(), part.label(), distinct, rows);
            assertEquals(rows, distinct, 2e-6);
            assertTrue(distinct < Math.log(27) - 0.3, "trained: " + distinct);
        }
    }

    @Test
    void mlpScoresTheSameAsRowByRow() {
        sameAsRowByRow("{\"model\":\"mlp\",\"steps\":300,\"lr\":0.1,\"seed\":3}", 300, Corpus.Part.DEV);
        // context 8: train's 50,751 distinct contexts take four passes of 16,384
        sameAsRowByRow("{\"model\":\"mlp\",\"context\":8,\"steps\":300,\"lr\":0.1,\"seed\":3}", 300,
                Corpus.Part.TRAIN);
    }

    /** The autograd path (BatchNorm in evaluation mode: running statistics, so rows are independent). */
    @Test
    void batchNormMlpScoresTheSameAsRowByRow() {
        sameAsRowByRow("{\"model\":\"mlp\",\"batchnorm\":true,\"steps\":300,\"lr\":0.1,\"seed\":3}", 300,
                Corpus.Part.DEV);
    }

    /** The autograd path at context 8: dev's 10,170 distinct contexts take two passes of 8,192. */
    @Test
    void waveNetScoresTheSameAsRowByRow() {
        sameAsRowByRow("{\"model\":\"wavenet\",\"steps\":300,\"seed\":3}", 300, Corpus.Part.DEV);
    }

    @Test
    void itemNllIsEachWordsMeanOverItsRows() {
        RunConfig cfg = Models.validate(RunConfig.fromJson("{\"model\":\"mlp\",\"steps\":200,\"lr\":0.1,\"seed\":4}"));
        try (LanguageModel m = Models.create(cfg, NAMES)) {
            for (int i = 0; i < 200; i++) {
                m.step(0.1);
            }
            List<String> words = List.of("emma", "olivia", "emma", "zzyzx", "a");
            double[] byDistinct = m.itemNll(words);
            double[] byPrefix = Sampler.nllByItem(m, words);
            assertArrayEquals(byPrefix, byDistinct, 1e-5);
            assertEquals(byDistinct[0], byDistinct[2], 0.0); // the same word, the same rows
            assertTrue(byDistinct[3] > byDistinct[0], "zzyzx " + byDistinct[3] + " vs emma " + byDistinct[0]);
        }
    }
}
