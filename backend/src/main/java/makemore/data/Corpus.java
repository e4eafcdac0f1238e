package makemore.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A dataset split by item into train/dev/test (80/10/10) with a fixed seed, so every run on the same dataset
 * is scored on the same dev items whatever its own seed.
 */
public final class Corpus {
    public static final long SPLIT_SEED = 42;

    public enum Part { TRAIN, DEV, TEST;
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Dataset dataset;
    private final Vocabulary vocab;
    private final List<List<String>> parts;
    private final List<Set<String>> partSets;
    /**
     * A few splits' contexts, most recently used last: every evaluation of a run scores train and dev, and every run
     * on this corpus starts from the train split's, so they are built once (about 8 ms for the names at block 3).
     */
    private final java.util.LinkedHashMap<Long, Contexts> contexts = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Long, Contexts> eldest) {
            return size() > 8;
        }
    };

    private final java.util.LinkedHashMap<Long, DistinctContexts> distinct = new java.util.LinkedHashMap<>(16, 0.75f,
            true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Long, DistinctContexts> eldest) {
            return size() > 8;
        }
    };

    public Corpus(Dataset dataset) {
        this.dataset = dataset;
        this.vocab = Vocabulary.of(dataset.words());
        Interruption.check(0); // between the stages that each take a second on a big upload
        List<String> shuffled = new ArrayList<>(dataset.words());
        Collections.shuffle(shuffled, new Random(SPLIT_SEED));
        Interruption.check(0);
        int n = shuffled.size();
        int n1 = (int) (0.8 * n);
        int n2 = (int) (0.9 * n);
        parts = List.of(List.copyOf(shuffled.subList(0, n1)), List.copyOf(shuffled.subList(n1, n2)),
                List.copyOf(shuffled.subList(n2, n)));
        Interruption.check(0);
        partSets = parts.stream().map(p -> (Set<String>) new HashSet<>(p)).toList();
    }

    public Dataset dataset() {
        return dataset;
    }

    public Vocabulary vocab() {
        return vocab;
    }

    public List<String> words(Part part) {
        return parts.get(part.ordinal());
    }

    /** Every (context, next) pair of a split at this block size; shared, so its arrays are read-only. */
    public Contexts contexts(Part part, int block) {
        long key = (long) block * Part.values().length + part.ordinal();
        synchronized (contexts) {
            return contexts.computeIfAbsent(key, k -> Contexts.of(words(part), vocab, block));
        }
    }

    /** A split's distinct contexts at this block size (what an evaluation scores), shared as {@link #contexts} is. */
    public DistinctContexts distinct(Part part, int block) {
        long key = (long) block * Part.values().length + part.ordinal();
        synchronized (distinct) {
            DistinctContexts d = distinct.get(key);
            if (d == null) {
                d = DistinctContexts.of(contexts(part, block));
                distinct.put(key, d);
            }
            return d;
        }
    }

    /** Predicted characters in all splits (each item's characters plus its end token): what a pass costs. */
    public long tokens() {
        long n = 0;
        for (String w : dataset.words()) {
            n += w.codePointCount(0, w.length()) + 1;
        }
        return n;
    }

    /** Where a generated item already occurs: the first of train, dev, test that has it, or null when new. */
    public Part seenIn(String word) {
        for (Part p : Part.values()) {
            if (partSets.get(p.ordinal()).contains(word)) {
                return p;
            }
        }
        return null;
    }
}
