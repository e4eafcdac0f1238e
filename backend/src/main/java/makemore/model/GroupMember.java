package makemore.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import makemore.data.Vocabulary;
import makemore.event.EmbeddingPoint;
import makemore.event.Health;

/**
 * One point of a {@link ModelGroup} as the trainer sees it: its steps are the group's batched step, and everything
 * else (evaluation, samples, health, save and restore) is its own solo model of the same config, whose parameters are
 * copied from the point's slot when they are read after a step. So whatever reads a point reads exactly a solo model
 * (same file format, same sampling), and the copy costs one native call per parameter per evaluation, not per step.
 */
final class GroupMember implements LanguageModel {
    private final ModelGroup group;
    private final int slot;
    private final LanguageModel own;
    private final long steps;
    private final boolean penalized;
    private long done;
    private boolean stale;
    private boolean closed;

    /** {@code penalized}: its config has a penalty to report (else {@link #penalty} needs no copy of its slot). */
    GroupMember(ModelGroup group, int slot, LanguageModel own, long steps, boolean penalized) {
        this.group = group;
        this.penalized = penalized;
        this.slot = slot;
        this.own = own;
        this.steps = steps;
    }

    /** The solo model with this point's current parameters. */
    private LanguageModel own() {
        if (stale) {
            group.copyOut(slot);
            stale = false;
        }
        return own;
    }

    @Override
    public boolean trainable() {
        return true;
    }

    @Override
    public void step(double lr) {
        group.step(slot, lr);
        stale = true;
        if (++done == steps) { // its last step: the others need not wait for its final evaluation
            group.leave(slot);
            stale = false;
        }
    }

    @Override
    public double drainLoss() {
        return group.drain(slot);
    }

    @Override
    public double penalty() {
        // read with every progress point (every few steps): copying the slot out each time cost more than the steps
        return penalized ? own().penalty() : Double.NaN;
    }

    @Override
    public double nll(makemore.data.Corpus.Part part) {
        return group.reading(() -> own().nll(part));
    }

    @Override
    public Vocabulary vocab() {
        return own.vocab();
    }

    @Override
    public double[] nextLogProbs(int[][] prefixes) {
        return own().nextLogProbs(prefixes);
    }

    @Override
    public int maxChars() {
        return own.maxChars();
    }

    @Override
    public float[][][][] attention(int[] ids) {
        return own().attention(ids);
    }

    @Override
    public double[] inputGradientNorms(int[] prefix, int target) {
        return own().inputGradientNorms(prefix, target);
    }

    @Override
    public List<String> sample(int n, double temperature, Random rng) {
        return group.reading(() -> own().sample(n, temperature, rng));
    }

    @Override
    public double[] probabilities(String word) {
        return own().probabilities(word);
    }

    @Override
    public double[] itemNll(List<String> words) {
        return group.reading(() -> own().itemNll(words));
    }

    @Override
    public List<EmbeddingPoint> embedding() {
        return own().embedding();
    }

    @Override
    public Health health(double lr) {
        return group.reading(() -> own().health(lr));
    }

    /** On its solo model: a branch of the group's batched step would step (and count) every point's slot. */
    @Override
    public double branchDev(int steps, double lr) {
        return own().branchDev(steps, lr);
    }

    @Override
    public void save(Path file) throws IOException {
        own().save(file);
    }

    @Override
    public void restore(Path file) throws IOException {
        own.restore(file);
        group.copyIn(slot);
        stale = false;
    }

    /** Closing twice is allowed (whoever started its thread closes it too, in case its run never started). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            group.closed(slot);
        } finally {
            own.close();
        }
    }
}
