package makemore.model.autograd;

import makemore.data.Corpus;
import makemore.config.ConfigException;
import makemore.config.FieldSpec;
import makemore.config.RunConfig;

/** Config fields and checks shared by the autograd models' specs. */
public final class AutogradFields {
    public static final int MAX_BLOCK = 1024;

    private AutogradFields() {}

    /** The context field of a sequence model: 0 (the default) means longest item + 1, as makemore.py sets it. */
    public static FieldSpec sequenceContext() {
        return FieldSpec.integer("context", "block size", 0, 0, MAX_BLOCK, "lin",
                "positions per item: longest item + 1 (0 = exactly that, the default); fewer would cut items, more"
                        + " are never used").autoOnly("longest item + 1");
    }

    /** The longest item of the whole dataset, in characters. */
    public static int longestItem(Corpus corpus) {
        int n = 0;
        for (String w : corpus.dataset().words()) {
            n = Math.max(n, w.codePointCount(0, w.length()));
        }
        return n;
    }

    /**
     * A sequence model's block size for this data: longest item + 1. A context other than 0 must equal it: with
     * less an item would not fit, with more the extra positions would never see a target.
     */
    public static int sequenceBlock(RunConfig cfg, Corpus corpus) {
        int need = longestItem(corpus) + 1;
        int c = cfg.context() == null ? 0 : cfg.context();
        if (c != 0 && c < need) {
            throw new ConfigException("context", "context " + c + " is too short for this dataset: its longest item"
                    + " needs " + need + " positions (longest item + 1; 0 picks that)");
        }
        if (c > need) {
            throw new ConfigException("context", "context " + c + " is beyond the data: the longest item + 1 is "
                    + need + ", so positions past it never see a target; use " + need + " or 0");
        }
        if (need > MAX_BLOCK) {
            throw new ConfigException("context", "this dataset's longest item needs " + need
                    + " positions; sequence models take at most " + MAX_BLOCK);
        }
        return need;
    }

    /** Examples per step: the batch field, 0 meaning the whole training split (items or contexts). */
    public static long batchRows(RunConfig cfg, long trainExamples) {
        return cfg.batch() == 0 ? trainExamples : cfg.batch();
    }
}
