package makemore.lab;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import makemore.data.Corpus;
import makemore.model.Models;
import makemore.store.RunStore;
import makemore.store.RungStore;
import makemore.store.SweepStore;
import makemore.sweep.AshaView;
import makemore.sweep.SweepDefinition;
import makemore.sweep.SweepView;
import makemore.sweep.Together;
import makemore.config.ConfigException;
import makemore.event.RunEvent;
import makemore.event.RunStatus;

/**
 * Sweeps in the lab: a definition becomes ordinary runs queued on the same trainers as any run; their events are
 * tapped to keep each point's latest state (for views and watchers); {@link SweepJudge} prunes them. Points that other processes
 * train on the same database (cluster jobs) are seen through the store: watchers are polled for those.
 */
public final class SweepService implements AutoCloseable {
    private final RunService runs;
    private final SweepStore store;
    private final RungStore rungs;
    /** Latest state of points trained in this process, by run id (the store lags by a write batch). */
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<Object>>> watchers = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, SweepView.Point>> lastSent = new ConcurrentHashMap<>();
    private final Map<String, String> lastSummary = new ConcurrentHashMap<>();
    private final Map<String, SweepDefinition> definitions = new ConcurrentHashMap<>();
    private final Map<String, List<SweepDefinition.Point>> expanded = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean closing;

    private static final class Tracked {
        final String sweep;
        final int index;
        final int group;
        final Map<String, Object> params;
        volatile SweepStore.PointRun state;

        Tracked(String sweep, SweepDefinition.Point p, String run) {
            this.sweep = sweep;
            this.index = p.index();
            this.group = p.group();
            this.params = p.params();
            this.state = new SweepStore.PointRun(p.index(), run, RunStatus.QUEUED, RunStatus.WAITING, 0,
                    null, null, null, null);
        }
    }

    public SweepService(RunStore runStore, RunService runs) {
        this.runs = runs;
        this.store = new SweepStore(runStore);
        this.rungs = new RungStore(runStore);
        this.poller = new Thread(this::pollLoop, "sweep-watch");
        poller.setDaemon(true);
        poller.start();
    }

    public SweepStore store() {
        return store;
    }

    /** Validates every point (nothing is stored when one fails), stores the sweep and its runs, queues them. */
    public Map<String, Object> create(String body) {
        Together.Asked asked = Together.take(body);
        SweepDefinition def = SweepDefinition.parse(asked.sweep());
        List<SweepDefinition.Point> points = def.expand();
        Corpus corpus = runs.corpus(def.base().dataset());
        for (SweepDefinition.Point p : points) {
            try {
                Models.checkFits(p.config(), corpus);
            } catch (ConfigException e) {
                throw new ConfigException(e.field(), "point " + p.index() + " " + p.params() + ": " + e.getMessage());
            }
        }
        String id = "s" + RunIds.next();
        String created = Instant.now().toString();
        List<SweepStore.NewRun> newRuns = new ArrayList<>();
        for (SweepDefinition.Point p : points) {
            newRuns.add(new SweepStore.NewRun(p.index(), RunIds.next(), p.config()));
        }
        runs.queue().reserve(points.size()); // the same bound as single runs: a sweep cannot queue past it
        try {
            store.create(id, created, def.hash(), def.toJson(), def.base().toJson(), points.size(), newRuns);
        } catch (RuntimeException e) {
            runs.queue().release(points.size());
            throw e;
        }
        definitions.put(id, def);
        Map<Integer, String> runOf = new HashMap<>();
        newRuns.forEach(r -> runOf.put(r.point(), r.id()));
        for (List<SweepDefinition.Point> group : Together.groups(points, asked.k(), asked.least(), corpus)) {
            List<String> ids = new ArrayList<>();
            List<Consumer<RunEvent>> taps = new ArrayList<>();
            List<TrainingRun.DevJudge> judges = new ArrayList<>();
            for (SweepDefinition.Point p : group) {
                String run = runOf.get(p.index());
                Tracked t = new Tracked(id, p, run);
                tracked.put(run, t);
                ids.add(run);
                taps.add(e -> {
                    try {
                        onEvent(t, e);
                    } catch (RuntimeException ex) { // a view problem must never fail the run itself
                        System.err.println("sweep " + id + " point " + t.index + ": " + ex);
                    }
                });
                judges.add(SweepJudge.of(store, rungs, id, def, p.index()));
            }
            runs.enqueueTogether(ids, created, group.stream().map(SweepDefinition.Point::config).toList(), corpus,
                    taps, judges);
        }
        runs.feed().changed("sweeps");
        runs.feed().changed("runs");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("points", points.size());
        return out;
    }

