package makemore.store;

import java.net.SocketException;
import java.sql.SQLException;

/** The run database could not be read or written (full, read-only, gone); the message says why, without a trace. */
public final class StoreException extends IllegalStateException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * True when the database could not be reached (a server stopped or restarting, a network gone): a write may
     * succeed later, unlike a full disk or a refused statement. SQLState class 08 is "connection exception"; 57P01-03
     * are a server shutting down, crashed or starting up.
     */
    public boolean unreachable() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                for (SQLException x = s; x != null; x = x.getNextException()) {
                    String state = x.getSQLState();
                    if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                        return true;
                    }
                }
            }
            if (t instanceof SocketException || t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }
}
