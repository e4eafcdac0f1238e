package makemore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.config.ConfigException;
import makemore.config.RunConfig;
import org.junit.jupiter.api.Test;

class KneserNeyTest {
    static final Corpus NAMES = new Corpus(Dataset.builtinNames());

    static RunConfig kn(int context, double d) {
        return Models.validate(RunConfig.fromJson("{\"model\":\"ngram\",\"method\":\"kneser-ney\",\"context\":" + context
                + ",\"discount\":" + d + "}"));
    }

    /** Every row, for seen and never-seen contexts, is a distribution with no zero. */
    @Test
    void everyRowSumsToOne() {
        Random rng = new Random(7);
        for (int context = 1; context <= 5; context++) {
            for (double d : new double[] {0.1, 0.75, 1.0}) {
                CountNgram m = new CountNgram(kn(context, d), NAMES);
                int v = NAMES.vocab().size();
                long contexts = (long) Math.pow(v, context);
                for (int trial = 0; trial < 60; trial++) {
                    // half the rows from real words (seen contexts), half random (mostly unseen)
                    long ctx = trial % 2 == 0 ? seenContext(context, rng) : Math.floorMod(rng.nextLong(), contexts);
                    double sum = 0;
                    for (int next = 0; next < v; next++) {
                        double p = m.probability(ctx, next);
                        assertTrue(p > 0, "zero probability at context " + context);
                        sum += p;
                    }
                    assertEquals(1.0, sum, 1e-9, "row sum, context " + context + ", discount " + d);
                }
            }
        }
    }

    private static long seenContext(int context, Random rng) {
        List<String> words = NAMES.words(Corpus.Part.TRAIN);
        String w = "." .repeat(context) + words.get(rng.nextInt(words.size()));
        int end = context + rng.nextInt(w.length() - context + 1);
        long idx = 0;
        for (char ch : w.substring(end - context, end).toCharArray()) {
            idx = idx * NAMES.vocab().size() + (ch == '.' ? 0 : NAMES.vocab().encode(String.valueOf(ch))[0]);
        }
        return idx;
    }

    /** "ab" ten times: hand-computed interpolation for the bigram with discount 0.5. */
    @Test
    void handComputedBigram() {
        Corpus c = new Corpus(Dataset.parse("ab", "ab\n".repeat(10).getBytes(StandardCharsets.UTF_8)));
        CountNgram m = new CountNgram(kn(1, 0.5), c);
        // Continuation counts: a follows {.}, b follows {a}, . follows {b}: each 1 of 3, no discount left over
        // beyond 0.5 each, so the unigram level is (1 - 0.5 + 0.5 * 3 / 3) / 3 = 1/3 for each of the V = 3 symbols.
        // Bigram row ".": count(.a) = 8 of 8, one kind: P(a|.) = (8 - 0.5 + 0.5 * 1/3) / 8.
        double pa = (8 - 0.5 + 0.5 / 3) / 8;
        double[] p = m.probabilities("ab");
        assertEquals(pa, p[0], 1e-12);
        assertEquals(pa, p[1], 1e-12);
        assertEquals(pa, p[2], 1e-12);
        assertEquals(-Math.log(pa), m.nll(Corpus.Part.DEV), 1e-12);
    }

    /** Where add-k runs out of data (long contexts), backing off keeps the dev NLL low. */
    @Test
    void beatsEveryAddKAtLongContexts() {
        for (int context = 2; context <= 5; context++) {
            CountNgram addk = new CountNgram(CountNgramTest.ngram(context, 1), NAMES);
            double bestAddK = Double.POSITIVE_INFINITY;
            for (double k : new double[] {1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1}) {
                bestAddK = Math.min(bestAddK, addk.withSmoothing(k).nll(Corpus.Part.DEV));
            }
            double kn = addk.withKneserNey(0.75).nll(Corpus.Part.DEV);
            assertTrue(kn < bestAddK, "context " + context + ": KN " + kn + " vs best add-k " + bestAddK);
        }
        assertTrue(new CountNgram(kn(3, 0.75), NAMES).nll(Corpus.Part.DEV) < 2.15);
    }

    /** KN 5-gram samples look like names: mostly of name length and often real names; add-k's are long junk. */
    @Test
    void fiveGramSamplesAreNamesNotJunk() {
        CountNgram m = new CountNgram(kn(5, 0.75), NAMES);
        List<String> kn = m.sample(200, 1.0, new Random(1));
        List<String> addk = m.withSmoothing(0.1).sample(200, 1.0, new Random(1));
        assertTrue(meanLength(kn) < 9, "KN mean length " + meanLength(kn));
        assertTrue(meanLength(addk) > 12, "add-k mean length " + meanLength(addk));
        long known = kn.stream().filter(s -> NAMES.seenIn(s) != null).count();
        assertTrue(known > 60, known + " of 200 KN samples are real names");
    }

    private static double meanLength(List<String> s) {
        return s.stream().mapToInt(String::length).average().orElse(0);
    }

    @Test
    void discountOutsideItsRangeIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> kn(3, 0));
        assertEquals("discount", e.field());
        assertThrows(ConfigException.class, () -> kn(3, 1.5));
        assertThrows(IllegalArgumentException.class,
                () -> new CountNgram(CountNgramTest.ngram(2, 1), NAMES).withKneserNey(0));
    }
}
