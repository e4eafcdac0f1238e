package makemore.web;

import static makemore.web.LabServer.safe;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import makemore.config.Limits;
import makemore.lab.RunService;
import makemore.model.RunEstimate;
import makemore.store.RunList;
import makemore.store.RunRecord;
import makemore.config.ConfigException;
import makemore.config.RunConfig;

/**
 * The run endpoints (backend/API.md, "Runs"): create, estimate, list, read, stop, label, delete, test, samples,
 * probe and export. Registered on the lab's Javalin before it starts; the run socket is {@link RunSocket}.
 */
final class RunRoutes {
    private final RunService runs;
    private final BodyPermits bodies;

    RunRoutes(Javalin app, RunService runs, BodyPermits bodies) {
        this.runs = runs;
        this.bodies = bodies;
        app.get("/api/runs", safe(ctx -> { // a page; the count of all that match is a header, the body stays a list
            RunList.Page page = runs.page(RunListParams.read(ctx));
            ctx.header("X-Total-Count", Long.toString(page.total()));
            ctx.json(page.runs());
        }));
        app.post("/api/runs", safe(ctx -> ctx.status(201).json(Map.of("id", runs.create(runConfig(ctx))))));
        app.post("/api/runs/estimate", safe(ctx -> ctx.json(estimate(runs.estimate(runConfig(ctx))))));
        app.get("/api/runs/{id}", safe(ctx -> ctx.json(runs.get(ctx.pathParam("id")))));
        app.post("/api/runs/{id}/stop", safe(ctx -> {
            runs.stop(ctx.pathParam("id"));
            ctx.status(202).json(Map.of("stopping", true));
        }));
        app.patch("/api/runs/{id}", safe(ctx -> ctx.json(label(ctx))));
        app.delete("/api/runs/{id}", safe(ctx -> {
            runs.delete(ctx.pathParam("id"));
            ctx.status(204);
        }));
        app.post("/api/runs/{id}/test", safe(ctx -> ctx.json(runs.test(ctx.pathParam("id")))));
        app.post("/api/runs/{id}/samples", safe(ctx -> {
            JsonNode b = bodies.json(ctx);
            RequestFields.only(b, Set.of("n", "temperature", "seed"));
            ctx.json(Map.of("names", runs.insights().samples(ctx.pathParam("id"), RequestFields.intField(b, "n", 20),
                    RequestFields.doubleField(b, "temperature", 1.0), RequestFields.longField(b, "seed", 1))));
        }));
        app.get("/api/runs/{id}/explain", safe(ctx -> {
            String text = ctx.queryParam("text");
            if (text == null || text.length() > 4 * Limits.MAX_CHARS) {
                throw new ConfigException("text", "text must be given (?text=...) and at most " + Limits.MAX_CHARS
                        + " characters");
            }
            ctx.json(runs.insights().explain(ctx.pathParam("id"), text));
        }));
        app.get("/api/runs/{id}/attention", safe(ctx -> ctx.json(runs.insights().attention(ctx.pathParam("id"),
                textParam(ctx)))));
        app.get("/api/runs/{id}/influence", safe(ctx -> ctx.json(runs.insights().influence(ctx.pathParam("id"),
                textParam(ctx), positionParam(ctx)))));
        app.get("/api/runs/{id}/loss-by-position", safe(ctx -> ctx.json(runs.insights().lossByPosition(ctx.pathParam("id"),
                () -> ClientWatch.gone(ctx)))));
        app.post("/api/runs/{id}/probe", safe(ctx -> {
            JsonNode b = bodies.json(ctx);
            RequestFields.only(b, Set.of("word"));
            ctx.json(runs.insights().probe(ctx.pathParam("id"), RequestFields.stringField(b, "word", Limits.MAX_CHARS)));
        }));
        app.get("/api/runs/{id}/export", safe(ctx -> Exports.one(ctx, runs, ctx.pathParam("id"))));
        app.get("/api/export", safe(ctx -> Exports.write(ctx, runs,
                Exports.ids(ctx.queryParam("ids"), Limits.EXPORT_RUNS), false)));
    }

    /** ?text= of the attention and influence views: given, at most a model's longest block (checked later). */
    private static String textParam(Context ctx) {
        String text = ctx.queryParam("text");
        if (text == null || text.isEmpty()) {
            throw new ConfigException("text", "text must be given and not empty (?text=emma)");
        }
        if (text.length() > 4 * Limits.MAX_CHARS) {
            throw new ConfigException("text", "text must be at most " + Limits.MAX_CHARS + " characters");
        }
        return text;
    }

    /** ?position= : a token index of the text; absent means the last (predicting the end). */
    private static Integer positionParam(Context ctx) {
        String p = ctx.queryParam("position");
        if (p == null || p.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(p.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException("position", "position must be a whole number (a token of the text), got '"
                    + p + "'");
        }
    }

    private RunConfig runConfig(Context ctx) {
        String text = bodies.read(() -> Bodies.text(ctx));
        if (text.isBlank()) {
            throw new ConfigException("config", "the request body is empty; send a run config (a JSON object)");
        }
        JsonNode n = Bodies.parse(text, "config"); // duplicate keys, trailing data, nesting: refused here
        if (!n.isObject()) {
            throw new ConfigException("config", "a run config must be a JSON object, got " + Bodies.kind(n));
        }
        return RunConfig.fromTree(n); // parsed once: the tree becomes the config
    }

    /** A config's estimate as the page shows it before Train, with the limits it was held to. */
    private static Map<String, Object> estimate(RunEstimate e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seconds", e.seconds());
        out.put("text", "about " + RunEstimate.duration(e.seconds()) + " on this machine");
        out.put("breakdown", e.breakdown());
        out.put("steps", e.steps());
        out.put("stepSeconds", e.stepSeconds());
        out.put("evaluations", e.evaluations());
        out.put("evalSeconds", e.evalSeconds());
        out.put("bytes", e.bytes());
        out.put("limitSeconds", Limits.RUN_SECONDS);
        out.put("limitBytes", Limits.RUN_BYTES);
        return out;
    }

    /** PATCH {name?, note?}: strings (blank or null clears); anything else is a 400 naming the field. */
    private Map<String, Object> label(Context ctx) {
        JsonNode b = bodies.json(ctx);
        RequestFields.only(b, Set.of("name", "note"));
        Map<String, Optional<String>> given = new LinkedHashMap<>();
        for (var it = b.fields(); it.hasNext(); ) {
            var f = it.next();
            if (!f.getValue().isTextual() && !f.getValue().isNull()) {
                throw new ConfigException(f.getKey(), f.getKey() + " must be a string or null");
            }
            given.put(f.getKey(), Optional.of(f.getValue().isNull() ? "" : f.getValue().asText()));
        }
        String id = ctx.pathParam("id");
        RunRecord.Labels l = runs.label(id, given.getOrDefault("name", Optional.empty()),
                given.getOrDefault("note", Optional.empty()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("name", l.name());
        out.put("note", l.note());
        return out;
    }
}
