package makemore.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import makemore.data.Dataset;
import makemore.data.DatasetException;
import makemore.lab.DatasetLibrary;
import makemore.lab.LabException;
import makemore.lab.NgramExplorer;
import makemore.lab.RunService;
import makemore.store.RunRecord;
import makemore.store.RunStore;
import makemore.train.ConfigException;
import makemore.train.RunConfig;
import org.eclipse.jetty.websocket.api.CloseStatus;

/** The lab over HTTP: REST under /api, one WebSocket per run at /ws/runs/{id}, and the page at /. */
public final class LabServer implements AutoCloseable {
    private final Javalin app;
    private final RunStore store;
    private final RunService runs;
    private final SweepRoutes sweeps;
    private final Map<WsContext, ClientOutbox> clients = new ConcurrentHashMap<>();

    private LabServer(LabOptions o) throws IOException {
        Files.createDirectories(o.dataDir());
        if (!o.db().startsWith("jdbc:") && java.nio.file.Path.of(o.db()).getParent() != null) {
            Files.createDirectories(java.nio.file.Path.of(o.db()).getParent());
        }
        store = new RunStore(o.db());
        DatasetLibrary datasets = new DatasetLibrary(o.dataDir());
        runs = new RunService(store, datasets, o.dataDir(), RunService.defaultConcurrency());
        NgramExplorer ngrams = new NgramExplorer(datasets);
        app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.jsonMapper(new JavalinJackson(RunStore.JSON, false));
            c.http.maxRequestSize = Dataset.MAX_BYTES + 1024 * 1024;
            c.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                if (o.frontendDir() != null) {
                    sf.directory = o.frontendDir().toAbsolutePath().toString();
                    sf.location = Location.EXTERNAL;
                } else {
                    sf.directory = "/makemore/frontend";
                    sf.location = Location.CLASSPATH;
                }
            });
        });
        app.exception(ConfigException.class, (e, ctx) -> error(ctx, 400, e.getMessage(), e.field()));
        app.exception(DatasetException.class, (e, ctx) -> error(ctx,
                e.kind() == DatasetException.Kind.TOO_LARGE ? 413 : e.kind() == DatasetException.Kind.NOT_FOUND ? 404 : 400,
                e.getMessage(), "dataset"));
        app.exception(LabException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage(), null));
        app.exception(io.javalin.http.ContentTooLargeResponse.class, (e, ctx) -> error(ctx, 413,
                "upload is larger than " + Dataset.MAX_BYTES / (1024 * 1024) + " MB", "file"));
        app.exception(Exception.class, (e, ctx) -> {
            e.printStackTrace();
            error(ctx, 500, "internal error: " + e, null);
        });

        app.get("/api/models", ctx -> ctx.json(makemore.model.Models.all()));
        app.get("/api/runs", ctx -> ctx.json(runs.list()));
        app.post("/api/runs", ctx -> ctx.status(201).json(Map.of("id", runs.create(RunConfig.fromJson(ctx.body())))));
        app.get("/api/runs/{id}", ctx -> ctx.json(runs.get(ctx.pathParam("id"))));
        app.post("/api/runs/{id}/stop", ctx -> {
            runs.stop(ctx.pathParam("id"));
            ctx.status(202).json(Map.of("stopping", true));
        });
        app.patch("/api/runs/{id}", ctx -> ctx.json(label(ctx)));
        app.delete("/api/runs/{id}", ctx -> {
            runs.delete(ctx.pathParam("id"));
            ctx.status(204);
        });
        app.post("/api/runs/{id}/test", ctx -> ctx.json(runs.test(ctx.pathParam("id"))));
        app.post("/api/runs/{id}/samples", ctx -> {
            JsonNode b = body(ctx);
            ctx.json(Map.of("names", runs.samples(ctx.pathParam("id"), b.path("n").asInt(20),
                    b.path("temperature").asDouble(1.0), b.path("seed").asLong(1))));
        });
        app.post("/api/runs/{id}/probe", ctx -> ctx.json(runs.probe(ctx.pathParam("id"), body(ctx).path("word").asText(""))));
        app.get("/api/runs/{id}/export", ctx -> export(ctx, List.of(ctx.pathParam("id"))));
        app.get("/api/export", ctx -> export(ctx, List.of(ctx.queryParamAsClass("ids", String.class)
                .check(s -> !s.isBlank(), "ids is required").get().split(","))));
        app.get("/api/datasets", ctx -> ctx.json(datasets.list()));
        app.post("/api/datasets", ctx -> {
            var file = ctx.isMultipartFormData() ? ctx.uploadedFile("file") : null;
            byte[] bytes = file != null ? file.content().readAllBytes() : ctx.bodyAsBytes();
            String name = file != null ? file.filename() : ctx.queryParam("name");
            ctx.status(201).json(datasets.upload(name, bytes));
        });
        app.get("/api/ngram", ctx -> ctx.json(ngrams.score(ctx.queryParam("dataset"),
                number(ctx, "context", 1).intValue(), number(ctx, "smoothing", 1.0).doubleValue())));

        app.wsBeforeUpgrade("/ws/*", ctx -> {
            String origin = ctx.header("Origin");
            if (origin != null && !sameOrigin(origin, ctx.header("Host"))) {
                throw new io.javalin.http.ForbiddenResponse("cross-origin WebSocket connections are not allowed");
            }
        });
        app.ws("/ws/runs/{id}", this::socket);
        sweeps = new SweepRoutes(app, store, runs); // sweeps, LR finder, smoothing vs L2, long export
        app.start(o.host(), o.port());
    }

    public static LabServer start(LabOptions options) {
        try {
            return new LabServer(options);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the lab: " + e.getMessage(), e);
        }
    }

    public int port() {
        return app.port();
    }

    RunService runs() {
        return runs;
    }

    public static void main(String[] args) {
        LabOptions o;
        try {
            o = LabOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        LabServer s = start(o);
        Runtime.getRuntime().addShutdownHook(new Thread(s::close, "shutdown"));
        System.out.println("Makemore Lab: http://" + o.host() + ":" + s.port() + "/  (runs in " + o.db() + ")");
    }

    private void socket(WsConfig ws) {
        ws.onConnect(ctx -> {
            String id = ctx.pathParam("id");
            ctx.session.setIdleTimeout(java.time.Duration.ofHours(1));
            ClientOutbox box = new ClientOutbox(ctx);
            RunRecord snapshot;
            try {
                snapshot = runs.subscribe(id, box);
            } catch (LabException e) {
                ctx.closeSession(4404, e.getMessage());
                return;
            }
            clients.put(ctx, box);
            box.start(snapshot);
        });
        ws.onMessage(ctx -> {
            ClientOutbox box = clients.get(ctx);
            if (box == null) {
                return;
            }
            try {
                JsonNode m = RunStore.JSON.readTree(ctx.message());
                if (!"set".equals(m.path("type").asText()) || !m.path("lr").isNumber()) {
                    box.send(Map.of("type", "error", "error", "expected {\"type\":\"set\",\"lr\":<number>}"));
                    return;
                }
                runs.setLr(ctx.pathParam("id"), m.get("lr").asDouble());
            } catch (IOException e) {
                box.send(Map.of("type", "error", "error", "message is not JSON"));
            } catch (ConfigException | LabException e) {
                box.send(Map.of("type", "error", "error", e.getMessage()));
            }
        });
        ws.onClose(ctx -> drop(ctx));
        ws.onError(ctx -> drop(ctx));
    }

    private void drop(WsContext ctx) {
        ClientOutbox box = clients.remove(ctx);
        if (box != null) {
            box.close();
            runs.unsubscribe(ctx.pathParam("id"), box);
        }
    }

    private static boolean sameOrigin(String origin, String host) {
        try {
            URI u = URI.create(origin);
            String o = u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
            return host != null && o.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void export(Context ctx, List<String> ids) {
        List<RunRecord> records = new ArrayList<>();
        for (String id : ids) {
            records.add(runs.get(id.strip()));
        }
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        String name = ids.size() == 1 ? "run-" + ids.get(0) : "runs";
        if (format.equals("json")) {
            ctx.header("Content-Disposition", "attachment; filename=\"" + name + ".json\"");
            ctx.json(ids.size() == 1 ? records.get(0) : records);
        } else if (format.equals("csv")) {
            StringBuilder sb = new StringBuilder("run,step,series,value,lr,name\n");
            for (RunRecord r : records) {
                String label = csv(r.name());
                for (RunRecord.Point p : r.progress()) {
                    sb.append(r.id()).append(',').append(p.step()).append(",train_batch,").append(p.trainLoss())
                            .append(',').append(p.lr()).append(',').append(label).append('\n');
                    if (p.penalty() != null) {
                        sb.append(r.id()).append(',').append(p.step()).append(",l2_penalty,").append(p.penalty())
                                .append(",,").append(label).append('\n');
                    }
                }
                for (var e : r.evals()) {
                    sb.append(r.id()).append(',').append(e.step()).append(',').append(e.split()).append(',')
                            .append(e.loss()).append(",,").append(label).append('\n');
                }
            }
            ctx.header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
            ctx.contentType("text/csv; charset=utf-8").result(sb.toString().getBytes(StandardCharsets.UTF_8));
        } else {
            throw new ConfigException("format", "format must be csv or json, got '" + format + "'");
        }
    }

    /** PATCH {name?, note?}: strings (blank or null clears); anything else is a 400 naming the field. */
    private Map<String, Object> label(Context ctx) {
        JsonNode b = body(ctx);
        if (!b.isObject()) {
            throw new ConfigException("body", "expected a JSON object {\"name\", \"note\"}");
        }
        Map<String, java.util.Optional<String>> given = new LinkedHashMap<>();
        for (var it = b.fields(); it.hasNext(); ) {
            var f = it.next();
            if (!f.getKey().equals("name") && !f.getKey().equals("note")) {
                throw new ConfigException(f.getKey(), "unknown field '" + f.getKey() + "'; a run takes name and note");
            }
            if (!f.getValue().isTextual() && !f.getValue().isNull()) {
                throw new ConfigException(f.getKey(), f.getKey() + " must be a string or null");
            }
            given.put(f.getKey(), java.util.Optional.of(f.getValue().isNull() ? "" : f.getValue().asText()));
        }
        String id = ctx.pathParam("id");
        RunRecord.Labels l = runs.label(id, given.getOrDefault("name", java.util.Optional.empty()),
                given.getOrDefault("note", java.util.Optional.empty()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("name", l.name());
        out.put("note", l.note());
        return out;
    }

    /** A CSV field: quoted when it holds a comma, quote or line break; empty for null. */
    private static String csv(String v) {
        if (v == null) {
            return "";
        }
        return v.matches("(?s).*[,\"\r\n].*") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static JsonNode body(Context ctx) {
        try {
            String b = ctx.body();
            return b.isBlank() ? RunStore.JSON.createObjectNode() : RunStore.JSON.readTree(b);
        } catch (IOException e) {
            throw new ConfigException("body", "request body is not valid JSON");
        }
    }

    private static Number number(Context ctx, String name, Number dflt) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(name, name + " must be a number, got '" + v + "'");
        }
    }

    private static void error(Context ctx, int status, String message, String field) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        if (field != null) {
            m.put("field", field);
        }
        ctx.status(status).json(m);
    }

    /** Stops training runs (stored as stopped), says goodbye to viewers (1001), closes the database. */
    @Override
    public void close() {
        sweeps.close();
        runs.close();
        for (WsContext ctx : clients.keySet()) {
            try {
                ctx.closeSession(new CloseStatus(1001, "the lab is shutting down"));
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
        app.stop();
        store.close();
    }
}
