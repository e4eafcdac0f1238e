package makemore.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import makemore.event.RunEvent;
import makemore.event.RunStatus;

/**
 * Takes events from training threads and writes them in batches (one transaction per run every quarter second),
 * so a run's speed does not depend on the disk. The queue is bounded: a writer that falls behind slows the
 * trainers down (back-pressure) instead of growing without limit or dropping events. The writer thread survives
 * any failure, Errors included.
 *
 * <p>While the database cannot be reached (a server stopped or restarting), a run's events wait here, in order,
 * and are written when it answers again; the runs keep training. Only a run whose events have waited longer than
 * {@link #OUTAGE_WINDOW_MS} is given up. That, or a batch the store refuses for another reason (a full disk), is
 * reported through {@code onFailure} (the run is then failed by its owner) and the run's final status is stored as
 * {@code failed}, retried until the store takes it, so a full disk that frees up later still leaves an honest
 * record. The waiting events count against {@link #CAPACITY}: a long outage slows the trainers down, it never
 * grows memory without bound.
 */
public final class StoreWriter implements AutoCloseable {
    /** Events waiting to be written at most; a lecture-size run emits about 2,000 in all. */
    public static final int CAPACITY = 20_000;

    /** How long a run's events may wait for an unreachable database before the run fails. */
    public static final long OUTAGE_WINDOW_MS = 60_000;

    private record Item(String runId, RunEvent event, CountDownLatch flushed) {}

    /** A run's events the store could not take yet, oldest first, waiting since {@code since} (nanoTime). */
    private record Waiting(List<RunEvent> events, long since, String why) {}

    private final RunStore store;
    private final BiConsumer<String, String> onFailure;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final Map<String, String> failed = new LinkedHashMap<>(); // run -> why; writer thread only
    private final Map<String, RunEvent.Status> unsaved = new LinkedHashMap<>(); // final statuses to retry
    private final Map<String, Waiting> waiting = new LinkedHashMap<>(); // writer thread only
    private final long windowNanos;
    private final Thread thread;
    private volatile boolean closing;

    /** For callers that only need the failures logged (the CLI's sweep worker). */
    public StoreWriter(RunStore store) {
        this(store, (id, why) -> { });
    }

    public StoreWriter(RunStore store, BiConsumer<String, String> onFailure) {
        this(store, onFailure, OUTAGE_WINDOW_MS);
    }

