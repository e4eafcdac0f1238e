package makemore.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import makemore.data.Vocabulary;

/**
 * The one sampling and scoring routine, over the hook every model gives ({@link LanguageModel#nextLogProbs}): items
 * drawn one character at a time, and each character's probability in a given word. Written once so that a seed
 * means the same draws for every model, and views built on a model's next-character distribution (probes,
 * explanations) agree with its samples.
 */
public final class Sampler {
    private Sampler() {}

    /**
     * {@code n} items, each drawn one character at a time from the model's next-character distribution raised to
     * 1 / temperature, until the end symbol or the model's {@link LanguageModel#maxChars()}. Items still going are
     * drawn in index order at each position, so one seed gives one list.
     */
    public static List<String> sample(LanguageModel model, int n, double temperature, Random rng) {
        Vocabulary vocab = model.vocab();
        int v = vocab.size();
        int[][] items = new int[n][0];
        boolean[] done = new boolean[n];
        int[] alive = new int[n];
        int alives = n;
        for (int i = 0; i < n; i++) {
            alive[i] = i;
        }
        double[] row = new double[v];
        for (int pos = 0; pos < model.maxChars() && alives > 0; pos++) {
            int[][] prefixes = new int[alives][];
            for (int a = 0; a < alives; a++) {
                prefixes[a] = items[alive[a]];
            }
            double[] logp = model.nextLogProbs(prefixes);
            int still = 0;
            for (int a = 0; a < alives; a++) {
                int i = alive[a];
                int next = draw(logp, a * v, v, temperature, row, rng);
                if (next == 0) {
                    done[i] = true;
                    continue;
                }
                items[i] = Arrays.copyOf(items[i], pos + 1);
                items[i][pos] = next;
                alive[still++] = i;
            }
            alives = still;
        }
        List<String> out = new ArrayList<>(n);
        for (int[] it : items) {
            StringBuilder sb = new StringBuilder();
            for (int id : it) {
                sb.append(vocab.symbol(id));
            }
            out.add(sb.toString());
        }
        return out;
    }

    /**
     * P(character i | the characters before it) for each character of {@code word} and then the end symbol, from one
     * call of the hook over every prefix of the word.
     */
    public static double[] probabilities(LanguageModel model, String word) {
        Explanation e = explain(model, word);
        double[] p = new double[e.positions().size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(-e.positions().get(i).nll());
        }
        return p;
    }

    /**
     * NLL by position over {@code words}: entry i sums -ln p over the i-th characters (0 = the first) and the end
     * symbol gets its own entry, the last; with the count of each. The weighted mean of the sums is the words' NLL per
     * token, as {@link #totalNll} gives it.
     */
    public static double[][] nllByPosition(LanguageModel model, List<String> words) {
        int v = model.vocab().size();
        int longest = 0;
        for (String w : words) {
            longest = Math.max(longest, w.codePointCount(0, w.length()));
        }
        double[] sum = new double[longest + 1];
        double[] count = new double[longest + 1];
        List<int[]> prefixes = new ArrayList<>();
        List<int[]> targets = new ArrayList<>(); // {next id, position bucket}
        for (int w = 0; w < words.size(); w++) {
            int[] ids = requireKnown(model, words.get(w));
            for (int i = 0; i <= ids.length; i++) {
                prefixes.add(Arrays.copyOf(ids, i));
                targets.add(new int[] {i < ids.length ? ids[i] : 0, i < ids.length ? i : longest});
            }
            if (prefixes.size() >= 4096 || w == words.size() - 1) {
                if (Thread.currentThread().isInterrupted()) { // a job whose client left (lab/BoundedJob)
                    throw new java.util.concurrent.CancellationException("stopped: its client left");
                }
                double[] logp = model.nextLogProbs(prefixes.toArray(int[][]::new));
                for (int k = 0; k < targets.size(); k++) {
                    int[] t = targets.get(k);
                    sum[t[1]] -= logp[k * v + t[0]];
                    count[t[1]]++;
                }
                prefixes.clear();
                targets.clear();
            }
        }
        return new double[][] {sum, count};
    }

