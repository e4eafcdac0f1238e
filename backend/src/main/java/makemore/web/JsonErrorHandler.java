package makemore.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import makemore.store.RunStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Errors Jetty answers before the lab sees the request (a 10 KB URL: 414, huge headers: 431, bad syntax: 400)
 * in the lab's JSON shape instead of Jetty's HTML page, with no server details.
 */
final class JsonErrorHandler extends ErrorHandler {
    JsonErrorHandler() {
        setShowServlet(false);
        setShowStacks(false);
        setShowMessageInTitle(false);
    }

    static byte[] body(int status, String reason) {
        String why = switch (status) {
            case 414 -> "the URL is too long";
            case 431 -> "the request headers are too large";
            case 408 -> "the request took too long to arrive";
            case 413 -> "the request body is too large";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            default -> status >= 500 ? "internal error" : "bad request" + (reason == null ? "" : ": " + reason);
        };
        try {
            return RunStore.JSON.writeValueAsBytes(Map.of("error", why));
        } catch (IOException e) {
            return "{\"error\":\"error\"}".getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
        // Jetty's reasons are short fixed phrases ("URI too long"); keep them out of anything but a 400
        return ByteBuffer.wrap(body(status, status == 400 && reason != null && reason.length() < 80
                && reason.matches("[\\w .,:-]*") ? reason : null));
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        baseRequest.setHandled(true);
        response.setContentType("application/json");
        response.getOutputStream().write(body(code, HttpStatus.getMessage(code)));
    }
}
