package makemore.model;

import makemore.event.EmbeddingPoint;
import makemore.event.Health;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import makemore.config.Limits;
import makemore.data.Corpus;
import makemore.data.Vocabulary;

/**
 * The one interface every model implements. The trainer, the CLI and the server only ever see this; they never
 * switch on the model type (the factory in {@link Models} is the single place that does).
 */
public interface LanguageModel extends AutoCloseable {

    /** False for models fitted in closed form (counts): the trainer then only evaluates them. */
    boolean trainable();

    /** One optimisation step on a minibatch (or the whole train split) at learning rate {@code lr}. */
    void step(double lr);

    /**
     * Mean training NLL (the data term only; see {@link #penalty}) of the steps since the last call, NaN if none.
     * Kept apart from {@link #step} because reading a loss back from the device every step would cost more than
     * the step.
     */
    double drainLoss();

    /**
     * The regularisation term the optimiser adds to the NLL (e.g. l2 * mean(W^2)), at the current parameters;
     * NaN for a model without one (or with it set to 0). Read only at progress points, never per step.
     */
    default double penalty() {
        return Double.NaN;
    }

    /** Mean negative log-likelihood per predicted character (end token included) over a whole split. */
    double nll(Corpus.Part part);

    /** The symbols this model reads and predicts ('.' = 0, the start and end of an item). */
    Vocabulary vocab();

    /**
     * The hook every view of the model's predictions stands on: the next-character distribution after each prefix,
     * as natural-log probabilities over the vocabulary, row i (of {@code vocab().size()}) for {@code prefixes[i]}.
     * A prefix is character ids without the start symbol (empty: the start of an item) of at most
     * {@link #maxChars()} characters; a model reads as much of it as its context holds. Runs with grad mode off and
     * changes nothing.
     */
    double[] nextLogProbs(int[][] prefixes);

    /** Most characters an item may have (a sequence model has positions for its block size less the end). */
    default int maxChars() {
        return Limits.MAX_CHARS;
    }

    /**
     * Every head's causal softmax attention over the tokens of {@code ids} (the start symbol first, then the ids):
     * [layers][heads][T][T] with T = ids.length + 1, row i a distribution over tokens 0..i. Null for a model
     * without attention. Runs with grad mode off and changes nothing.
     */
    default float[][][][] attention(int[] ids) {
        return null;
    }

    /**
     * For the prediction of {@code target} after {@code prefix} (character ids, no start symbol): the L2 norm of the
     * gradient of log p(target | prefix) with respect to each input token's embedding, for tokens 0 (the start
     * symbol) to prefix.length, 0 where a token lies outside the model's context. Null for a model without
     * character embeddings. Changes no parameter.
     */
    default double[] inputGradientNorms(int[] prefix, int target) {
        return null;
    }

    /** {@code n} items drawn one character at a time, the distribution sharpened or flattened by temperature. */
    default List<String> sample(int n, double temperature, Random rng) {
        return Sampler.sample(this, n, temperature, rng);
    }

    /** P(character i | its context) for each character of the word and then the end: length = chars + 1. */
    default double[] probabilities(String word) {
        return Sampler.probabilities(this, word);
    }

    /**
     * Each word's mean NLL per token (characters and the end), as {@link Sampler#explain} scores it: for the hardest
     * and easiest dev items at each evaluation. Every word must fit the model ({@link #maxChars()}, its vocabulary).
     */
    default double[] itemNll(List<String> words) {
        return Sampler.nllByItem(this, words);
    }

    /** 2-D positions of every vocabulary symbol's embedding, or an empty list for models without one. */
    List<EmbeddingPoint> embedding();

    /**
     * Layer statistics (lecture 3's diagnostics) from one forward and backward pass on a training batch at the
     * current parameters, with the update the optimizer would make at learning rate {@code lr}; changes nothing
     * the training sees. Null for models without layers to show.
     */
    default Health health(double lr) {
        return null;
    }

    /**
     * The dev NLL this model reaches after {@code steps} more steps at {@code lr} on a throwaway branch; then the
     * parameters are put back. ASHA's rung cooldown ranks a trial by it: what the run would reach once its learning
     * rate has decayed, not its noisier dev at the high rate. This default goes through {@link #save} and
     * {@link #restore}, so the model's batch stream (and an optimiser's moments) move on with the branch and the main
     * run goes on with other batches than it would have, and the branch's training losses join the next progress
     * point's mean.
     * Models that can put those back too override it (the MLP does).
     */
    default double branchDev(int steps, double lr) {
        try {
            Path saved = java.nio.file.Files.createTempFile("branch", ".params");
            try {
                save(saved);
                for (int i = 0; i < steps; i++) {
                    step(lr);
                }
                double dev = nll(Corpus.Part.DEV);
                restore(saved);
                return dev;
            } finally {
                java.nio.file.Files.deleteIfExists(saved);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("a branch could not keep the parameters: " + e.getMessage(), e);
        }
    }

    /** Writes the learned parameters. */
    void save(Path file) throws IOException;

    /** Replaces this model's parameters with those {@link #save} wrote for the same config and dataset. */
    void restore(Path file) throws IOException;

    @Override
    void close();

}
