package makemore.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.config.RunConfig;
import org.junit.jupiter.api.Test;

class CountNgramTest {
    static RunConfig ngram(int context, double k) {
        return Models.validate(RunConfig.fromJson("{\"model\":\"ngram\",\"context\":" + context + ",\"smoothing\":" + k + "}"));
    }

    /** Ten copies of "ab": every split sees only ".a", "ab", "b." so each bigram has probability 1 at k = 0. */
    @Test
    void handComputedBigramNll() {
        Dataset d = Dataset.parse("ab", "ab\n".repeat(10).getBytes(StandardCharsets.UTF_8));
        Corpus c = new Corpus(d);
        CountNgram m = new CountNgram(ngram(1, 0), c);
        assertEquals(0.0, m.nll(Corpus.Part.TRAIN), 1e-12);
        // k = 1, V = 3: P(a|.) = (8+1)/(8+3) for all three transitions (each row has 8 counts of one pair)
        assertEquals(-Math.log(9.0 / 11.0), m.withSmoothing(1).nll(Corpus.Part.DEV), 1e-12);
        double[] p = m.withSmoothing(1).probabilities("ab");
        assertArrayEquals(new double[] {9.0 / 11, 9.0 / 11, 9.0 / 11}, p, 1e-12);
        assertEquals(List.of("ab", "ab", "ab"), m.sample(3, 1.0, new Random(1)));
    }

    @Test
    void zeroSmoothingGivesInfiniteDevNllInsteadOfCrashing() {
        Corpus c = new Corpus(Dataset.builtinNames());
        CountNgram tri = new CountNgram(ngram(2, 0), c);
        assertTrue(Double.isInfinite(tri.nll(Corpus.Part.DEV)));
        assertTrue(Double.isFinite(tri.nll(Corpus.Part.TRAIN)));
        assertTrue(Double.isFinite(tri.withSmoothing(0.1).nll(Corpus.Part.DEV)));
    }

    @Test
    void lectureNumbersOnNames() {
        Corpus c = new Corpus(Dataset.builtinNames());
        CountNgram bi = new CountNgram(ngram(1, 1), c);
        double dev = bi.nll(Corpus.Part.DEV);
        assertEquals(2.45, dev, 0.03, "bigram add-1 dev");
        CountNgram tri = new CountNgram(ngram(2, 0.1), c);
        assertEquals(2.22, tri.nll(Corpus.Part.DEV), 0.04, "trigram k=0.1 dev");
        int[][] counts = bi.bigramCounts();
        assertEquals(c.vocab().size(), counts.length);
        int starts = 0;
        for (int v : counts[0]) {
            starts += v;
        }
        assertEquals(c.words(Corpus.Part.TRAIN).size(), starts, "every train word starts once");
    }

    @Test
    void rescoringWithAnotherSmoothingIsFast() {
        Corpus c = new Corpus(Dataset.builtinNames());
        CountNgram m = new CountNgram(ngram(2, 1), c);
        m.nll(Corpus.Part.DEV); // fills the per-split cache
        long t0 = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            m.withSmoothing(0.01 * (i + 1)).nll(Corpus.Part.DEV);
        }
        double msEach = (System.nanoTime() - t0) / 1e6 / 100;
        assertTrue(msEach < 20, "re-scoring took " + msEach + " ms");
    }
}
