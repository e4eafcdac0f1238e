package makemore.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import makemore.train.RunEvent;

/**
 * Takes events from training threads without blocking them and writes them in batches (one transaction per
 * run every quarter second), so a run's speed does not depend on the disk.
 */
public final class StoreWriter implements AutoCloseable {
    private record Item(String runId, RunEvent event, CountDownLatch flushed) {}

    private final RunStore store;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;

    public StoreWriter(RunStore store) {
        this.store = store;
        this.thread = new Thread(this::loop, "store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    public void offer(String runId, RunEvent e) {
        queue.add(new Item(runId, e, null));
    }

    /** Blocks until everything offered so far is written. */
    public void flush() {
        CountDownLatch done = new CountDownLatch(1);
        queue.add(new Item(null, null, done));
        try {
            done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        List<Item> batch = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                Item first = queue.poll(250, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                gather(batch, first);
                write(batch);
            } catch (InterruptedException e) {
                closing = true;
            } catch (RuntimeException e) {
                System.err.println("store writer: " + e.getMessage()); // keep the writer alive; next batch may succeed
            } finally {
                for (Item i : batch) {
                    if (i.flushed() != null) {
                        i.flushed().countDown();
                    }
                }
                batch.clear();
            }
        }
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
        byRun.forEach(store::append);
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
