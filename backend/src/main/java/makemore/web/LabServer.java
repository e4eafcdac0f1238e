package makemore.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import makemore.config.Limits;
import makemore.data.DatasetException;
import makemore.lab.DatasetLibrary;
import makemore.lab.LabException;
import makemore.lab.NgramExplorer;
import makemore.lab.RunService;
import makemore.store.RunStore;
import makemore.store.StoreException;
import makemore.config.ConfigException;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The lab over HTTP: REST under /api, one WebSocket per run at /ws/runs/{id}, and the page at /. Who may call it
 * is {@link RequestGuard}'s business; bodies are read through {@link Bodies}, within limits; every error, Jetty's
 * own included, is {@code {"error", "field"?}}. This class owns the server, its limits and the error shape; the
 * endpoints live in route classes ({@link RunRoutes}, {@link RunSocket}, {@link DatasetRoutes}, {@link SweepRoutes}).
 */
public final class LabServer implements AutoCloseable {
    /** A connection silent this long is closed (headers or body that stop arriving). */
    static final long IDLE_TIMEOUT_MS = 15_000;
    /** Request threads; bodies being read may hold at most {@link #BODY_READERS} of them. */
    static final int MAX_THREADS = 200;
    static final int BODY_READERS = 48;
    /** WebSocket viewers hold no thread; one silent this long (no event, no message) is closed. */
    static final Duration WS_IDLE = Duration.ofMinutes(10);

    /** Scripts, styles, fonts, images and connections from this origin only; inline style attributes are the page's own. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'"
            + " data: blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self';"
            + " frame-ancestors 'self'";

    private final Javalin app;
    private final RunStore store;
    private final RunService runs;
    private final NgramExplorer ngrams;
    private final SweepRoutes sweeps;
    private final RequestGuard guard;
    private final RunSocket sockets;

    private LabServer(LabOptions o, Consumer<Javalin> testRoutes) {
        writable(o.dataDir());
        if (!o.db().startsWith("jdbc:") && Path.of(o.db()).toAbsolutePath().getParent() != null) {
            writable(Path.of(o.db()).toAbsolutePath().getParent());
        }
        store = new RunStore(o.db());
        DatasetLibrary datasets;
        try {
            datasets = new DatasetLibrary(o.dataDir());
            runs = new RunService(store, datasets, o.dataDir(), RunService.defaultConcurrency());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        Path spoolDir = o.dataDir().resolve("datasets");
        ngrams = new NgramExplorer(datasets);
        int[] port = {o.port()};
        guard = new RequestGuard(o, () -> port[0]);
        app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.jsonMapper(new JavalinJackson(RunStore.JSON, false));
            QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 8, 60_000);
            pool.setName("lab-http");
            c.jetty.threadPool = pool;
            c.jetty.modifyHttpConfiguration(h -> {
                h.setIdleTimeout(IDLE_TIMEOUT_MS);
                h.setSendServerVersion(false);
            });
            c.jetty.addConnector((server, http) -> {
                ServerConnector sc = new ServerConnector(server, new HttpConnectionFactory(http));
                sc.setHost(o.host());
                sc.setPort(o.port());
                sc.setIdleTimeout(IDLE_TIMEOUT_MS);
                return sc;
            });
            c.jetty.modifyServer(s -> s.setErrorHandler(new JsonErrorHandler()));
            c.jetty.modifyServletContextHandler(h -> h.setErrorHandler(new JsonErrorHandler()));
            c.jetty.modifyWebSocketServletFactory(f -> {
                f.setMaxTextMessageSize(4096);
                f.setIdleTimeout(WS_IDLE);
            });
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
        app.exception(StoreException.class, (e, ctx) -> error(ctx, 503, e.getMessage(), null));
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                e.getStatus() == 404 ? "not found: " + ctx.method() + " " + clip(ctx.path()) : e.getMessage(), null));
        app.exception(org.eclipse.jetty.http.BadMessageException.class, (e, ctx) -> error(ctx, e.getCode(),
                e.getCode() == 408 ? "the request body arrived too slowly" : "bad request", null));
        app.exception(Exception.class, (e, ctx) -> {
            System.err.println("internal error on " + ctx.method() + " " + clip(ctx.path()) + ":");
            e.printStackTrace();
            error(ctx, 500, "internal error; the server log has the details", null);
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || !ctx.res().getContentType().startsWith("application/json")) {
                error(ctx, 404, "not found: " + ctx.method() + " " + clip(ctx.path()), null);
            }
        });
        app.error(500, ctx -> { // what no exception handler saw (an Error thrown outside a route) still gets the shape
            String type = ctx.res().getContentType();
            if (type == null || !type.startsWith("application/json")) {
                error(ctx, 500, "internal error; the server log has the details", null);
            }
        });
        app.error(405, ctx -> error(ctx, 405, "method not allowed: " + ctx.method() + " " + clip(ctx.path()), null));

        app.before(ctx -> {
            // the page runs only its own scripts and cannot be framed by another site (clickjacking)
            ctx.header("Content-Security-Policy", CSP);
            ctx.header("X-Frame-Options", "SAMEORIGIN");
            ctx.header("X-Content-Type-Options", "nosniff");
        });
        app.before(guard::check);
        app.get("/api/models", safe(ctx -> ctx.json(makemore.model.Models.all())));
        app.get("/api/limits", safe(ctx -> ctx.json(Limits.asMap())));
        BodyPermits bodies = new BodyPermits(BODY_READERS);
        new RunRoutes(app, runs, bodies);
        new DatasetRoutes(app, datasets, ngrams, spoolDir, bodies);
        if (testRoutes != null) {
            testRoutes.accept(app);
        }

        app.wsBeforeUpgrade("/ws/*", guard::checkUpgrade);
        sockets = new RunSocket(app, runs);
        new ListSocket(app, runs.feed());
        sweeps = new SweepRoutes(app, store, runs); // sweeps, LR finder, smoothing vs L2, long export
        DatasetRoutes.cleanSpool(spoolDir);
        try {
            app.start();
        } catch (Exception e) { // Javalin's bind failure is a checked exception Kotlin throws undeclared
            close();
            throw new StoreException("cannot listen on " + o.host() + ":" + o.port() + ": "
                    + (e.getMessage() != null ? e.getMessage().split("\\. ")[0] : "the address is not available"), e);
        }
        port[0] = app.port();
    }

    public static LabServer start(LabOptions options) {
        return new LabServer(options, null);
    }

    /** With extra routes, for tests that need a request to misbehave (throw an Error, say). */
    static LabServer start(LabOptions options, Consumer<Javalin> testRoutes) {
        return new LabServer(options, testRoutes);
    }

