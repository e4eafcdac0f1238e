package makemore.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import makemore.config.ConfigException;

/**
 * What inside a model makes a prediction, over the hooks {@link LanguageModel#attention} and
 * {@link LanguageModel#inputGradientNorms}: a transformer's attention maps for a text, and how strongly each
 * earlier token drives the prediction at one position (the gradient-norm connectivity of Distill's "Visualizing
 * memorization in RNNs"). A text is its tokens: the start symbol '.', then its characters. Input errors are
 * ConfigExceptions naming the field at fault.
 */
public final class Attribution {
    private Attribution() {}

    /** {@code layers} is [layer][head][T][T], T = tokens.size(); row i weighs tokens 0..i and sums to 1. */
    public record Attention(List<String> tokens, float[][][][] layers) {}

    /**
     * At {@code position} (0 = predicting the first character from the start symbol alone; tokens.size() - 1 =
     * predicting the end), {@code weights[j]} is token j's share of the gradient norms: they sum to 1, and are 0
     * after the position and outside the model's context.
     */
    public record Influence(List<String> tokens, int position, String next, double[] weights) {}

    public static Attention attention(LanguageModel model, String text) {
        int[] ids = known(model, text);
        float[][][][] maps = model.attention(ids);
        if (maps == null) {
            throw new ConfigException("model", "this model has no attention: attention maps are for transformer runs");
        }
        return new Attention(tokens(model, ids), maps);
    }

    /** {@code position} null means the last: what the text's characters say about where it ends. */
    public static Influence influence(LanguageModel model, String text, Integer position) {
        int[] ids = known(model, text);
        int t = position == null ? ids.length : position;
        if (t < 0 || t > ids.length) {
            throw new ConfigException("position", "position must be 0 to " + ids.length + " (a token of the text:"
                    + " 0 is the start '.', " + ids.length + " predicts the end), got " + t);
        }
        int next = t < ids.length ? ids[t] : 0;
        double[] norms = model.inputGradientNorms(Arrays.copyOf(ids, t), next);
        if (norms == null) {
            throw new ConfigException("model", "influence needs character embeddings to take gradients at (mlp,"
                    + " wavenet, rnn, gru, transformer); this model looks its predictions up in a table");
        }
        double[] w = Arrays.copyOf(norms, ids.length + 1); // tokens after the position: 0 (causal)
        double total = 0;
        for (double v : w) {
            total += v;
        }
        for (int j = 0; j < w.length; j++) {
            w[j] = total > 0 ? w[j] / total : j <= t ? 1.0 / (t + 1) : 0; // no gradient at all: an even share
        }
        return new Influence(tokens(model, ids), t, model.vocab().symbol(next), w);
    }

    private static int[] known(LanguageModel model, String text) {
        if (text == null || text.isEmpty()) {
            throw new ConfigException("text", "text must not be empty: give a name or word (?text=emma)");
        }
        try {
            return Sampler.requireKnown(model, text);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("text", e.getMessage());
        }
    }

    private static List<String> tokens(LanguageModel model, int[] ids) {
        List<String> out = new ArrayList<>(ids.length + 1);
        out.add(model.vocab().symbol(0));
        for (int id : ids) {
            out.add(model.vocab().symbol(id));
        }
        return out;
    }
}
