package makemore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import makemore.store.RunStore;

/**
 * The benches' WebSocket viewer: text frames joined into whole messages, each parsed and handed on with the time it
 * arrived; or, made with {@link #neverReading()}, a viewer that never asks for a message, so the server's sends to
 * it pile up as a stalled browser's would.
 */
final class JsonMessages implements WebSocket.Listener {
    interface Handler {
        void on(JsonNode message, long arrivedNanos);
    }

    private final StringBuilder partial = new StringBuilder();
    private final Handler handler;

    JsonMessages(Handler handler) {
        this.handler = handler;
    }

    static JsonMessages neverReading() {
        return new JsonMessages(null);
    }

    @Override
    public void onOpen(WebSocket ws) {
        if (handler != null) {
            ws.request(1);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            long now = System.nanoTime();
            JsonNode m;
            try {
                m = RunStore.JSON.readTree(partial.toString());
            } catch (Exception e) {
                throw new IllegalStateException("not a JSON message: " + e.getMessage(), e);
            }
            partial.setLength(0);
            handler.on(m, now);
        }
        ws.request(1);
        return null;
    }
}