    public int port() {
        return app.port();
    }

    /** The token requests must carry, or null when none is needed. */
    public String token() {
        return guard.token();
    }

    public RunService runs() {
        return runs;
    }

    public RunStore store() {
        return store;
    }

    /** Fails start-up with one line naming the folder when it cannot be created or written. */
    private static void writable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | RuntimeException e) {
            throw new StoreException("cannot write to " + dir.toAbsolutePath() + " ("
                    + (StoreException.diskFull(e) ? StoreException.NO_SPACE
                    : e instanceof java.nio.file.AccessDeniedException || String.valueOf(e.getMessage()).contains("Read-only")
                    ? "permission denied or read-only" : "it is not a writable folder") + ")", e);
        }
    }

    /** An Error in a handler (OutOfMemoryError, say) ends this request with a 500, and nothing else. */
    static Handler safe(Handler h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (Error e) {
                throw new IllegalStateException("error in a request: " + e, e);
            }
        };
    }

    static String clip(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 100 ? t.substring(0, 100) + "..." : t;
    }

    static void error(Context ctx, int status, String message, String field) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        if (field != null) {
            m.put("field", field);
        }
        if (status == 413 || status == 408) {
            ctx.header("Connection", "close"); // the rest of the body is not wanted: hang up rather than drain it
        }
        ctx.status(status).json(m);
    }

    /** Stops training runs (stored as stopped), says goodbye to viewers (1001), closes the database. */
    @Override
    public void close() {
        if (sweeps != null) {
            sweeps.close();
        }
        runs.close();
        ngrams.close();
        if (sockets != null) {
            sockets.close();
        }
        app.stop();
        store.close();
    }
}
