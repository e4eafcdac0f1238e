package makemore.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import makemore.data.Corpus;
import makemore.data.DatasetException;
import makemore.model.LanguageModel;
import makemore.model.Models;
import makemore.model.RunEstimate;
import makemore.store.RunRecord;
import makemore.store.ParamStore;
import makemore.store.RunList;
import makemore.store.RunStore;
import makemore.store.StoreWriter;
import makemore.config.ConfigException;
import makemore.config.Limits;
import makemore.config.RunConfig;
import makemore.event.RunEvent;
import makemore.event.RunStatus;
import makemore.train.TrainResult;

/**
 * Runs as the lab sees them: created, queued on a bounded pool of trainers, streamed to subscribers, stored,
 * stopped, scored on test once, sampled and probed from their saved parameters.
 */
public final class RunService implements AutoCloseable {
    private final RunStore store;
    private final StoreWriter writer;
    private final DatasetLibrary datasets;
    private final SavedModels saved;
    private final ParamStore params;
    private final RunList runList;
    private final ExecutorService trainers;
    private final Map<String, LiveRun> live = new ConcurrentHashMap<>();
    private final ListFeed feed = new ListFeed();
    private final RunInsights insights;
    private final QueueBound queue = new QueueBound();
    private volatile boolean closing;

    public RunService(RunStore store, DatasetLibrary datasets, Path dataDir, int maxConcurrent) {
        this.store = store;
        this.writer = new StoreWriter(store, this::storeFailed);
        this.datasets = datasets;
        Path paramsDir = Checkpoints.dir(dataDir);
        this.params = new ParamStore(store);
        this.runList = new RunList(store);
        this.saved = new SavedModels(datasets, paramsDir, params);
        this.insights = new RunInsights(this::get, saved);
        Checkpoints.createDir(paramsDir);
        int[] n = {0};
        this.trainers = Executors.newFixedThreadPool(maxConcurrent, r -> {
            Thread t = new Thread(r, "trainer-" + n[0]++);
            t.setDaemon(true);
            return t;
        });
        store.markInterrupted();
    }

    public static int defaultConcurrency() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /**
     * Validates, stores as queued, and schedules; returns the new run's id. Cheap: the model is built by its
     * trainer; here only its estimated memory is checked against the data. A failure stores nothing.
     */
    public String create(RunConfig requested) {
        RunConfig cfg = Models.validate(requested);
        Corpus corpus = corpus(cfg.dataset());
        Models.checkFits(cfg, corpus); // limits that depend on the data: a 400 before anything is built
        queue.reserve(1);
        String id = RunIds.next();
        LiveRun run = new LiveRun(id, Instant.now().toString(), cfg);
        try {
            store.insert(id, run.created, cfg, RunStatus.QUEUED, RunStatus.WAITING);
        } catch (RuntimeException e) {
            queue.release(1);
            throw e;
        }
        live.put(id, run);
        trainers.submit(() -> train(run, corpus, null, null));
        feed.changed("runs");
        return id;
    }

    /**
     * What {@link #create} would check, without creating anything: the config validated, its estimated memory and
     * time on this machine, a 400 naming the driving field when over a limit.
     */
    public RunEstimate estimate(RunConfig requested) {
        RunConfig cfg = Models.validate(requested);
        return Models.checkFits(cfg, corpus(cfg.dataset()));
    }

    /** The store could not take a run's results: the run fails at its next event (see {@link #emit}). */
    private void storeFailed(String id, String why) {
        LiveRun run = live.get(id);
        if (run != null) {
            run.storeFailure = why;
        }
    }

    /** The one queue bound that runs, sweep points and re-runs share. */
    public QueueBound queue() {
        return queue;
    }

    /** Where open pages hear that the run or sweep list changed. */
    public ListFeed feed() {
        return feed;
    }

    // ---- for sweeps (SweepService): points are validated and stored together, then queued like any run ----

    /** The dataset's corpus; an unknown or deleted dataset is a config error on "dataset". */
    public Corpus corpus(String dataset) {
        try {
            return datasets.corpus(dataset);
        } catch (DatasetException e) {
            throw new ConfigException("dataset", e.getMessage());
        }
    }

    /**
     * Queues a run the caller has already validated, given a place ({@link QueueBound#reserve}) and stored as queued; {@code tap}
     * hears every event of the run, on the trainer thread, and must not block; {@code judge} may stop it after each
     * dev evaluation.
     */
    public void enqueueStored(String id, String created, RunConfig cfg, Corpus corpus, Consumer<RunEvent> tap,
            TrainingRun.DevJudge judge) {
        enqueueTogether(List.of(id), created, List.of(cfg), corpus, List.of(tap), List.of(judge));
    }

