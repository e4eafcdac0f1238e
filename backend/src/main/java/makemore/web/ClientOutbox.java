package makemore.web;

import io.javalin.websocket.WsContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import makemore.store.RunRecord;
import makemore.store.RunStore;
import makemore.train.RunEvent;

/**
 * One WebSocket viewer's queue and its one sender thread. Training threads only append here (never block);
 * progress points are merged into one message at most every 50 ms, so a slow client gets fewer, fuller
 * messages. A client so slow that {@link #MAX_QUEUED} other events pile up is disconnected (it can reconnect
 * and gets a fresh snapshot), so memory stays bounded.
 */
final class ClientOutbox implements Consumer<RunEvent> {
    static final int MAX_QUEUED = 2000;
    static final long PROGRESS_INTERVAL_MS = 50;

    private final WsContext ws;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final List<RunRecord.Point> points = new ArrayList<>();
    private long lastPointStep;
    private double stepsPerSec;
    private long lastProgressSent;
    private boolean closed;
    private volatile Object snapshot;

    ClientOutbox(WsContext ws) {
        this.ws = ws;
    }

    /** Sends the snapshot, then everything accepted since the subscription that produced it. */
    void start(RunRecord runSnapshot) {
        this.snapshot = Map.of("type", "snapshot", "run", runSnapshot);
        Thread sender = new Thread(this::sendLoop, "ws-" + ws.sessionId());
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public synchronized void accept(RunEvent e) {
        if (closed) {
            return;
        }
        if (e instanceof RunEvent.Progress p) {
            points.add(RunRecord.Point.of(p));
            lastPointStep = p.step();
            stepsPerSec = p.stepsPerSec();
        } else if (queue.size() >= MAX_QUEUED) {
            closed = true;
            try {
                ws.closeSession(1008, "client too slow: reconnect to get a fresh snapshot");
            } catch (RuntimeException ignored) {
                // called on a training thread: whatever the socket does, training goes on
            }
        } else {
            queue.add(e);
        }
        notifyAll();
    }

    /** Messages from the server itself (errors, replies), in order with the events. */
    synchronized void send(Object message) {
        if (!closed) {
            queue.add(message);
            notifyAll();
        }
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    private void sendLoop() {
        try {
            ws.send(RunStore.JSON.writeValueAsString(snapshot));
            while (true) {
                Object next;
                synchronized (this) {
                    while (true) {
                        if (closed) {
                            return;
                        }
                        if (!queue.isEmpty()) {
                            // pending progress goes first so the client sees steps in order
                            next = points.isEmpty() ? queue.poll() : takeProgress();
                            break;
                        }
                        long wait = PROGRESS_INTERVAL_MS - sinceProgress();
                        if (!points.isEmpty() && wait <= 0) {
                            next = takeProgress();
                            break;
                        }
                        wait(points.isEmpty() ? 0 : wait);
                    }
                }
                ws.send(RunStore.JSON.writeValueAsString(next)); // blocks on a slow client: only this thread waits
            }
        } catch (Exception e) {
            close(); // the client went away or the server is closing; the run goes on
        }
    }

    private long sinceProgress() {
        return System.currentTimeMillis() - lastProgressSent;
    }

    private Map<String, Object> takeProgress() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "progress");
        m.put("step", lastPointStep);
        m.put("stepsPerSec", stepsPerSec);
        m.put("points", List.copyOf(points));
        points.clear();
        lastProgressSent = System.currentTimeMillis();
        return m;
    }
}
