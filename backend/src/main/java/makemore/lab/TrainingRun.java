package makemore.lab;

import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import makemore.config.RunConfig;
import makemore.data.Corpus;
import makemore.event.RunEvent;
import makemore.event.RunStatus;
import makemore.model.LanguageModel;
import makemore.store.ParamStore;
import makemore.train.RunControl;
import makemore.train.TrainResult;
import makemore.train.Trainer;

/**
 * The one way a config is trained, for the lab's trainers, {@code ./lab train}, {@code ./lab sweep} and every bench:
 * the model is built (count models from {@link CountCache}), the {@link Trainer} loop runs it, the best-dev
 * parameters are kept, a judge may stop it after each dev evaluation (a sweep's pruning, a stopped sweep), and
 * {@link RunControl} stops or steers it from outside. The caller validates the config first.
 */
public final class TrainingRun {
    /** Decides after each dev evaluation whether the run goes on. */
    public interface DevJudge {
        /** Null to go on; otherwise how the run ends and why. {@code cooldown} may be asked before deciding. */
        Stop afterDev(long step, double devLoss, Cooldown cooldown);
    }

    /**
     * The dev NLL after {@code steps} more steps at the schedule's final learning rate, on a branch that leaves the
     * run as it was ({@link LanguageModel#branchDev}): ASHA's rung score with {@code --rung-cooldown}.
     */
    public interface Cooldown {
        double dev(int steps);
    }

    public record Stop(RunStatus as, String why) {}

    private final RunConfig cfg;
    private final Corpus corpus;
    private RunControl control = new RunControl();
    private Path bestDev;
    private ParamStore publishTo;
    private String runId;
    private DevJudge judge;
    private LanguageModel given;
    private Consumer<RunEvent> listener = e -> {};
    private BiConsumer<LanguageModel, TrainResult> atEnd = (m, r) -> {};

    private TrainingRun(RunConfig cfg, Corpus corpus) {
        this.cfg = cfg;
        this.corpus = corpus;
    }

    /** A run of a validated config on a corpus. */
    public static TrainingRun of(RunConfig cfg, Corpus corpus) {
        return new TrainingRun(cfg, corpus);
    }

    /** How others stop it or change its learning rate while it trains. */
    public TrainingRun control(RunControl c) {
        this.control = c;
        return this;
    }

    /**
     * Trains {@code m} (built for this config, e.g. one member of a batched group) instead of a model built here; the
     * run closes it when it ends.
     */
    public TrainingRun model(LanguageModel m) {
        this.given = m;
        return this;
    }

    /** Saves the parameters to {@code file} at each dev evaluation better than all before it. */
    public TrainingRun keepBestDev(Path file) {
        this.bestDev = file;
        return this;
    }

    /**
     * When the run ends, copies its best-dev file into the run database as run {@code id}'s, so labs on other
     * machines can use it. A database that refuses leaves the file as the only copy and says so on stderr: the run's
     * own results are already stored.
     */
    public TrainingRun publishTo(ParamStore store, String id) {
        this.publishTo = store;
        this.runId = id;
        return this;
    }

    public TrainingRun judge(DevJudge j) {
        this.judge = j;
        return this;
    }

    /** Hears every event on the training thread, after the checkpoint of a better dev is written; must not block. */
    public TrainingRun listener(Consumer<RunEvent> l) {
        this.listener = l;
        return this;
    }

    /** Sees the trained model and the result before the model is closed (e.g. to save its final parameters). */
    public TrainingRun atEnd(BiConsumer<LanguageModel, TrainResult> after) {
        this.atEnd = after;
        return this;
    }

    public TrainResult run() {
        try (LanguageModel model = given != null ? given : CountCache.create(cfg, corpus)) {
            Consumer<RunEvent> keep = bestDev == null ? e -> {} : Checkpoints.keepBestDev(model, bestDev);
            TrainResult r = new Trainer(cfg, corpus, model, control, e -> {
                keep.accept(e); // first: whoever hears of a better dev can load its parameters
                if (publishTo != null && bestDev != null && e instanceof RunEvent.Status s && s.status().terminal()) {
                    publish(); // before the end is heard: a lab that sees the run ended finds its parameters
                }
                listener.accept(e);
                if (judge != null && e instanceof RunEvent.Eval ev && ev.split().equals("dev")
                        && !control.stopRequested()) {
                    Stop s = judge.afterDev(ev.step(), ev.loss(),
                            n -> model.branchDev(n, cfg.scheduledLr(cfg.lr(), cfg.steps() - 1)));
                    if (s != null) {
                        control.requestStop(s.as(), s.why());
                    }
                }
            }).run();
            atEnd.accept(model, r);
            return r;
        }
    }

    private void publish() {
        try {
            Checkpoints.publish(publishTo, runId, bestDev);
        } catch (RuntimeException e) {
            System.err.println("run " + runId + ": its parameters stay only in " + bestDev + " (the run database"
                    + " refused them: " + e.getMessage() + ")");
        }
    }
}
