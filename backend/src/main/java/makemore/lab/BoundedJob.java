package makemore.lab;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * A kind of heavy computation a request asks for (a smoothing-vs-L2 comparison trains dozens of models): it runs on
 * its own worker, off the request and training threads, one at a time (a second request meanwhile is a 429), and
 * it is stopped within a fraction of a second of its client leaving, so an abandoned request leaves nothing running.
 * The work checks {@link #stopRequested()} between its steps.
 */
public final class BoundedJob implements AutoCloseable {
    private static final long POLL_MS = 200;

    private final String kind;
    private final long patienceMs;
    private final Semaphore one = new Semaphore(1);
    private final ExecutorService worker;

    public BoundedJob(String kind) {
        this(kind, 0);
    }

    /**
     * @param patienceMs how long a request waits for the running job before its 429: for quick jobs that a slider
     *                   asks for on every move, so two tabs or one fast hand queue briefly instead of failing
     */
    public BoundedJob(String kind, long patienceMs) {
        this.kind = kind;
        this.patienceMs = patienceMs;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "job-" + kind.replace(' ', '-'));
            t.setDaemon(true);
            return t;
        });
    }

    /** True on the job's worker once the job should stop (its client left); the work then throws or returns. */
    public static boolean stopRequested() {
        return Thread.currentThread().isInterrupted();
    }

    /** Throws a CancellationException when the job should stop: the one line a work loop needs. */
    public static void checkStop() {
        if (stopRequested()) {
            throw new CancellationException("stopped: its client left");
        }
    }

    /** Runs {@code work} and waits for it, checking {@code clientGone} meanwhile; the work's own exceptions pass. */
    public <T> T run(Callable<T> work, BooleanSupplier clientGone) {
        boolean got;
        try {
            got = one.tryAcquire(patienceMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = false;
        }
        if (!got) {
            throw new LabException(429, "another " + kind + " is being computed; try again when it is done");
        }
        Future<T> f;
        try {
            f = worker.submit(() -> {
                try {
                    return work.call();
                } finally {
                    one.release(); // only when the work has really stopped: nothing piles up behind it
                }
            });
        } catch (RuntimeException e) {
            one.release();
            throw e;
        }
        while (true) {
            try {
                return f.get(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException t) {
                if (clientGone.getAsBoolean()) {
                    f.cancel(true);
                    throw new LabException(503, "the " + kind + " was stopped: its client left");
                }
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException r) {
                    throw r;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(c);
            } catch (InterruptedException e) {
                f.cancel(true);
                Thread.currentThread().interrupt();
                throw new LabException(503, "the " + kind + " was stopped: the lab is shutting down");
            }
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
