package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.jdbc.PhysicalConnection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Connections a lazily started pool lends itself while HikariCP grows. HikariCP opens one connection at a time and
 * sleeps 30 ms after each, so a burst of borrowers on a pool that holds one connection waited 30, 60, 90 ms for
 * connections that take about a millisecond to open. A borrower that finds HikariCP without an idle connection opens
 * one here instead, on its own thread; given back, the connection waits idle for the next such borrower, and HikariCP
 * adopts it as its next connection (the pool's factory hands it over, see {@link #adopt}), so the burst leaves
 * HikariCP's pool as large as the burst needed and these connections leave no trace.
 *
 * <p>They count against {@code maximumPoolSize}: HikariCP's own maximum is lowered by the ones lent (the idle ones are
 * HikariCP's to take: it opens a connection only when none waits idle here), and one is opened only while the file's
 * connections (the first, these, HikariCP's) are below the maximum, HikariCP keeping at least one slot. HikariCP's
 * adder may be opening a connection at that moment, so for that instant the file can hold one connection more than
 * the maximum.
 */
final class GrowthConnections {

    /** What the pool's sizes depend on, and what it does when they change. */
    interface Sizing {
        /** Connections of the file outside this set: the first connection while open, and HikariCP's. */
        int othersOpen();

        /** Whether the first connection still holds a slot. */
        boolean firstOpen();

        /** The set's counts changed: HikariCP's maximum and minimum idle follow them (called under this set's lock). */
        void resized(int open, int idle);
    }

    private final int maximumPoolSize;
    private final PhysicalConnectionFactory factory;
    private final Sizing sizing;
    /** Guarded by this. */
    private final ArrayDeque<PhysicalConnection> idle = new ArrayDeque<>();
    /** Guarded by this. */
    private final Set<PhysicalConnection> lent = new HashSet<>();
    /** Guarded by this: reserved while being opened, lent, or idle. */
    private int open;
    /** Guarded by this. */
    private boolean closed;

    GrowthConnections(int maximumPoolSize, PhysicalConnectionFactory factory, Sizing sizing) {
        this.maximumPoolSize = maximumPoolSize;
        this.factory = factory;
        this.sizing = sizing;
    }

    /**
     * A connection lent now: an idle one of this set, else one opened on this thread if the file has room; null when
     * it has none (the borrower waits for HikariCP).
     */
    PhysicalConnection lend() throws SQLException {
        PhysicalConnection reused;
        while ((reused = takeIdle()) != null) {
            if (!closedBehindThePool(reused)) {
                return reused;
            }
            discard(reused);
        }
        if (!reserve()) {
            return null;
        }
        PhysicalConnection opened;
        try {
            opened = factory.open();
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
        discard(opened); // the pool closed while it opened
        return null;
    }

    private synchronized PhysicalConnection takeIdle() {
        PhysicalConnection taken = idle.pollFirst();
        if (taken != null) {
            lent.add(taken);
            sizing.resized(open, idle.size());
        }
        return taken;
    }

    /** Room for one more: the file below its maximum, and HikariCP left one slot. */
    private synchronized boolean reserve() {
        int hikariFloor = 1 + (sizing.firstOpen() ? 1 : 0);
        if (closed || open + hikariFloor >= maximumPoolSize
                || open + sizing.othersOpen() >= maximumPoolSize) {
            return false;
        }
        open++;
        sizing.resized(open, idle.size());
        return true;
    }

    private synchronized void release() {
        open--;
        sizing.resized(open, idle.size());
    }

    /**
     * Back from its lease: idle for the next borrower or HikariCP, or closed when the lease was evicted, the pool is
     * closing, or something closed it.
     *
     * @return whether it waits idle now (HikariCP may be asked to adopt it)
     */
    boolean giveBack(PhysicalConnection connection, boolean evicted) {
        synchronized (this) {
            if (!lent.remove(connection)) {
                return false; // closed with the pool while lent
            }
            if (!closed && !evicted && !closedBehindThePool(connection)) {
                idle.addLast(connection);
                sizing.resized(open, idle.size());
                return true;
            }
        }
        discard(connection);
        return false;
    }

    /**
     * For HikariCP's adder, through the pool's factory: an idle connection of this set, which becomes HikariCP's (its
     * slot moves to HikariCP's maximum); null when none is idle, and HikariCP opens one.
     */
    PhysicalConnection adopt() {
        synchronized (this) {
            PhysicalConnection adopted = idle.pollFirst();
            if (adopted != null) {
                open--;
                sizing.resized(open, idle.size());
            }
            return adopted;
        }
    }

    synchronized int lentCount() {
        return lent.size();
    }

    synchronized int idleCount() {
        return idle.size();
    }

    synchronized int openCount() {
        return open;
    }

    /** Applies the current counts again: the first connection closed, or HikariCP just started. */
    synchronized void resize() {
        sizing.resized(open, idle.size());
    }

    /** Closes every connection of the set, lent ones too: the pool is closing, as HikariCP aborts what is still lent. */
    void close() {
        PhysicalConnection[] all;
        synchronized (this) {
            closed = true;
            all = new PhysicalConnection[idle.size() + lent.size()];
            int i = 0;
            for (PhysicalConnection connection : idle) {
                all[i++] = connection;
            }
            for (PhysicalConnection connection : lent) {
                all[i++] = connection;
            }
            idle.clear();
            lent.clear();
            open -= all.length;
        }
        for (PhysicalConnection connection : all) {
            closeQuietly(connection);
        }
    }

    /** Closes a connection that leaves the set, and frees its slot. */
    private void discard(PhysicalConnection connection) {
        synchronized (this) {
            lent.remove(connection);
            open--;
            sizing.resized(open, idle.size());
        }
        closeQuietly(connection);
    }

    private static boolean closedBehindThePool(PhysicalConnection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
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
