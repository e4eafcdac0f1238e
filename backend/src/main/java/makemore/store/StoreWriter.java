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
 * any failure, Errors included. A batch that cannot be written is reported through {@code onFailure} (the run is
 * then failed by its owner) and that run's final status is stored as {@code failed}, retried until the store
 * takes it, so a full disk that frees up later still leaves an honest record.
 */
public final class StoreWriter implements AutoCloseable {
    /** Events waiting to be written at most; a lecture-size run emits about 2,000 in all. */
    public static final int CAPACITY = 20_000;

    private record Item(String runId, RunEvent event, CountDownLatch flushed) {}

    private final RunStore store;
    private final BiConsumer<String, String> onFailure;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final Map<String, String> failed = new LinkedHashMap<>(); // run -> why; writer thread only
    private final Map<String, RunEvent.Status> unsaved = new LinkedHashMap<>(); // final statuses to retry
    private final Thread thread;
    private volatile boolean closing;

    /** For callers that only need the failures logged (the CLI's sweep worker). */
    public StoreWriter(RunStore store) {
        this(store, (id, why) -> { });
    }

    public StoreWriter(RunStore store, BiConsumer<String, String> onFailure) {
        this.store = store;
        this.onFailure = onFailure;
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
            try {
                store.append(id, toWrite);
                if (last != null && last.status().terminal()) {
                    failed.remove(id);
                    synchronized (this) {
                        unsaved.remove(id);
                    }
                }
            } catch (RuntimeException e) {
                String why = e.getMessage();
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
        });
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
