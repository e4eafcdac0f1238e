package makemore.lab;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * At most so many of one kind of work at once (checking uploads, say); one that waits longer than its patience for a
 * place is answered 503 with a plain "try again", rather than queueing without bound or crowding the CPUs and memory.
 */
final class Permits {
    private final Semaphore places;
    private final long waitMs;
    private final String busy;

    /** @param busy what the 503 says, e.g. "the lab is busy checking 2 other uploads" */
    Permits(int size, long waitMs, String busy) {
        this.places = new Semaphore(size);
        this.waitMs = waitMs;
        this.busy = busy;
    }

    <T> T run(Supplier<T> work) {
        try {
            if (!places.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
                throw new LabException(503, busy + "; try again in a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException(503, "the lab is shutting down; try again when it is back");
        }
        try {
            return work.get();
        } finally {
            places.release();
        }
    }
}
