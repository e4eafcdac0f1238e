package makemore.lab;

import java.util.concurrent.atomic.AtomicInteger;
import makemore.config.Limits;

/**
 * The one bound on runs waiting for a trainer, shared by every way in (runs, sweep points, re-runs): places are
 * held before anything is stored and given back as each run leaves the queue, so a sweep cannot queue past it.
 */
public final class QueueBound {
    private final AtomicInteger queued = new AtomicInteger();

    /** Holds {@code n} places; a 429 with the count when they do not fit. */
    public void reserve(int n) {
        while (true) {
            int now = queued.get();
            if (now + n > Limits.QUEUED_RUNS) {
                throw new LabException(429, now + " runs are already queued (the limit is " + Limits.QUEUED_RUNS
                        + (n > 1 ? "; these are " + n + " more" : "") + "); wait for some to finish or stop them");
            }
            if (queued.compareAndSet(now, now + n)) {
                return;
            }
        }
    }

    /** Gives back places held for runs that were then not queued, or that left the queue. */
    public void release(int n) {
        queued.addAndGet(-n);
    }

    /** Runs waiting for a trainer now. */
    public int count() {
        return Math.max(0, queued.get());
    }
}
