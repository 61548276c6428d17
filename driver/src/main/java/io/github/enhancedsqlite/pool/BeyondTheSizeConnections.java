package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.jdbc.PhysicalConnection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * Connections lent beyond {@code maximumPoolSize} when the file has all of them open and none comes free. Plain
 * sqlite-jdbc opens a connection for every getConnection, so code written for it never waited there; with a pool it
 * waited {@code connectionTimeout} and failed, where waiting might never end:
 * <ul>
 * <li>a thread that holds a lease already asks for another (Spring's REQUIRES_NEW, a DAO that opens its own connection
 * inside its caller's transaction), and the borrowers holding the others wait for the writer turn its transaction
 * holds, or each for a second connection as it does;</li>
 * <li>the others are parked, borrowed but unused: idle in a pool in front of the driver (Quartz's job store always
 * builds its own), or held by long-lived code.</li>
 * </ul>
 * Such a connection is opened for the lease and closed when it comes back. At most {@code maximumPoolSize} are open at
 * once, so code that leaks connections still meets the pool's limit, at twice the size.
 */
final class BeyondTheSizeConnections implements OwnConnections {

    private final int most;
    private final PhysicalConnectionFactory factory;
    /** Guarded by this: lent now (and being opened), closed with the pool. */
    private final Set<PhysicalConnection> lent = new HashSet<>();
    /** Guarded by this: reserved or lent. */
    private int open;
    /** Guarded by this. */
    private boolean closed;

    BeyondTheSizeConnections(int most, PhysicalConnectionFactory factory) {
        this.most = most;
        this.factory = factory;
    }

    /**
     * A connection opened for a lease beyond the size; null when {@code most} are lent already, or when the pool is
     * closing (the caller then waits as any borrower does).
     */
    PhysicalConnection lend() throws SQLException {
        if (!reserve()) {
            return null;
        }
        PhysicalConnection opened;
        try {
            opened = factory.openBeyondTheSize();
        } catch (SQLException | RuntimeException | Error e) {
            release();
            throw e;
        }
        synchronized (this) {
            if (!closed) {
                lent.add(opened);
                return opened;
            }
        }
        closeQuietly(opened); // the pool closed while it opened
        release();
        return null;
    }

    private synchronized boolean reserve() {
        if (closed || open >= most) {
            return false;
        }
        open++;
        return true;
    }

    /** How many are lent (or being opened) now. */
    synchronized int lentNow() {
        return open;
    }

    private synchronized void release() {
        open--;
    }

    /** Back from its lease: closed, whether evicted or not (the pool keeps none beyond its size). */
    @Override
    public void giveBack(PhysicalConnection connection, boolean evicted) {
        synchronized (this) {
            if (!lent.remove(connection)) {
                return; // closed with the pool while lent
            }
        }
        closeQuietly(connection);
        release();
    }

    /** Closes what is still lent: the pool is closing, as HikariCP aborts what is still lent when it shuts down. */
    void close() {
        PhysicalConnection[] all;
        synchronized (this) {
            closed = true;
            all = lent.toArray(new PhysicalConnection[0]);
            lent.clear();
            open -= all.length;
        }
        for (PhysicalConnection connection : all) {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(PhysicalConnection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            // nothing to do about it: the connection is gone from the pool either way
        }
    }
}
