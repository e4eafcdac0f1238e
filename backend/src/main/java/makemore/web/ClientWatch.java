package makemore.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;

/**
 * Whether the client of a request still waits for its answer. Jetty notices a closed connection only when it reads
 * or writes, and a GET that computes does neither for a while; so this reads the connection itself: end of input
 * means the client left. A browser sends nothing more on a connection while it waits for an answer, so the read
 * takes nothing that belongs to another request.
 */
final class ClientWatch {
    private ClientWatch() {}

    static boolean gone(Context ctx) {
        try {
            EndPoint ep = Request.getBaseRequest(ctx.req()).getHttpChannel().getEndPoint();
            if (!ep.isOpen() || ep.isInputShutdown()) {
                return true;
            }
            ByteBuffer one = BufferUtil.allocate(1);
            return ep.fill(one) < 0;
        } catch (IOException | RuntimeException e) {
            return true; // a connection that cannot be read has no one waiting on it
        }
    }
}
