package makemore.model;

import java.util.Random;
import makemore.data.Vocabulary;

/** Drawing one id from a row of probabilities, the same way for every model so seeds mean the same thing. */
public final class Sampling {
    /** Generated items stop here even if the end token never comes (a barely trained model rambles). */
    public static final int MAX_LENGTH = 64;

    private Sampling() {}

    public static int draw(float[] probs, int offset, int n, Random rng) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += probs[offset + i];
        }
        double u = rng.nextDouble() * total;
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += probs[offset + i];
            if (u < acc) {
                return i;
            }
        }
        // rounding left u just past the last non-zero entry
        for (int i = n - 1; i >= 0; i--) {
            if (probs[offset + i] > 0) {
                return i;
            }
        }
        return 0;
    }

    public static void requireKnown(Vocabulary vocab, String word) {
        if (word == null || word.isEmpty()) {
            throw new IllegalArgumentException("type a word to probe");
        }
        if (word.codePointCount(0, word.length()) > MAX_LENGTH) {
            throw new IllegalArgumentException("the word is longer than " + MAX_LENGTH + " characters");
        }
        int[] ids = vocab.encode(word);
        int[] cps = word.codePoints().toArray();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0) {
                throw new IllegalArgumentException("'" + new String(Character.toChars(cps[i]))
                        + "' is not a character of this dataset");
            }
        }
    }
}