    /** With another outage window (tests). */
    public StoreWriter(RunStore store, BiConsumer<String, String> onFailure, long windowMs) {
        this.store = store;
        this.onFailure = onFailure;
        this.windowNanos = windowMs * 1_000_000L;
        this.thread = new Thread(this::loop, "store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues an event; blocks while the queue is full (the writer is behind), never drops it. */
    public void offer(String runId, RunEvent e) {
        put(new Item(runId, e, null));
    }

    /** Blocks until everything offered so far is written (or could not be). */
    public void flush() {
        CountDownLatch done = new CountDownLatch(1);
        put(new Item(null, null, done));
        try {
            done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Final statuses the store has not taken yet (it failed); readers show these over what is stored. */
    public synchronized Map<String, RunEvent.Status> unsaved() {
        return Map.copyOf(unsaved);
    }

    private void put(Item item) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(item);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // an event is never dropped: finish queueing it, then keep the interrupt
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        List<Item> batch = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                retryUnsaved();
                retryWaiting();
                if (waitingEvents() >= CAPACITY) { // a long outage: let the queue fill so the trainers wait
                    Thread.sleep(250);
                    continue;
                }
                Item first = queue.poll(250, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                if (!closing) {
                    gather(batch, first);
                } else {
                    queue.drainTo(batch);
                }
                write(batch);
            } catch (InterruptedException e) {
                closing = true;
            } catch (Throwable e) { // an OutOfMemoryError elsewhere must not end the writer for good
                System.err.println("store writer: " + e);
            } finally {
                for (Item i : batch) {
                    if (i.flushed() != null) {
                        i.flushed().countDown();
                    }
                }
                batch.clear();
            }
        }
        retryUnsaved();
    }

    /** Lets a quarter second of events gather, but a flush (a run ending) is written at once. */
    private void gather(List<Item> batch, Item first) throws InterruptedException {
        long end = System.nanoTime() + 250_000_000L;
        Item next = first;
        while (next.flushed() == null) {
            long left = end - System.nanoTime();
            next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        queue.drainTo(batch);
    }

    private void write(List<Item> batch) {
        Map<String, List<RunEvent>> byRun = new LinkedHashMap<>();
        for (Item i : batch) {
            if (i.event() != null) {
                byRun.computeIfAbsent(i.runId(), k -> new ArrayList<>()).add(i.event());
            }
        }
        byRun.forEach((id, events) -> {
            List<RunEvent> toWrite = new ArrayList<>(events.size());
            RunEvent.Status last = null;
            for (RunEvent e : events) {
                if (e instanceof RunEvent.Status s) {
                    String why = failed.get(id);
                    last = why != null && s.status().terminal() ? failedStatus(s.step(), why) : s;
                    toWrite.add(last);
                } else {
                    toWrite.add(e);
                }
            }
            Waiting w = waiting.get(id);
            if (w != null) { // the store was unreachable: these go after what already waits, in order
                w.events().addAll(toWrite);
                return;
            }
            try {
                store.append(id, toWrite);
                if (last != null && last.status().terminal()) {
                    failed.remove(id);
                    synchronized (this) {
                        unsaved.remove(id);
                    }
                }
            } catch (StoreException e) {
                if (e.unreachable()) {
                    waiting.put(id, new Waiting(new ArrayList<>(toWrite), System.nanoTime(), e.getMessage()));
                    System.err.println("store writer: the run database is unreachable; run " + id
                            + "'s results wait to be written (" + e.getMessage() + ")");
                } else {
                    fail(id, e.getMessage(), last);
                }
            } catch (RuntimeException e) {
                fail(id, e.getMessage(), last);
            }
        });
    }

    private int waitingEvents() {
        int n = 0;
        for (Waiting w : waiting.values()) {
            n += w.events().size();
        }
        return n;
    }

    /** Writes what waits for each run, in order; a run that waited past the window fails, saying why. */
    private void retryWaiting() {
        var it = waiting.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            Waiting w = e.getValue();
            RunEvent.Status last = null;
            for (RunEvent ev : w.events()) {
                if (ev instanceof RunEvent.Status s) {
                    last = s;
                }
            }
            try {
                store.append(e.getKey(), w.events());
                it.remove();
            } catch (RuntimeException stillFailing) {
                if (System.nanoTime() - w.since() > windowNanos) {
                    it.remove();
                    fail(e.getKey(), "the run database was unreachable for over " + windowNanos / 1_000_000_000L
                            + " s (" + w.why() + ")", last);
                }
                return; // unreachable still: the others wait too
            }
        }
    }

    /** The run's results cannot be stored: its owner fails it, and its final status is kept as failed. */
    private void fail(String id, String why, RunEvent.Status last) {
        if (failed.putIfAbsent(id, why) == null) {
            System.err.println("store writer: " + why);
            try {
                onFailure.accept(id, why);
            } catch (RuntimeException ignored) {
                // the owner's trouble; the writer goes on
            }
        }
        if (last != null && last.status().terminal()) {
            synchronized (this) {
                unsaved.put(id, failedStatus(last.step(), why));
            }
        }
    }

    private static RunEvent.Status failedStatus(long step, String why) {
        return new RunEvent.Status(step, RunStatus.FAILED, "failed: its results could not be stored (" + why
                + "); what was stored before is kept");
    }

    private void retryUnsaved() {
        for (var e : unsaved().entrySet()) {
            try {
                store.append(e.getKey(), List.of(e.getValue()));
                failed.remove(e.getKey());
                synchronized (this) {
                    unsaved.remove(e.getKey(), e.getValue());
                }
            } catch (RuntimeException stillFailing) {
                return; // the store is still unwritable: try again on the next round
            }
        }
    }

    @Override
    public void close() {
        flush();
        closing = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
