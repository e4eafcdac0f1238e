package makemore.lab;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tells whoever listens (each open page, through its list socket) that the run list or the sweep list changed: a
 * run created, started, ended, renamed or deleted, a sweep created, stopped or deleted. It says only what changed,
 * "runs" or "sweeps"; a page then reads the list again. Listeners are called on the thread that made the change, a
 * trainer's among them, so they must only enqueue.
 */
public final class ListFeed {
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public void subscribe(Consumer<String> listener) {
        listeners.add(listener);
    }

    public void unsubscribe(Consumer<String> listener) {
        listeners.remove(listener);
    }

    void changed(String list) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(list);
            } catch (RuntimeException e) { // one broken page must not stop a run or the others' feed
                System.err.println("list feed: " + e);
            }
        }
    }
}
