package makemore.data;

import java.util.concurrent.CancellationException;

/**
 * The check a long loop over a corpus makes so that a request whose client left (lab/BoundedJob interrupts its
 * worker) stops within a moment: loading, splitting and counting a 32 MB upload each take seconds.
 */
public final class Interruption {
    private Interruption() {}

    /** Every 65,536th item: cheap enough for the tightest loop, often enough to stop within milliseconds. */
    public static void check(int item) {
        if ((item & 0xFFFF) == 0 && Thread.currentThread().isInterrupted()) {
            throw new CancellationException("stopped: its client left");
        }
    }
}