    /** On the trainer thread: keep the point's state and tell watchers at once. Never blocks. */
    private void onEvent(Tracked t, RunEvent e) {
        SweepStore.PointRun s = t.state;
        if (e instanceof RunEvent.Eval ev) {
            boolean dev = ev.split().equals("dev");
            Double best = s.bestDev();
            if (dev && Double.isFinite(ev.loss()) && (best == null || ev.loss() < best)) {
                best = ev.loss();
            }
            t.state = new SweepStore.PointRun(t.index, s.run(), s.status(), s.message(), Math.max(s.step(), ev.step()),
                    best, dev ? s.train() : Double.valueOf(ev.loss()), dev ? Double.valueOf(ev.loss()) : s.dev(), null);
        } else if (e instanceof RunEvent.Status st) {
            t.state = new SweepStore.PointRun(t.index, s.run(), st.status(), st.message(), Math.max(s.step(), st.step()),
                    s.bestDev(), s.train(), s.dev(), null);
        } else {
            return;
        }
        // evaluations and status changes only: progress would flood a sweep view with no use
        List<Consumer<Object>> ws = watchers.get(t.sweep);
        if (ws != null && !ws.isEmpty()) {
            SweepStore.PointRun n = t.state;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "point");
            m.put("point", new SweepView.Point(t.index, t.group, t.params, n.run(), n.status().label(), n.step(),
                    n.train(), n.dev(), n.bestDev(), n.message()));
            ws.forEach(w -> w.accept(m));
        }
    }

    public List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Double> best = runs.sweepBestDevs(); // the run list's sweep rows show it without opening each sweep
        for (Map.Entry<SweepStore.Sweep, Map<String, Integer>> e : store.list()) {
            SweepStore.Sweep s = e.getKey();
            Map<String, Integer> counts = new HashMap<>(e.getValue());
            int started = counts.values().stream().mapToInt(Integer::intValue).sum();
            if (started < s.points()) {
                counts.put("pending", s.points() - started);
            }
            boolean done = started == s.points() && counts.keySet().stream()
                    .allMatch(k -> !k.equals("pending") && RunStatus.parse(k).terminal());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("created", s.created());
            m.put("status", s.status().equals("stopped") ? "stopped" : done ? "finished" : "running");
            m.put("points", s.points());
            m.put("counts", counts);
            SweepDefinition d = definition(s);
            m.put("model", d.base().model());
            m.put("dataset", d.base().dataset());
            m.put("fields", d.params().stream().map(SweepDefinition.Param::field).toList());
            m.put("seeds", d.seeds());
            m.put("test", s.testLoss());
            m.put("bestDev", best.get(s.id()));
            out.add(m);
        }
        return out;
    }

    public SweepView get(String id) {
        SweepStore.Sweep s = store.get(id).orElseThrow(() -> LabException.notFound("no sweep " + id));
        SweepDefinition def = definition(s);
        List<SweepDefinition.Point> points = expanded.computeIfAbsent(id, k -> def.expand()); // validated once
        SweepView v = SweepView.of(s, def, points, store.points(id), p -> {
            Tracked t = tracked.get(p.run());
            return t == null ? null : t.state;
        });
        if (v.status().equals("finished") && s.status().equals("running")) {
            store.setStatus(id, "finished");
        }
        return v;
    }

    /** An ASHA sweep's rungs; 404 for a sweep that searches otherwise. */
    public AshaView rungs(String id) {
        SweepView v = get(id);
        SweepDefinition def = definition(store.get(id).orElseThrow(() -> LabException.notFound("no sweep " + id)));
        if (!def.search().asha()) {
            throw LabException.notFound("sweep " + id + " searches by " + def.search().kind() + ": only ASHA sweeps have"
                    + " rungs");
        }
        return AshaView.of(def, rungs.rows(id), v.points());
    }

    private SweepDefinition definition(SweepStore.Sweep s) {
        return definitions.computeIfAbsent(s.id(), k -> SweepDefinition.fromStored(s.definition()));
    }

    /** Queued points are cancelled, running ones stopped (both end as stopped), finished ones untouched. */
    public Map<String, Object> stop(String id) {
        SweepView v = get(id);
        store.setStatus(id, "stopped"); // processes training points elsewhere see this at their next evaluation
        runs.feed().changed("sweeps");
        int n = 0;
        for (SweepView.Point p : v.points()) {
            if (p.run() != null && !RunStatus.parse(p.status()).terminal() && runs.requestStop(p.run(), RunStatus.STOPPED,
                    null)) {
                n++;
            }
        }
        return Map.of("stopping", n);
    }

    /** Deletes the sweep and all its runs; 409 while any of them is queued or training here. */
    public void delete(String id) {
        SweepView v = get(id);
        for (SweepView.Point p : v.points()) {
            Tracked t = p.run() == null ? null : tracked.get(p.run());
            if (t != null && !t.state.status().terminal()) {
                throw LabException.conflict("sweep " + id + " still has point " + p.index() + " "
                        + t.state.status().label() + "; stop the sweep first");
            }
        }
        for (SweepView.Point p : v.points()) {
            if (p.run() != null) {
                try {
                    runs.delete(p.run());
                } catch (LabException e) {
                    if (e.status() != 404) {
                        throw e;
                    }
                }
                tracked.remove(p.run());
            }
        }
        store.delete(id);
        rungs.delete(id);
        definitions.remove(id);
        expanded.remove(id);
        runs.feed().changed("sweeps");
    }

    /** Scores the best point's test split once; the sweep keeps its first score even if the best point changes. */
    public Map<String, Object> test(String id) {
        SweepView v = get(id);
        if (v.test() == null) {
            if (v.status().equals("running")) {
                throw LabException.conflict("sweep " + id + " is still running: the test split is scored once, on the"
                        + " best point of a finished or stopped sweep");
            }
            if (v.best() == null) {
                throw LabException.conflict("sweep " + id + " has no finished point to score");
            }
            Map<String, Object> r = runs.test(v.best().run());
            store.setTest(id, v.best().run(), ((Number) r.get("loss")).doubleValue());
        }
        SweepView now = get(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run", now.test().run());
        out.put("loss", now.test().loss());
        out.put("scoredAt", now.test().scoredAt());
        out.put("alreadyScored", v.test() != null);
        now.points().stream().filter(p -> Objects.equals(p.run(), now.test().run())).findFirst()
                .ifPresent(p -> out.put("params", p.params()));
        return out;
    }

    /** The sweep now, and from then on its point and summary updates to {@code watcher} (which must not block). */
    public SweepView watch(String id, Consumer<Object> watcher) {
        SweepView v = get(id);
        watchers.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(watcher);
        return v;
    }

    public void unwatch(String id, Consumer<Object> watcher) {
        List<Consumer<Object>> ws = watchers.get(id);
        if (ws != null) {
            ws.remove(watcher);
        }
    }

    /**
     * Twice a second, for watched sweeps: points whose state changed (including those trained by other
     * processes on this database) and the summary (status, counts, best, groups) when it changed.
     */
    private void pollLoop() {
        while (!closing) {
            try {
                Thread.sleep(500);
                for (Map.Entry<String, List<Consumer<Object>>> e : watchers.entrySet()) {
                    if (!e.getValue().isEmpty()) {
                        poll(e.getKey(), e.getValue());
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!closing) {
                    System.err.println("sweep watch: " + e.getMessage()); // try again next time
                }
            }
        }
    }

    private void poll(String id, List<Consumer<Object>> ws) {
        SweepView v;
        try {
            v = get(id);
        } catch (LabException e) {
            ws.forEach(w -> w.accept(Map.of("type", "deleted", "id", id)));
            watchers.remove(id);
            return;
        }
        Map<Integer, SweepView.Point> sent = lastSent.computeIfAbsent(id, k -> new ConcurrentHashMap<>());
        for (SweepView.Point p : v.points()) {
            if (!p.equals(sent.get(p.index()))) {
                sent.put(p.index(), p);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "point");
                m.put("point", p);
                ws.forEach(w -> w.accept(m));
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("type", "summary");
        summary.put("status", v.status());
        summary.put("counts", v.counts());
        summary.put("best", v.best());
        summary.put("groups", v.groups());
        summary.put("test", v.test());
        String json;
        try {
            json = RunStore.JSON.writeValueAsString(summary);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return;
        }
        if (!json.equals(lastSummary.put(id, json))) {
            ws.forEach(w -> w.accept(summary));
        }
    }

    @Override
    public void close() {
        closing = true;
        poller.interrupt();
        try {
            poller.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
