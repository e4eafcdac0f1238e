package makemore.web;

import io.javalin.websocket.WsContext;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import makemore.store.RunStore;

/**
 * One sweep viewer's bounded queue, sent as {@link ClientOutbox} sends a run's: the sweep's trainers and poller
 * only append; the shared sender threads hand one message at a time to Jetty's asynchronous send, so a viewer
 * holds no thread. A client that lets {@link ClientOutbox#MAX_QUEUED} messages pile up is closed with 1008 (off
 * the caller's thread) and can reconnect for a fresh snapshot.
 */
final class SweepOutbox implements Consumer<Object> {
    private final WsContext ws;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private boolean started;
    private boolean sending;
    private boolean closed;

    SweepOutbox(WsContext ws) {
        this.ws = ws;
    }

    synchronized void start(Object snapshot) {
        queue.addFirst(snapshot);
        started = true;
        pumpLater();
    }

    @Override
    public synchronized void accept(Object message) {
        if (closed) {
            return;
        }
        if (queue.size() >= ClientOutbox.MAX_QUEUED) {
            closed = true;
            queue.clear();
            ClientOutbox.SENDERS.execute(() -> {
                try {
                    ws.closeSession(1008, "client too slow: reconnect to get a fresh snapshot");
                } catch (RuntimeException ignored) {
                    // already gone
                }
            });
            return;
        }
        queue.add(message);
        pumpLater();
    }

    synchronized void close() {
        closed = true;
        queue.clear();
    }

    private void pumpLater() {
        if (started && !sending && !closed && !queue.isEmpty()) {
            sending = true;
            ClientOutbox.SENDERS.execute(this::pump);
        }
    }

    private void pump() {
        Object next;
        synchronized (this) {
            next = closed ? null : queue.poll();
            if (next == null) {
                sending = false;
                return;
            }
        }
        String text;
        try {
            text = RunStore.JSON.writeValueAsString(next);
        } catch (Exception e) {
            close();
            return;
        }
        ClientOutbox.sendAsync(ws.session, text, () -> {
            synchronized (this) {
                sending = false;
                pumpLater();
            }
        }, this::close); // a client gone away is closed; the sweep goes on
    }
}