    /** As {@link #enqueueStored} for points that train together as one batched model, on one trainer. */
    public void enqueueTogether(List<String> ids, String created, List<RunConfig> cfgs, Corpus corpus,
            List<Consumer<RunEvent>> taps, List<TrainingRun.DevJudge> judges) {
        List<LiveRun> group = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            LiveRun run = new LiveRun(ids.get(i), created, cfgs.get(i));
            run.subscribe(taps.get(i));
            live.put(run.id, run);
            group.add(run);
        }
        trainers.submit(() -> TogetherRuns.train(cfgs, corpus,
                (i, m) -> train(group.get(i), corpus, judges.get(i), m)));
    }

    /** Asks a queued or training run to stop and end as {@code as}; false when it is not live here. */
    public boolean requestStop(String id, RunStatus as, String reason) {
        LiveRun run = live.get(id);
        if (run == null) {
            return false;
        }
        run.control.requestStop(as, reason);
        return true;
    }

    /** Blocks until every event emitted so far is stored. */
    public void flush() {
        writer.flush();
    }

    private void train(LiveRun run, Corpus corpus, TrainingRun.DevJudge judge, LanguageModel member) {
        queue.release(1);
        Path params = paramsFile(run.id);
        try {
            if (closing) {
                emit(run, new RunEvent.Status(0, RunStatus.STOPPED, "the lab shut down before this run started"));
                return;
            }
            if (run.control.stopRequested()) { // stopped while queued (e.g. its sweep was stopped): never trained
                emit(run, new RunEvent.Status(0, RunStatus.STOPPED, run.control.stopReason() != null
                        ? run.control.stopReason() : "cancelled before it started"));
                return;
            }
            // the run keeps its best-dev parameters: samples, probes and the test score use them
            TrainResult r = TrainingRun.of(run.config, corpus).model(member).control(run.control).keepBestDev(params)
                    .publishTo(this.params, run.id).judge(judge)
                    .listener(e -> emit(run, e)).run();
            assert r.status().terminal();
        } catch (Throwable e) { // an Error too: this trainer thread goes on to the next run
            if (!run.status().terminal()) {
                String why = e.getMessage() == null ? "out of memory or an internal error" : e.getMessage();
                emit(run, new RunEvent.Status(run.snapshot().step(), RunStatus.FAILED, "failed: " + why));
            }
        } finally {
            writer.flush();
            live.remove(run.id);
        }
    }

    private void emit(LiveRun run, RunEvent e) {
        String storeFailure = run.storeFailure;
        if (storeFailure != null && !(e instanceof RunEvent.Status s && s.status().terminal())) {
            // thrown into the trainer, which ends the run as failed with this reason
            throw new IllegalStateException("its results could not be stored (" + storeFailure + ")");
        }
        run.onEvent(e);
        writer.offer(run.id, e);
        if (e instanceof RunEvent.Status) {
            feed.changed("runs");
        }
    }

    /** Whether run {@code id} is stored here (or live, ahead of the store). */
    public boolean exists(String id) {
        return live.containsKey(id) || store.labels(id).isPresent();
    }

    /** Each sweep's lowest best dev over its runs, for the run list's sweep rows. */
    public Map<String, Double> sweepBestDevs() {
        return runList.sweepBestDevs();
    }

    /** One page of the list, filtered and sorted by the database, with what live runs know now. */
    public RunList.Page page(RunList.Query q) {
        RunList.Page p = runList.page(q);
        return new RunList.Page(withLive(p.runs()), p.total());
    }

    private List<RunRecord.Summary> withLive(List<RunRecord.Summary> stored) {
        List<RunRecord.Summary> out = new ArrayList<>();
        Map<String, RunEvent.Status> unsaved = writer.unsaved();
        for (RunRecord.Summary s : stored) {
            LiveRun run = live.get(s.id());
            RunEvent.Status pending = unsaved.get(s.id());
            if (run != null) {
                RunRecord r = run.snapshot();
                s = new RunRecord.Summary(s.id(), s.created(), s.dataset(), s.model(), r.status(), r.message(), r.step(),
                        r.bestDev(), s.test(), s.name(), s.note());
            } else if (pending != null) { // the store is failing: say what it will be told when it recovers
                s = new RunRecord.Summary(s.id(), s.created(), s.dataset(), s.model(), pending.status(),
                        pending.message(), s.step(), s.bestDev(), s.test(), s.name(), s.note());
            }
            out.add(s);
        }
        return out;
    }

    public RunRecord get(String id) {
        LiveRun run = live.get(id);
        if (run != null) {
            return withLabels(run.snapshot());
        }
        RunRecord r = store.get(id).orElseThrow(() -> LabException.notFound("no run " + id));
        RunEvent.Status pending = writer.unsaved().get(id);
        return pending == null ? r : new RunRecord(r.id(), r.created(), r.config(), pending.status(), pending.message(),
                r.step(), r.stepsPerSec(), r.bestDev(), r.test(), r.progress(), r.evals(), r.samples(), r.embedding(),
                r.lrChanges(), r.name(), r.note(), r.health(), r.devNames());
    }

    /** The run as it is now, then every later event to {@code subscriber} (none for a run that has ended). */
    public RunRecord subscribe(String id, Consumer<RunEvent> subscriber) {
        LiveRun run = live.get(id);
        return run != null ? withLabels(run.subscribe(subscriber)) : get(id);
    }

    /** A live run with its stored name and note; while the database is unreachable, what the lab holds. */
    private RunRecord withLabels(RunRecord r) {
        try {
            return store.labels(r.id()).map(r::withLabels).orElse(r);
        } catch (makemore.store.StoreException e) {
            return r;
        }
    }


    /** Renames and/or annotates a run (any state); a blank name or note clears it. Returns the labels now stored. */
    public RunRecord.Labels label(String id, java.util.Optional<String> name, java.util.Optional<String> note) {
        RunRecord.Labels now = store.labels(id).orElseThrow(() -> LabException.notFound("no run " + id));
        String n = name.map(String::strip).orElse(now.name());
        String t = note.map(String::strip).orElse(now.note());
        if (n != null && n.length() > Limits.RUN_NAME) {
            throw new ConfigException("name", "name must be at most " + Limits.RUN_NAME + " characters, got " + n.length());
        }
        if (t != null && t.length() > Limits.RUN_NOTE) {
            throw new ConfigException("note", "note must be at most " + Limits.RUN_NOTE + " characters, got " + t.length());
        }
        RunRecord.Labels l = new RunRecord.Labels(n == null || n.isEmpty() ? null : n, t == null || t.isEmpty() ? null : t);
        store.setLabels(id, l);
        feed.changed("runs");
        return l;
    }

    public void unsubscribe(String id, Consumer<RunEvent> subscriber) {
        LiveRun run = live.get(id);
        if (run != null) {
            run.unsubscribe(subscriber);
        }
    }

    public void stop(String id) {
        LiveRun run = live.get(id);
        if (run == null) {
            get(id); // 404 if unknown
            throw LabException.conflict("run " + id + " is not training");
        }
        run.control.requestStop();
    }

    public void setLr(String id, double lr) {
        LiveRun run = live.get(id);
        if (run == null || run.status() != RunStatus.RUNNING) {
            throw LabException.conflict("the learning rate can only change while the run trains");
        }
        run.control.setLr(lr);
    }

    public void delete(String id) {
        LiveRun run = live.get(id);
        if (run != null && !run.status().terminal()) {
            throw LabException.conflict("run " + id + " is still " + run.status().label() + "; stop it first");
        }
        writer.flush(); // a run that just ended has emitted everything; its rows must exist before they go
        if (!store.delete(id)) {
            throw LabException.notFound("no run " + id);
        }
        live.remove(id); // its trainer may not have let go yet: a deleted run must not answer from memory
        saved.forget(id);
        params.delete(id);
        feed.changed("runs");
        try {
            Files.deleteIfExists(paramsFile(id));
        } catch (IOException ignored) {
            // an orphaned parameter file is harmless
        }
    }

    /**
     * Scores the test split once, and only for a run that has ended with parameters (finished, stopped, or
     * diverged after a checkpoint); later calls return the stored score, also after a restart.
     */
    public Map<String, Object> test(String id) {
        RunRecord r = get(id);
        if (r.test() != null) {
            return testAnswer(r.test(), true);
        }
        if (!java.util.Set.of(RunStatus.FINISHED, RunStatus.STOPPED, RunStatus.DIVERGED, RunStatus.PRUNED).contains(r.status())) {
            throw LabException.conflict("run " + id + " is " + r.status().label() + ": the test split is scored once,"
                    + " on a run that has ended (finished, stopped, diverged or pruned), so it scores its final parameters");
        }
        synchronized (this) {
            RunRecord again = store.get(id).orElseThrow(() -> LabException.notFound("no run " + id));
            if (again.test() != null) {
                return testAnswer(again.test(), true);
            }
            double loss = saved.testLoss(again);
            boolean first = store.setTest(id, loss);
            RunRecord.TestScore t = store.get(id).orElseThrow().test();
            LiveRun run = live.get(id);
            if (run != null) {
                run.test = t;
            }
            return testAnswer(t, !first);
        }
    }

    private static Map<String, Object> testAnswer(RunRecord.TestScore t, boolean already) {
        return Map.of("loss", t.loss(), "scoredAt", t.scoredAt(), "alreadyScored", already);
    }

    /** What the run's saved parameters answer: samples, probes, explanations, loss by position. */
    public RunInsights insights() {
        return insights;
    }

    private Path paramsFile(String id) {
        return saved.file(id);
    }

    /** Stops training runs (stored as stopped), drops queued ones, writes everything out. */
    @Override
    public void close() {
        closing = true;
        for (LiveRun run : live.values()) {
            run.control.requestStop();
        }
        trainers.shutdown();
        try {
            trainers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        saved.close();
        insights.close();
    }
}
