package makemore.model;

import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * A {@link Random} with the same sequence as {@code new Random(seed)} whose position can be read and set again, so a
 * throwaway branch of training (ASHA's rung cooldown, {@link LanguageModel#branchDev}) can draw batches and leave the
 * main run's batches as they were. Its state is java.util.Random's 48-bit linear congruence, kept here because
 * Random's own is private. Not thread-safe (a model's batches are drawn on its training thread).
 */
public final class MarkableRandom extends Random {
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long MASK = (1L << 48) - 1;
    private long state; // no initialiser: Random's constructor sets it through setSeed before this class's fields
    private boolean inBranch;

    public MarkableRandom(long seed) {
        super(seed);
    }

    @Override
    public synchronized void setSeed(long seed) {
        super.setSeed(seed);
        state = (seed ^ MULTIPLIER) & MASK;
    }

    @Override
    protected int next(int bits) {
        state = (state * MULTIPLIER + 0xBL) & MASK;
        return (int) (state >>> (48 - bits));
    }

    /** Where the sequence stands; {@link #reset} returns to it. */
    public long mark() {
        return state;
    }

    public void reset(long mark) {
        state = mark & MASK;
    }

    /** Runs a branch of training: afterwards the draws start again where they stood before it. */
    public double branch(DoubleSupplier body) {
        long mark = mark();
        inBranch = true;
        try {
            return body.getAsDouble();
        } finally {
            inBranch = false;
            reset(mark);
        }
    }

    /** Whether a {@link #branch} runs: its model keeps what it trains there out of its records (the loss curve). */
    public boolean inBranch() {
        return inBranch;
    }
}
