package makemore.train;

import makemore.config.RunConfig;
import makemore.event.RunEvent;
import makemore.event.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import makemore.data.Corpus;
import makemore.model.LanguageModel;

/**
 * Runs any {@link LanguageModel} for the configured steps and tells a listener what happens: progress points,
 * whole-split evaluations, samples, embeddings, learning-rate changes and the final status. Knows nothing of
 * who listens (CLI, WebSocket, store).
 */
public final class Trainer {
    /** Samples shown while training; the final report carries more. */
    public static final int LIVE_SAMPLES = 12;
    public static final int FINAL_SAMPLES = 20;
    /** A run's curve keeps at most about this many progress points, each the mean loss of its steps. */
    private static final int MAX_POINTS = 2000;

    private final RunConfig cfg;
    private final Corpus corpus;
    private final LanguageModel model;
    private final RunControl control;
    private final Consumer<RunEvent> listener;
    private long healthNanos;
    private long namesNanos;
    private final DevNameRanking ranking = new DevNameRanking();

    public Trainer(RunConfig cfg, Corpus corpus, LanguageModel model, RunControl control, Consumer<RunEvent> listener) {
        this.cfg = cfg;
        this.corpus = corpus;
        this.model = model;
        this.control = control;
        this.listener = listener;
    }

    /** Steps between progress points, fixed by the config so the same run always yields the same curve. */
    public static int progressEvery(RunConfig cfg) {
        return Math.max(1, (cfg.steps() + MAX_POINTS - 1) / MAX_POINTS);
    }

    public TrainResult run() {
        long start = System.nanoTime();
        long trainNanos = 0;
        long done = 0;
        double trainNll = Double.NaN;
        double devNll = Double.NaN;
        try {
            listener.accept(new RunEvent.Status(0, RunStatus.RUNNING, "training " + cfg.model()));
            if (!model.trainable()) {
                trainNll = evaluate(0, Corpus.Part.TRAIN);
                devNll = evaluateDev(0);
                List<RunEvent.Sample> samples = samples(0, FINAL_SAMPLES);
                return finish(RunStatus.FINISHED, countMessage(devNll), 0, trainNll, devNll, start, 0, samples);
            }
            if (cfg.lrChanges() != null) {
                cfg.lrChanges().forEach(c -> control.planLr(c.step(), c.lr())); // a steered run, replayed exactly
            }
            health(0, cfg.scheduledLr(cfg.lr(), 0)); // the initialisation, before any step (lecture 3's picture)
            int every = progressEvery(cfg);
            double baseLr = cfg.lr();
            double firstLoss = Double.NaN;
            long windowNanos = 0; // evaluation and sampling time is not training speed
            long windowSteps = 0;
            LrFinder finder = "finder".equals(cfg.schedule()) ? new LrFinder() : null;
            long evaluatedAt = -1;
            for (long step = 0; step < cfg.steps(); step++) {
                if (control.stopRequested()) {
                    if (evaluatedAt != done) { // stopped right after an evaluation: that one is the final one
                        trainNll = evaluate(done, Corpus.Part.TRAIN);
                        devNll = evaluateDev(done);
                    }
                    String why = control.stopReason() != null ? control.stopReason()
                            : "stopped at step " + done + " of " + cfg.steps();
                    return finish(control.stopStatus(), why, done,
                            trainNll, devNll, start, trainNanos, samples(done, FINAL_SAMPLES));
                }
                Double change = control.lrChangeAt(step);
                if (change != null) {
                    baseLr = change;
                    listener.accept(new RunEvent.LrChange(step, baseLr));
                }
                double lr = cfg.scheduledLr(baseLr, (int) step);
                long t0 = System.nanoTime();
                model.step(lr);
                long t1 = System.nanoTime();
                trainNanos += t1 - t0;
                windowNanos += t1 - t0;
                done = step + 1;
                windowSteps++;
                boolean last = done == cfg.steps();
                // the first step's batch loss is the loss at initialisation (lecture 3's first check): its own point
                if (done % every == 0 || last || done == 1) {
                    double loss = model.drainLoss();
                    if (Double.isNaN(firstLoss)) {
                        firstLoss = loss;
                    }
                    String why = finder == null ? divergence(loss, firstLoss) : null;
                    if (finder != null && finder.shouldStop(finder.observe(loss))) {
                        listener.accept(new RunEvent.Progress(done, loss, lr, 0));
                        return finish(RunStatus.FINISHED, "LR finder stopped at step " + done + " (lr " + fmt(lr)
                                + "): the smoothed loss passed " + (int) LrFinder.STOP_FACTOR + "x its minimum", done,
                                Double.NaN, Double.NaN, start, trainNanos, List.of());
                    }
                    if (why != null) {
                        return finish(RunStatus.DIVERGED, why + " at step " + done + " with learning rate "
                                + fmt(lr) + ": lower the learning rate (try " + fmt(lr / 10) + ")", done,
                                Double.NaN, Double.NaN, start, trainNanos, List.of());
                    }
                    double rate = windowSteps / Math.max(1e-9, windowNanos / 1e9);
                    listener.accept(new RunEvent.Progress(done, loss, lr, rate, model.penalty()));
                    windowNanos = 0;
                    windowSteps = 0;
                }
                if (done % cfg.evalEvery() == 0 || last) {
                    trainNll = evaluate(done, Corpus.Part.TRAIN);
                    devNll = evaluateDev(done);
                    evaluatedAt = done;
                    var points = model.embedding();
                    if (!points.isEmpty()) {
                        listener.accept(new RunEvent.Embedding(done, points));
                    }
                    health(done, lr);
                }
                if (!last && cfg.sampleEvery() > 0 && done % cfg.sampleEvery() == 0) {
                    samples(done, LIVE_SAMPLES);
                }
            }
            List<RunEvent.Sample> samples = samples(done, FINAL_SAMPLES);
            return finish(RunStatus.FINISHED, "finished " + done + " steps: dev " + fmt(devNll), done, trainNll, devNll,
                    start, trainNanos, samples);
        } catch (RuntimeException | OutOfMemoryError e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return finish(RunStatus.FAILED, "failed at step " + done + ": " + msg, done, trainNll, devNll, start,
                    trainNanos, List.of());
        }
    }

