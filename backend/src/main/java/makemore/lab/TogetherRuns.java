package makemore.lab;

import java.util.ArrayList;
import java.util.List;
import makemore.config.RunConfig;
import makemore.data.Corpus;
import makemore.model.LanguageModel;
import makemore.model.Models;

/**
 * Runs a group of points ({@link makemore.sweep.Together}) together: one batched model's members, each point trained
 * by the one run path ({@link TrainingRun#model}) on a thread of its own, for the lab's trainers and
 * {@code ./lab sweep} alike.
 */
public final class TogetherRuns {
    private TogetherRuns() {}

    /** What trains point {@code i}: with {@code member}, or with a model of its own when member is null. */
    public interface Point {
        void train(int i, LanguageModel member);
    }

    /**
     * Trains every point and returns when all have ended; a point's exception is rethrown after the others end. A
     * group that cannot be built (e.g. out of memory) trains its points one at a time instead.
     */
    public static void train(List<RunConfig> cfgs, Corpus corpus, Point point) {
        List<LanguageModel> members;
        try {
            members = cfgs.size() == 1 ? null : Models.spec(cfgs.get(0).model()).group().members(cfgs, corpus);
        } catch (RuntimeException | OutOfMemoryError e) {
            System.err.println("these " + cfgs.size() + " points train one at a time: their group could not be built ("
                    + e.getMessage() + ")");
            members = null;
        }
        if (members == null) {
            for (int i = 0; i < cfgs.size(); i++) {
                point.train(i, null);
            }
            return;
        }
        RuntimeException[] thrown = new RuntimeException[cfgs.size()];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < cfgs.size(); i++) {
            int at = i;
            LanguageModel m = members.get(i);
            Thread t = new Thread(() -> {
                try {
                    point.train(at, m);
                } catch (RuntimeException e) {
                    thrown[at] = e;
                } finally {
                    m.close(); // again after its run closed it: a no-op; the group waits for no point that never ran
                }
            }, Thread.currentThread().getName() + "-point-" + i);
            threads.add(t);
            t.start();
        }
        boolean interrupted = false;
        for (Thread t : threads) { // the points end on their own: their runs' control stops them, not an interrupt
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (RuntimeException e : thrown) {
            if (e != null) {
                throw e;
            }
        }
    }
}
