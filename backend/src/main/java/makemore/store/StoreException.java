package makemore.store;

import java.net.SocketException;
import java.sql.SQLException;

/**
 * The run database or the lab's data folder could not be read or written (full, read-only, gone); the message says
 * why, without a trace.
 */
public final class StoreException extends IllegalStateException {
    /** What a full disk is called in every answer, so a user knows to free space rather than retry the upload. */
    public static final String NO_SPACE = "no space left on the device holding the lab's data";

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A write to the lab's data folder failed: {@code what} could not be done, and plainly why. */
    public static StoreException dataWrite(String what, java.io.IOException e) {
        return new StoreException(what + ": " + (diskFull(e) ? NO_SPACE : "the data folder refused the write"), e);
    }

    /** True when the file system is out of space or quota (ENOSPC, EDQUOT): nothing the client did wrong. */
    public static boolean diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
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
