package makemore.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Work beyond the places waits its patience, then is a plain 503; a place freed lets the next one in. */
class PermitsTest {
    @Test
    void workBeyondThePlacesIsA503AfterItsWait() throws Exception {
        Permits p = new Permits(2, 300, "the lab is busy checking 2 other uploads");
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<?>[] holders = new CompletableFuture<?>[2];
        for (int i = 0; i < 2; i++) {
            holders[i] = CompletableFuture.supplyAsync(() -> p.run(() -> {
                started.countDown();
                try {
                    return release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        started.await(30, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        LabException e = assertThrows(LabException.class, () -> p.run(() -> "third"));
        assertEquals(503, e.status());
        assertEquals("the lab is busy checking 2 other uploads; try again in a minute", e.getMessage());
        assertEquals(true, System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(300), "it waited its 300 ms first");
        release.countDown();
        CompletableFuture.allOf(holders).get(30, TimeUnit.SECONDS);
        assertEquals("next", p.run(() -> "next"));
        // a failing piece of work gives its place back too
        for (int i = 0; i < 3; i++) {
            assertThrows(IllegalArgumentException.class, () -> p.run(() -> {
                throw new IllegalArgumentException("bad upload");
            }));
        }
        assertEquals("still free", p.run(() -> "still free"));
    }
}
