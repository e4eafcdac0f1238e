package makemore.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * At most {@code permits} requests read bodies at once, so slow senders cannot take every request thread; shared
 * by every route class that reads a body.
 */
final class BodyPermits {
    private final Semaphore readers;

    BodyPermits(int permits) {
        this.readers = new Semaphore(permits);
    }

    interface BodyRead<T> {
        T read();
    }

    <T> T read(BodyRead<T> read) {
        try {
            if (!readers.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                throw new HttpResponseException(503, "too many requests are sending bodies right now; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpResponseException(503, "the server is shutting down");
        }
        try {
            return read.read();
        } finally {
            readers.release();
        }
    }

    /** The body as a strict JSON object. */
    JsonNode json(Context ctx) {
        return read(() -> Bodies.object(ctx, "body"));
    }
}
