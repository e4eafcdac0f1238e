package makemore.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import makemore.event.RunEvent;

import static makemore.store.RunStore.JSON;

/**
 * Turns a batch of one run's events into rows, batched per statement; the caller ({@link RunStore#append}) holds
 * the lock and commits, so the whole batch lands or none of it.
 */
final class RunEventWriter {
    private RunEventWriter() {
    }

    static void write(Connection db, String id, List<RunEvent> events) throws SQLException, JsonProcessingException {
        try (PreparedStatement metric = db.prepareStatement("INSERT INTO metrics (run_id, step, kind, value, lr) VALUES (?, ?, ?, ?, ?)");
                PreparedStatement snap = db.prepareStatement("INSERT INTO snapshots (run_id, kind, step, body) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (run_id, kind) DO UPDATE SET step = excluded.step, body = excluded.body");
                PreparedStatement lr = db.prepareStatement("INSERT INTO lr_changes (run_id, step, lr) VALUES (?, ?, ?)");
                PreparedStatement health = db.prepareStatement("INSERT INTO health (run_id, step, body) VALUES (?, ?, ?)");
                PreparedStatement names = db.prepareStatement("INSERT INTO dev_names (run_id, step, body) VALUES (?, ?, ?)");
                PreparedStatement status = db.prepareStatement("UPDATE runs SET status = ?, message = ?, step = ? WHERE id = ?");
                PreparedStatement progress = db.prepareStatement("UPDATE runs SET step = ?, steps_per_sec = ? WHERE id = ?");
                PreparedStatement dev = db.prepareStatement("UPDATE runs SET best_dev = ? WHERE id = ? AND (best_dev IS NULL OR best_dev > ?)")) {
            RunEvent.Progress lastProgress = null;
            for (RunEvent e : events) {
                if (e instanceof RunEvent.Progress p) {
                    addMetric(metric, id, p.step(), "progress", p.trainLoss(), p.lr());
                    if (Double.isFinite(p.penalty())) {
                        addMetric(metric, id, p.step(), "penalty", p.penalty(), null);
                    }
                    lastProgress = p;
                } else if (e instanceof RunEvent.Eval ev) {
                    addMetric(metric, id, ev.step(), ev.split(), ev.loss(), null);
                    if (ev.split().equals("dev") && Double.isFinite(ev.loss())) {
                        dev.setDouble(1, ev.loss());
                        dev.setString(2, id);
                        dev.setDouble(3, ev.loss());
                        dev.addBatch();
                    }
                } else if (e instanceof RunEvent.Samples || e instanceof RunEvent.Embedding) {
                    snapshot(snap, id, e);
                } else if (e instanceof RunEvent.Health h) {
                    // the series row without histograms; the latest in full as a snapshot
                    health.setString(1, id);
                    health.setLong(2, h.step());
                    health.setString(3, JSON.writeValueAsString(h.withoutHistograms()));
                    health.addBatch();
                    snapshot(snap, id, h);
                } else if (e instanceof RunEvent.DevNames d) {
                    names.setString(1, id);
                    names.setLong(2, d.step());
                    names.setString(3, JSON.writeValueAsString(d));
                    names.addBatch();
                } else if (e instanceof RunEvent.LrChange c) {
                    lr.setString(1, id);
                    lr.setLong(2, c.step());
                    lr.setDouble(3, c.lr());
                    lr.addBatch();
                } else if (e instanceof RunEvent.Status s) {
                    status.setString(1, s.status().label());
                    status.setString(2, s.message());
                    status.setLong(3, s.step());
                    status.setString(4, id);
                    status.addBatch();
                }
            }
            if (lastProgress != null) {
                progress.setLong(1, lastProgress.step());
                progress.setDouble(2, lastProgress.stepsPerSec());
                progress.setString(3, id);
                progress.addBatch();
            }
            for (PreparedStatement p : List.of(metric, snap, lr, health, names, progress, dev, status)) {
                p.executeBatch();
            }
        }
    }

    /** The latest event of its type, kept whole as JSON (samples, embedding, health with histograms). */
    private static void snapshot(PreparedStatement snap, String id, RunEvent e)
            throws SQLException, JsonProcessingException {
        snap.setString(1, id);
        snap.setString(2, e.type());
        snap.setLong(3, e.step());
        snap.setString(4, JSON.writeValueAsString(e));
        snap.addBatch();
    }

    private static void addMetric(PreparedStatement p, String id, long step, String kind, double v, Double lr)
            throws SQLException {
        p.setString(1, id);
        p.setLong(2, step);
        p.setString(3, kind);
        // NaN/inf have no portable SQL value: stored as NULL and read back as NaN, or +inf for an eval
        if (Double.isFinite(v)) {
            p.setDouble(4, v);
        } else {
            p.setNull(4, Types.DOUBLE);
        }
        if (lr == null) {
            p.setNull(5, Types.DOUBLE);
        } else {
            p.setDouble(5, lr);
        }
        p.addBatch();
    }
}
