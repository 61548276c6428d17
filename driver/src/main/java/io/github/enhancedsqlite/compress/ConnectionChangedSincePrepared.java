package io.github.enhancedsqlite.compress;

import java.sql.SQLException;

/**
 * A statement that names {@code main.t} runs a text chosen for its connection as it was when it was prepared (see
 * {@link ShadowTables#checkMainReferences}), and the connection has changed since: set read-only or back, or given a
 * temporary object named {@code t}. The statement pipeline prepares such a statement again as the connection is
 * now; the application sees this only for a statement that cannot be prepared again (a plain {@code Statement}'s
 * batch), 0A000, naming the remedy.
 */
public final class ConnectionChangedSincePrepared extends SQLException {

    private static final long serialVersionUID = 1L;

    ConnectionChangedSincePrepared(String sql, String how) {
        super("This statement names a table qualified with main, and reads it with its compressed values decoded in a"
                + " way chosen for this connection as it was when the statement was prepared, which " + how
                + ": prepare the statement again to run it: " + sql, "0A000");
    }
}
