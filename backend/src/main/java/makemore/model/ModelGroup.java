package makemore.model;

import java.util.concurrent.Phaser;

/**
 * K models of the same shapes trained as one: each member's trainer calls its step on its own thread, the steps meet
 * at a barrier, and the last to arrive runs one batched step for all of them, each slot at its member's learning rate.
 * A member that will step no more (finished, stopped, pruned, diverged, failed) leaves: its slot's learning rate is 0
 * from then on, so its parameters stay as they were, and the others no longer wait for it.
 *
 * <p>Why threads and a barrier rather than one loop over K trainers: each member runs the one {@code Trainer} loop
 * unchanged (events, evaluations, checkpoints, stops), and the members' evaluations, which cost the same per point
 * batched or not, run side by side on the machine's cores. While a member is off the barrier (evaluating, sampling,
 * saving) no batched step can run, so its slot's parameters stand still while it reads them.
 */
abstract class ModelGroup {
    private final Phaser barrier;
    private final float[] lrs;
    private final boolean[] active;
    private final boolean[] closed;
    private final double[] lossSum;
    private final long[] lossCount;
    private boolean unread; // steps ran since the device's loss sums were last read
    private volatile Throwable failed;
    private int open;

    ModelGroup(int k) {
        this.lrs = new float[k];
        this.active = new boolean[k];
        this.closed = new boolean[k];
        this.lossSum = new double[k];
        this.lossCount = new long[k];
        java.util.Arrays.fill(active, true);
        this.open = k;
        this.barrier = new Phaser(k) {
            @Override
            protected boolean onAdvance(int phase, int parties) {
                // parties > 0: the members still registered all arrived by stepping (leavers deregister)
                if (parties > 0 && failed == null) {
                    try {
                        stepAll(lrs.clone());
                        synchronized (ModelGroup.this) {
                            for (int i = 0; i < lrs.length; i++) {
                                lossCount[i] += active[i] ? batchRows() : 0;
                            }
                            unread = true;
                        }
                    } catch (RuntimeException | Error e) {
                        failed = e;
                    }
                }
                return parties == 0;
            }
        };
    }

    /** Slots in this group. */
    int size() {
        return lrs.length;
    }

    /** One step of every slot; a slot that left has learning rate 0 and must not move. */
    abstract void stepAll(float[] lr);

    /** Predictions a step adds to each slot's loss. */
    abstract long batchRows();

    /** Each slot's summed training loss on the device since the last call, which then zeroes it. */
    abstract float[] readLossSums();

    /** Copies slot {@code k}'s parameters into its member's own model (the one that evaluates, samples and saves). */
    abstract void copyOut(int k);

    /** Copies member {@code k}'s own model's parameters into its slot (after a restore). */
    abstract void copyIn(int k);

    /** Frees the group's arrays once every member has closed. */
    abstract void free();

    /** Member {@code k}'s step: waits for the others and returns once the batched step has run. */
    void step(int k, double lr) {
        lrs[k] = (float) lr;
        barrier.arriveAndAwaitAdvance();
        if (failed != null) {
            throw new IllegalStateException("the batched step of this group failed: " + failed.getMessage(), failed);
        }
    }

    /** Member {@code k} steps no more: its parameters and pending loss are taken out first, then it leaves. */
    synchronized void leave(int k) {
        if (!active[k]) {
            return;
        }
        copyOut(k); // safe: k has not arrived, so no batched step runs now
        readIfUnread();
        active[k] = false;
        lrs[k] = 0f;
        barrier.arriveAndDeregister();
    }

    /** Mean training loss of slot {@code k}'s steps since its last drain, NaN if none. */
    synchronized double drain(int k) {
        if (active[k]) {
            readIfUnread(); // safe: k has not arrived, so no batched step runs now
        }
        if (lossCount[k] == 0) {
            return Double.NaN;
        }
        double mean = lossSum[k] / lossCount[k];
        lossSum[k] = 0;
        lossCount[k] = 0;
        return mean;
    }

    private void readIfUnread() {
        if (unread) {
            float[] s = readLossSums();
            for (int i = 0; i < s.length; i++) {
                if (active[i]) {
                    lossSum[i] += s[i];
                }
            }
            unread = false;
        }
    }

    /** A member closed (again: nothing); the last one frees the group. */
    synchronized void closed(int k) {
        if (closed[k]) {
            return;
        }
        closed[k] = true;
        leave(k);
        if (--open == 0) {
            free();
        }
    }
}
