package makemore.web;

import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import makemore.lab.ListFeed;

/**
 * {@code /ws/list}: every open page hears when the run or sweep list changed (another tab deleted a run, a run
 * ended), as {"type": "runs"} or {"type": "sweeps"}, and reads the list again. A burst (a sweep's hundred points
 * starting) is one message per list every {@link #COALESCE_MS}; each page has a bounded outbox, so a page that does
 * not read is closed, never waited for.
 */
final class ListSocket {
    static final long COALESCE_MS = 200;
    private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "list-feed");
        t.setDaemon(true);
        return t;
    });

    private final ListFeed feed;
    private record Client(Consumer<String> listener, SweepOutbox box) {}

    private final Map<WsContext, Client> clients = new ConcurrentHashMap<>();

    ListSocket(Javalin app, ListFeed feed) {
        this.feed = feed;
        app.ws("/ws/list", ws -> {
            ws.onConnect(ctx -> {
                ctx.session.setIdleTimeout(LabServer.WS_IDLE);
                SweepOutbox box = new SweepOutbox(ctx);
                Set<String> pending = ConcurrentHashMap.newKeySet();
                Consumer<String> listener = list -> {
                    if (pending.add(list)) { // the first change of a burst schedules the one message
                        LATER.schedule(() -> {
                            pending.remove(list);
                            box.accept(Map.of("type", list));
                        }, COALESCE_MS, TimeUnit.MILLISECONDS);
                    }
                };
                clients.put(ctx, new Client(listener, box));
                feed.subscribe(listener);
                box.start(Map.of("type", "hello"));
            });
            ws.onClose(this::drop);
            ws.onError(this::drop);
        });
    }

    private void drop(WsContext ctx) {
        Client c = clients.remove(ctx);
        if (c != null) {
            feed.unsubscribe(c.listener());
            c.box().close(); // a hint already scheduled for this page is dropped, not sent to a closed socket
        }
    }
}
