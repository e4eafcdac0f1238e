package makemore.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import makemore.config.Limits;
import makemore.lab.LabException;
import makemore.lab.LongExport;
import makemore.lab.RunService;
import makemore.lab.SmoothingVsL2;
import makemore.lab.SweepService;
import makemore.store.RunRecord;
import makemore.store.RunStore;
import makemore.sweep.SweepView;
import makemore.config.ConfigException;
import makemore.train.LrFinder;

/**
 * The experiment endpoints (backend/API.md, "Sweeps and experiments"): sweeps, their live socket, the LR finder's
 * curve, smoothing vs L2, and the long-format export. Registered on the lab's Javalin before it starts.
 */
final class SweepRoutes implements AutoCloseable {
    private final SweepService sweeps;
    private final RunService runs;
    private final SmoothingVsL2 smoothing;
    private final Map<WsContext, SweepOutbox> clients = new ConcurrentHashMap<>();

    SweepRoutes(Javalin app, RunStore store, RunService runs) {
        this.runs = runs;
        this.sweeps = new SweepService(store, runs);
        this.smoothing = new SmoothingVsL2(runs);
        app.post("/api/sweeps", ctx -> ctx.status(201).json(sweeps.create(Bodies.text(ctx)))); // counted, 256 KB
        app.get("/api/sweeps", ctx -> ctx.json(sweeps.list()));
        app.get("/api/sweeps/{id}", ctx -> ctx.json(sweeps.get(ctx.pathParam("id"))));
        app.get("/api/sweeps/{id}/rungs", ctx -> ctx.json(sweeps.rungs(ctx.pathParam("id"))));
        app.post("/api/sweeps/{id}/stop", ctx -> ctx.status(202).json(sweeps.stop(ctx.pathParam("id"))));
        app.delete("/api/sweeps/{id}", ctx -> {
            sweeps.delete(ctx.pathParam("id"));
            ctx.status(204);
        });
        app.post("/api/sweeps/{id}/test", ctx -> ctx.json(sweeps.test(ctx.pathParam("id"))));
        app.get("/api/sweeps/{id}/export", ctx -> {
            SweepView v = sweeps.get(ctx.pathParam("id"));
            List<String> ids = v.points().stream().map(SweepView.Point::run).filter(r -> r != null).toList();
            export(ctx, ids, "sweep-" + v.id());
        });
        app.get("/api/export/long", ctx -> export(ctx, Exports.ids(ctx.queryParam("ids"), Limits.EXPORT_RUNS),
                "runs")); // de-duplicated and capped, as /api/export
        app.get("/api/runs/{id}/lr-finder", ctx -> ctx.json(lrFinder(ctx.pathParam("id"))));
        app.get("/api/experiments/smoothing-l2", ctx -> ctx.json(smoothing.compare(ctx.queryParam("dataset"),
                integer(ctx, "context", 1), integer(ctx, "steps", 200), integer(ctx, "points", 11),
                () -> ClientWatch.gone(ctx))));
        app.ws("/ws/sweeps/{id}", ws -> {
            ws.onConnect(ctx -> {
                ctx.session.setIdleTimeout(java.time.Duration.ofHours(1));
                SweepOutbox box = new SweepOutbox(ctx);
                SweepView snapshot;
                try {
                    snapshot = sweeps.watch(ctx.pathParam("id"), box);
                } catch (LabException e) {
                    ctx.closeSession(4404, e.getMessage());
                    return;
                }
                clients.put(ctx, box);
                box.start(Map.of("type", "snapshot", "sweep", snapshot));
            });
            ws.onClose(this::drop);
            ws.onError(this::drop);
        });
    }

    private void drop(WsContext ctx) {
        SweepOutbox box = clients.remove(ctx);
        if (box != null) {
            box.close();
            sweeps.unwatch(ctx.pathParam("id"), box);
        }
    }

    private Map<String, Object> lrFinder(String id) {
        RunRecord r = runs.get(id);
        if (!"finder".equals(r.config().schedule())) {
            throw new ConfigException("schedule", "run " + id + " is not an LR finder run (schedule " + r.config().schedule()
                    + "); start one with schedule \"finder\"");
        }
        List<double[]> points = new ArrayList<>();
        r.progress().forEach(p -> points.add(new double[] {p.lr(), p.trainLoss()}));
        LrFinder.Analysis a = LrFinder.analyse(points);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run", id);
        out.put("status", r.status());
        out.put("lrMin", r.config().lrMin());
        out.put("lrMax", r.config().lrMax());
        out.put("steps", r.config().steps());
        out.put("points", a.points());
        out.put("suggestion", a.suggestion());
        out.put("minLr", a.minLr());
        out.put("minSmoothed", a.minSmoothed());
        out.put("rule", a.rule());
        return out;
    }

    private void export(Context ctx, List<String> ids, String name) {
        List<RunRecord> records = new ArrayList<>();
        Map<String, String> sweepOf = new HashMap<>();
        for (String id : ids) {
            RunRecord r = runs.get(id.strip());
            records.add(r);
            sweepOf.put(r.id(), sweeps.store().sweepOf(r.id()));
        }
        List<Map<String, Object>> rows = LongExport.rows(records, sweepOf);
        String format = ctx.queryParam("format") == null ? "csv" : ctx.queryParam("format");
        if (format.equals("json")) {
            ctx.header("Content-Disposition", "attachment; filename=\"" + name + ".json\"");
            ctx.json(rows);
        } else if (format.equals("csv")) {
            ctx.header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
            ctx.contentType("text/csv; charset=utf-8").result(LongExport.csv(rows).getBytes(StandardCharsets.UTF_8));
        } else {
            throw new ConfigException("format", "format must be csv or json, got '" + format + "'");
        }
    }

    private static int integer(Context ctx, String name, int dflt) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(name, name + " must be an integer, got '" + v + "'");
        }
    }

    @Override
    public void close() {
        smoothing.close();
        sweeps.close();
        clients.values().forEach(SweepOutbox::close);
    }
}
