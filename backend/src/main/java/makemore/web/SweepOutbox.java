package makemore.web;

import io.javalin.websocket.WsContext;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import makemore.store.RunStore;

/**
 * One sweep viewer's bounded queue and its one sender thread, as {@link ClientOutbox} is for a run: the sweep's
 * trainers and poller only append; a client that lets {@link ClientOutbox#MAX_QUEUED} messages pile up is closed
 * with 1008 and can reconnect for a fresh snapshot.
 */
final class SweepOutbox implements Consumer<Object> {
    private final WsContext ws;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private boolean closed;

    SweepOutbox(WsContext ws) {
        this.ws = ws;
    }

    void start(Object snapshot) {
        synchronized (this) {
            queue.addFirst(snapshot);
        }
        Thread sender = new Thread(this::sendLoop, "ws-sweep-" + ws.sessionId());
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public synchronized void accept(Object message) {
        if (closed) {
            return;
        }
        if (queue.size() >= ClientOutbox.MAX_QUEUED) {
            closed = true;
            try {
                ws.closeSession(1008, "client too slow: reconnect to get a fresh snapshot");
            } catch (RuntimeException ignored) {
                // called on a trainer thread: training goes on whatever the socket does
            }
        } else {
            queue.add(message);
        }
        notifyAll();
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    private void sendLoop() {
        try {
            while (true) {
                Object next;
                synchronized (this) {
                    while (!closed && queue.isEmpty()) {
                        wait();
                    }
                    if (closed) {
                        return;
                    }
                    next = queue.poll();
                }
                ws.send(RunStore.JSON.writeValueAsString(next)); // blocks on a slow client: only this thread waits
            }
        } catch (Exception e) {
            close();
        }
    }
}
