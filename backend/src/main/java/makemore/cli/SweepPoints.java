package makemore.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import makemore.data.Corpus;
import makemore.event.RunEvent;
import makemore.event.RunStatus;
import makemore.lab.Checkpoints;
import makemore.lab.SweepJudge;
import makemore.lab.TogetherRuns;
import makemore.lab.TrainingRun;
import makemore.model.LanguageModel;
import makemore.store.ParamStore;
import makemore.store.RungStore;
import makemore.store.StoreWriter;
import makemore.store.SweepStore;
import makemore.sweep.SweepDefinition;
import makemore.train.TrainResult;

/**
 * Trains {@code ./lab sweep}'s points a group at a time ({@link makemore.sweep.Together}): each point is claimed as a
 * run of the sweep (or reported finished, cancelled, or held by another process), a heartbeat keeps the claimed
 * points' leases alive, and they train as ordinary runs, a group's members each on its own thread through the one
 * run path ({@link TrainingRun}), their steps batched by the model group.
 */
final class SweepPoints {
    /** How long a point's lease lasts without a heartbeat (renewed every third of it). */
    static final long LEASE_MS = 30_000;

    private final SweepStore sweeps;
    private final RungStore rungs;
    private final ParamStore kept;
    private final StoreWriter writer;
    private final String id;
    private final SweepDefinition sweep;
    private final Corpus corpus;
    private final Path paramsDir;
    private final PrintStream err;
    private final int total;
    private int done;

    private record Claimed(SweepDefinition.Point point, String run, String owner) {}

    SweepPoints(SweepStore sweeps, RungStore rungs, ParamStore kept, StoreWriter writer, String id,
            SweepDefinition sweep, Corpus corpus, Path paramsDir, PrintStream err, int total) {
        this.sweeps = sweeps;
        this.rungs = rungs;
        this.kept = kept;
        this.writer = writer;
        this.id = id;
        this.sweep = sweep;
        this.corpus = corpus;
        this.paramsDir = paramsDir;
        this.err = err;
        this.total = total;
    }

    /** Trains one group; returns how many of its points failed or diverged. */
    int run(List<SweepDefinition.Point> group) {
        List<Claimed> mine = new ArrayList<>();
        for (SweepDefinition.Point p : group) {
            Claimed c = claim(p);
            if (c != null) {
                mine.add(c);
            }
        }
        if (mine.isEmpty()) {
            return 0;
        }
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(t -> {
            Thread th = new Thread(t, "lease-" + id);
            th.setDaemon(true);
            return th;
        });
        beat.scheduleAtFixedRate(() -> {
            for (Claimed c : mine) {
                try {
                    sweeps.heartbeat(id, c.point().index(), c.owner(), LEASE_MS);
                } catch (RuntimeException e) { // a missed beat is retried; a scheduled task must never throw
                    System.err.println("point " + c.point().index() + ": lease not renewed (" + e.getMessage() + ")");
                }
            }
        }, LEASE_MS / 3, LEASE_MS / 3, TimeUnit.MILLISECONDS);
        TrainResult[] results = new TrainResult[mine.size()];
        if (err != null && mine.size() > 1) {
            err.println("points " + mine.stream().map(c -> String.valueOf(c.point().index()))
                    .collect(java.util.stream.Collectors.joining(",")) + " train together as one batched model");
        }
        try {
            TogetherRuns.train(mine.stream().map(c -> c.point().config()).toList(), corpus,
                    (i, member) -> results[i] = train(mine.get(i), member));
            writer.flush(); // the next group's pruner, and other processes, see these ended
        } finally {
            beat.shutdownNow();
        }
        int failed = 0;
        for (int i = 0; i < mine.size(); i++) {
            TrainResult r = results[i];
            bar(String.format(Locale.ROOT, "%s: %s, train %.4f dev %.4f", label(mine.get(i).point()),
                    r.status().label(), r.train(), r.dev()));
            failed += r.status() == RunStatus.FAILED || r.status() == RunStatus.DIVERGED ? 1 : 0;
        }
        return failed;
    }

    /** The point's run to train here, or null (reported) when it is done, cancelled or trained elsewhere. */
    private Claimed claim(SweepDefinition.Point p) {
        String owner = ProcessHandle.current().pid() + "@" + SweepCommand.host() + "/" + SweepCommand.randomId();
        SweepStore.Claim claim = sweeps.claim(id, p.index(), "c" + SweepCommand.randomId(), p.config(), owner,
                LEASE_MS);
        if (claim.heldBy() != null) {
            bar(label(p) + ": not trained here, process " + claim.heldBy() + " trains it (its lease runs to "
                    + java.time.Instant.ofEpochMilli(claim.heldUntil()) + " and is renewed while it lives)");
            return null;
        }
        if (claim.alreadyFinished()) {
            bar(label(p) + ": already done as run " + claim.run());
            return null;
        }
        if (claim.replaced() != null) {
            try { // its rows are gone; a checkpoint it left on this folder would never be read again
                Files.deleteIfExists(Checkpoints.file(paramsDir, claim.replaced()));
            } catch (IOException ignored) {
                // an orphaned parameter file is harmless
            }
            if (err != null) {
                err.println("point " + p.index() + ": replacing run " + claim.replaced() + " a stopped process left"
                        + " unfinished");
            }
        }
        if ("stopped".equals(sweeps.get(id).map(SweepStore.Sweep::status).orElse(""))) {
            writer.offer(claim.run(), new RunEvent.Status(0, RunStatus.STOPPED, "cancelled: sweep " + id
                    + " was stopped"));
            bar(label(p) + ": cancelled (the sweep was stopped)");
            return null;
        }
        return new Claimed(p, claim.run(), owner);
    }

    /** Best-dev parameters: the file while it trains, the run database once it ends (labs anywhere use them). */
    private TrainResult train(Claimed c, LanguageModel member) {
        String run = c.run();
        return TrainingRun.of(c.point().config(), corpus).model(member)
                .keepBestDev(Checkpoints.file(paramsDir, run)).publishTo(kept, run)
                .judge(SweepJudge.of(sweeps, rungs, id, sweep, c.point().index()))
                .listener(e -> writer.offer(run, e)).run();
    }

    private static String label(SweepDefinition.Point p) {
        return "point " + p.index() + " " + p.params();
    }

    private synchronized void bar(String text) {
        done++;
        if (err == null) {
            return;
        }
        int width = 20;
        int filled = width * done / Math.max(1, total);
        err.println("[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total + "  " + text);
        err.flush();
    }
}