    /**
     * Each word's mean NLL per token (its characters and the end), as {@link #explain} gives it for that word, from
     * the hook over every prefix, a few thousand prefixes a call: one pass over the words' tokens.
     */
    public static double[] nllByItem(LanguageModel model, List<String> words) {
        int v = model.vocab().size();
        double[] out = new double[words.size()];
        List<int[]> prefixes = new ArrayList<>();
        List<int[]> targets = new ArrayList<>(); // {next id, word index}
        for (int w = 0; w < words.size(); w++) {
            int[] ids = requireKnown(model, words.get(w));
            for (int i = 0; i <= ids.length; i++) {
                prefixes.add(Arrays.copyOf(ids, i));
                targets.add(new int[] {i < ids.length ? ids[i] : 0, w});
            }
            if (prefixes.size() >= 4096 || w == words.size() - 1) {
                double[] logp = model.nextLogProbs(prefixes.toArray(int[][]::new));
                for (int k = 0; k < targets.size(); k++) {
                    int[] t = targets.get(k);
                    out[t[1]] -= logp[k * v + t[0]];
                }
                prefixes.clear();
                targets.clear();
            }
        }
        for (int w = 0; w < out.length; w++) {
            out[w] /= words.get(w).codePointCount(0, words.get(w).length()) + 1;
        }
        return out;
    }

    /** One position of a text: the character that came next, the whole distribution it came from, -ln p(next). */
    public record Position(String next, double[] p, double nll) {}

    /** A text as the model sees it: a position per character and the end; {@code nll} is their mean. */
    public record Explanation(String text, List<String> vocab, List<Position> positions, double nll) {}

    /** The next-character distribution at every position of {@code text}, from one call of the hook. */
    public static Explanation explain(LanguageModel model, String text) {
        int[] ids = requireKnown(model, text);
        int v = model.vocab().size();
        int[][] prefixes = new int[ids.length + 1][];
        for (int i = 0; i <= ids.length; i++) {
            prefixes[i] = Arrays.copyOf(ids, i);
        }
        double[] logp = model.nextLogProbs(prefixes);
        List<Position> positions = new ArrayList<>(ids.length + 1);
        double sum = 0;
        for (int i = 0; i <= ids.length; i++) {
            int next = i < ids.length ? ids[i] : 0;
            double[] p = new double[v];
            double total = 0;
            for (int j = 0; j < v; j++) {
                p[j] = Math.exp(logp[i * v + j]);
                total += p[j];
            }
            for (int j = 0; j < v && total > 0; j++) {
                p[j] /= total; // float log-softmax sums to 1 within 1e-7; make it exact for the reader
            }
            double nll = -Math.log(p[next]);
            sum += nll;
            positions.add(new Position(model.vocab().symbol(next), p, nll));
        }
        return new Explanation(text, model.vocab().symbols(), positions, sum / positions.size());
    }

    /**
     * The summed negative log-likelihood of {@code words} (each character and the end, as a split's NLL counts them)
     * and the number of such tokens, from the hook over every prefix, a few thousand prefixes a call.
     */
    public static double[] totalNll(LanguageModel model, List<String> words) {
        double[][] byPosition = nllByPosition(model, words);
        double sum = 0;
        double tokens = 0;
        for (int i = 0; i < byPosition[0].length; i++) {
            sum += byPosition[0][i];
            tokens += byPosition[1][i];
        }
        return new double[] {sum, tokens};
    }

    /** The word's character ids; a word the model cannot score is an IllegalArgumentException saying why. */
    static int[] requireKnown(LanguageModel model, String word) {
        if (word == null || word.isEmpty()) {
            throw new IllegalArgumentException("type a word to probe");
        }
        int chars = word.codePointCount(0, word.length());
        if (chars > model.maxChars()) {
            throw new IllegalArgumentException("the word is longer than the " + model.maxChars()
                    + " characters this model has positions for");
        }
        int[] ids = model.vocab().encode(word);
        int[] cps = word.codePoints().toArray();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0) {
                throw new IllegalArgumentException("'" + new String(Character.toChars(cps[i]))
                        + "' is not a character of this dataset");
            }
        }
        return ids;
    }

    /** One id from softmax(logp[offset..offset+n) / temperature); the end symbol when every entry is impossible. */
    static int draw(double[] logp, int offset, int n, double temperature, double[] scratch, Random rng) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logp[offset + i]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            rng.nextDouble(); // one draw per position whatever the row, so later items keep their draws
            return 0;
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            scratch[i] = Math.exp((logp[offset + i] - max) / temperature);
            total += scratch[i];
        }
        double u = rng.nextDouble() * total;
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += scratch[i];
            if (u < acc) {
                return i;
            }
        }
        for (int i = n - 1; i >= 0; i--) { // rounding left u just past the last non-zero entry
            if (scratch[i] > 0) {
                return i;
            }
        }
        return 0;
    }
}
