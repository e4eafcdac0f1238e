package makemore.model;

import makemore.data.Corpus;

/**
 * What a config of a model costs on this data, from the same parameter and activation counts: its peak memory, the
 * work of one training step and the work of one evaluation (a pass over train and dev). Each model's {@code cost}
 * is the one place its sizes are counted; {@link MachineSpeed} turns work into seconds.
 *
 * @param bytes estimated peak memory of a run (parameters, optimizer state, one step's activations)
 * @param step  one training step: forward, backward and update, batch drawing included
 * @param eval  one evaluation: the forward pass over every train and dev token
 */
public record Cost(long bytes, Work step, Work eval) {

    /**
     * Work in the three units a CPU spends time on: multiply-adds inside matrix products, elements touched by
     * element-wise kernels (softmax, tanh, layer norms, copies, optimizer updates), and native calls, whose fixed
     * cost dominates small steps.
     */
    public record Work(double macs, double elems, double calls) {
        public static final Work NONE = new Work(0, 0, 0);

        public Work plus(Work o) {
            return new Work(macs + o.macs, elems + o.elems, calls + o.calls);
        }

        public Work times(double k) {
            return new Work(macs * k, elems * k, calls * k);
        }
    }

    /** Tokens an evaluation scores: every character and end token of the train and dev items. */
    public static double evalTokens(Corpus corpus) {
        double n = 0;
        for (Corpus.Part p : new Corpus.Part[] {Corpus.Part.TRAIN, Corpus.Part.DEV}) {
            for (String w : corpus.words(p)) {
                n += w.codePointCount(0, w.length()) + 1;
            }
        }
        return n;
    }

    /**
     * Forward passes an evaluation of a fixed-context model runs: the distinct contexts of train and dev
     * ({@link makemore.data.DistinctContexts}); each of the {@link #evalTokens} rows then only picks its target.
     */
    public static double evalContexts(Corpus corpus, int block) {
        return corpus.distinct(Corpus.Part.TRAIN, block).count() + corpus.distinct(Corpus.Part.DEV, block).count();
    }

    /** Items an evaluation scores (train and dev). */
    public static double evalItems(Corpus corpus) {
        return corpus.words(Corpus.Part.TRAIN).size() + corpus.words(Corpus.Part.DEV).size();
    }

    /** Mean tokens per training item: what a batch of {@code b} sequences holds, {@code b} times this. */
    public static double tokensPerItem(Corpus corpus) {
        return evalTokens(corpus) / Math.max(1, evalItems(corpus));
    }
}