    private String countMessage(double dev) {
        if (Double.isInfinite(dev)) {
            return "dev NLL is infinite: with smoothing 0 a pair never seen in train gets probability 0; raise smoothing";
        }
        return "counted: dev " + fmt(dev);
    }

    /** Null while the loss looks sane, else why the run counts as diverged. */
    static String divergence(double loss, double firstLoss) {
        if (!Double.isFinite(loss)) {
            return "the loss became " + loss;
        }
        if (loss > 2 * Math.max(firstLoss, 1.0) + 2) {
            return "the loss blew up to " + fmt(loss) + " (it started at " + fmt(firstLoss) + ")";
        }
        return null;
    }

    private double evaluate(long step, Corpus.Part part) {
        double nll = model.nll(part);
        listener.accept(new RunEvent.Eval(step, part.label(), nll));
        return nll;
    }

    /** Dev NLL, then the hardest and easiest dev items at the same parameters (their cost in {@link #namesNanos()}). */
    private double evaluateDev(long step) {
        double nll = evaluate(step, Corpus.Part.DEV);
        long t0 = System.nanoTime();
        List<String> words = new ArrayList<>();
        for (String w : corpus.words(Corpus.Part.DEV)) {
            int chars = w.codePointCount(0, w.length());
            if (chars > 0 && chars <= model.maxChars()) { // what the model can score at all
                words.add(w);
            }
        }
        if (!words.isEmpty()) {
            listener.accept(ranking.rank(step, words, model.itemNll(words)));
        }
        namesNanos += System.nanoTime() - t0;
        return nll;
    }

    /** Time spent ranking the dev items so far (one more pass over dev per evaluation). */
    public long namesNanos() {
        return namesNanos;
    }

    /** Layer statistics on one batch, for models that have layers to show; its cost is in {@link #healthNanos()}. */
    private void health(long step, double lr) {
        long t0 = System.nanoTime();
        makemore.event.Health h = model.health(lr);
        healthNanos += System.nanoTime() - t0;
        if (h != null) {
            listener.accept(new RunEvent.Health(step, h.layers(), h.weights(), h.histograms()));
        }
    }

    /** Time spent measuring layer health so far (to keep it a small fraction of training). */
    public long healthNanos() {
        return healthNanos;
    }

    private List<RunEvent.Sample> samples(long step, int n) {
        Random rng = new Random(cfg.seed() * 1_000_003L + step);
        List<RunEvent.Sample> out = new ArrayList<>(n);
        for (String s : model.sample(n, cfg.temperature(), rng)) {
            Corpus.Part seen = corpus.seenIn(s);
            out.add(new RunEvent.Sample(s, seen == null ? null : seen.label()));
        }
        listener.accept(new RunEvent.Samples(step, out));
        return out;
    }

    private TrainResult finish(RunStatus status, String message, long steps, double train, double dev, long start,
            long trainNanos, List<RunEvent.Sample> samples) {
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = trainNanos > 0 ? steps / (trainNanos / 1e9) : 0;
        listener.accept(new RunEvent.Status(steps, status, message));
        return new TrainResult(status, message, steps, train, dev, seconds, rate, samples, healthNanos / 1e9);
    }

    static String fmt(double v) {
        return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.4g", v) : Double.toString(v);
    }
}
