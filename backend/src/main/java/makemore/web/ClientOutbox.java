package makemore.web;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import makemore.store.RunRecord;
import makemore.store.RunStore;
import makemore.event.RunEvent;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WriteCallback;

/**
 * One WebSocket viewer's bounded queue. Training threads only append here (never block, never touch the socket);
 * two shared threads serialise and hand messages to Jetty's asynchronous send, one in flight per viewer, so an
 * idle or slow viewer holds no thread at all. Progress points are merged into one message at most every 50 ms,
 * so a slow client gets fewer, fuller messages. A client so slow that {@link #MAX_QUEUED} other events pile up
 * is disconnected with 1008 (it can reconnect for a fresh snapshot); that close, too, runs on a shared thread.
 */
final class ClientOutbox implements Consumer<RunEvent> {
    static final int MAX_QUEUED = 2000;
    static final long PROGRESS_INTERVAL_MS = 50;

    /** Shared by every viewer: serialising and starting sends is all they do. */
    static final ScheduledExecutorService SENDERS = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "ws-senders");
        t.setDaemon(true);
        return t;
    });

    private final Session session;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final List<RunRecord.Point> points = new ArrayList<>();
    private long lastPointStep;
    private double stepsPerSec;
    private long lastProgressSent;
    private boolean started;
    private boolean sending; // a message is with Jetty, or a pump is scheduled
    private boolean closed;

    ClientOutbox(Session session) {
        this.session = session;
    }

    /** Sends the snapshot, then everything accepted since the subscription that produced it. */
    synchronized void start(RunRecord runSnapshot) {
        queue.addFirst(Map.of("type", "snapshot", "run", runSnapshot));
        started = true;
        schedule(0);
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
            queue.clear();
            points.clear();
            SENDERS.execute(() -> closeQuietly(1008, "client too slow: reconnect to get a fresh snapshot"));
            return;
        } else {
            queue.add(e);
        }
        schedule(0);
    }

    /** Messages from the server itself (errors, replies), in order with the events. */
    synchronized void send(Object message) {
        if (!closed && queue.size() < MAX_QUEUED) {
            queue.add(message);
            schedule(0);
        }
    }

    synchronized void close() {
        closed = true;
        queue.clear();
        points.clear();
    }

    /** Starts a pump unless one is running or a message is in flight (then its completion pumps). */
    private void schedule(long delayMs) {
        if (!started || sending || closed) {
            return;
        }
        sending = true;
        if (delayMs <= 0) {
            SENDERS.execute(this::pump);
        } else {
            SENDERS.schedule(this::pump, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void pump() {
        Object next;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!queue.isEmpty()) {
                // pending progress goes first so the client sees steps in order (the snapshot is always first)
                next = points.isEmpty() || queue.peek() instanceof Map<?, ?> m && "snapshot".equals(m.get("type"))
                        ? queue.poll() : takeProgress();
            } else if (!points.isEmpty()) {
                long wait = PROGRESS_INTERVAL_MS - (System.currentTimeMillis() - lastProgressSent);
                if (wait > 0) {
                    sending = false;
                    schedule(wait);
                    return;
                }
                next = takeProgress();
            } else {
                sending = false;
                return;
            }
        }
        String text;
        try {
            text = RunStore.JSON.writeValueAsString(next);
        } catch (Exception e) {
            text = "{\"type\":\"error\",\"error\":\"a message could not be encoded\"}";
        }
        sendAsync(session, text, this::sent, this::close); // a client gone away is closed; the run goes on
    }

    /** Hands {@code text} to Jetty's asynchronous send: {@code sent} once written, {@code gone} if the client is gone. */
    static void sendAsync(Session session, String text, Runnable sent, Runnable gone) {
        try {
            session.getRemote().sendString(text, new WriteCallback() {
                @Override
                public void writeSuccess() {
                    sent.run();
                }

                @Override
                public void writeFailed(Throwable x) {
                    gone.run();
                }
            });
        } catch (RuntimeException e) {
            gone.run();
        }
    }

    private synchronized void sent() {
        sending = false;
        schedule(0);
    }

    private void closeQuietly(int code, String reason) {
        try {
            session.close(code, reason);
        } catch (RuntimeException ignored) {
            // already gone
        }
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
