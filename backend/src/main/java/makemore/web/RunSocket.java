package makemore.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import makemore.lab.LabException;
import makemore.lab.RunService;
import makemore.store.RunRecord;
import makemore.config.ConfigException;
import org.eclipse.jetty.websocket.api.CloseStatus;

/**
 * One WebSocket per run viewer at /ws/runs/{id}: the run as it is, then its events through the viewer's own
 * {@link ClientOutbox} (ctx.send blocks, so a slow viewer must not hold the trainer); a viewer may set the LR.
 */
final class RunSocket implements AutoCloseable {
    private final RunService runs;
    private final Map<WsContext, ClientOutbox> clients = new ConcurrentHashMap<>();

    RunSocket(Javalin app, RunService runs) {
        this.runs = runs;
        app.ws("/ws/runs/{id}", this::socket);
    }

    private void socket(WsConfig ws) {
        ws.onConnect(ctx -> {
            String id = ctx.pathParam("id");
            ctx.session.setIdleTimeout(LabServer.WS_IDLE);
            ClientOutbox box = new ClientOutbox(ctx.session);
            RunRecord snapshot;
            try {
                snapshot = runs.subscribe(id, box);
            } catch (LabException e) {
                ctx.closeSession(4404, e.getMessage());
                return;
            } catch (RuntimeException e) {
                ctx.closeSession(1011, "the run cannot be read right now");
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
                JsonNode m = Bodies.parse(ctx.message(), "message");
                if (!m.isObject() || !"set".equals(m.path("type").asText(null))) {
                    throw new ConfigException("type", "expected {\"type\":\"set\",\"lr\":<number>}");
                }
                RequestFields.only(m, Set.of("type", "lr"));
                if (!m.has("lr")) {
                    throw new ConfigException("lr", "expected {\"type\":\"set\",\"lr\":<number>}");
                }
                runs.setLr(ctx.pathParam("id"), RequestFields.doubleField(m, "lr", Double.NaN));
            } catch (ConfigException | LabException e) {
                box.send(Map.of("type", "error", "error", e.getMessage()));
            }
        });
        ws.onClose(this::drop);
        ws.onError(this::drop);
    }

    private void drop(WsContext ctx) {
        ClientOutbox box = clients.remove(ctx);
        if (box != null) {
            box.close();
            runs.unsubscribe(ctx.pathParam("id"), box);
        }
    }

    /** Says goodbye (1001) to every viewer. */
    @Override
    public void close() {
        for (WsContext ctx : clients.keySet()) {
            try {
                ctx.closeSession(new CloseStatus(1001, "the lab is shutting down"));
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }
}
