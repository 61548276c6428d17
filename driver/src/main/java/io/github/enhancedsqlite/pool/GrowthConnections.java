package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.jdbc.PhysicalConnection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Connections a lazily started pool lends itself while HikariCP grows, and the count that keeps the file within
 * {@code maximumPoolSize}. HikariCP opens one connection at a time and sleeps 30 ms after each, so a burst of borrowers
 * on a pool that holds one connection waited 30, 60, 90 ms for connections that take about a millisecond to open. A
 * borrower that finds HikariCP without an idle connection opens one here instead, on its own thread; given back, the
 * connection waits idle for the next such borrower, and HikariCP adopts it as its next connection (the pool's factory
 * hands it over, see {@link #forHikari}), so the burst leaves HikariCP's pool as large as the burst needed and these
 * connections leave no trace.
 *
 * <p>Every physical connection of the file — the first, these, HikariCP's — holds one of {@code maximumPoolSize} slots
 * from before it opens until it has closed: these take one only while one is free (and leave HikariCP at least one),
 * HikariCP's adder waits for one (or for a connection here to adopt) in the factory. HikariCP's own size only tells it
 * when to try; the slots make the bound exact.
 */
final class GrowthConnections implements PhysicalConnectionFactory.Slots, OwnConnections {

    /** What HikariCP's size follows, and what the pool does when it changes. */
    interface Sizing {
        /** Whether the first connection is still open. */
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
    /** Guarded by this: the set's connections, reserved while being opened, lent, or idle. */
    private int open;
    /** Guarded by this: slots held by the file's connections, reserved or open, of every kind. */
    private int slots;
    /** Guarded by this. */
    private boolean closed;

    /** @param slotsHeld slots the pool's connections hold already (its first connection's) */
    GrowthConnections(int maximumPoolSize, int slotsHeld, PhysicalConnectionFactory factory, Sizing sizing) {
        this.maximumPoolSize = maximumPoolSize;
        this.slots = slotsHeld;
        this.factory = factory;
        this.sizing = sizing;
    }

    /**
     * A connection lent now: an idle one of this set, else one opened on this thread if a slot is free; null when none
     * is (the borrower waits for HikariCP).
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

    /** A free slot for one more, HikariCP left at least one of its own. */
    private synchronized boolean reserve() {
        int hikariFloor = 1 + (sizing.firstOpen() ? 1 : 0);
        if (closed || open + hikariFloor >= maximumPoolSize || slots >= maximumPoolSize) {
            return false;
        }
        slots++;
        open++;
        sizing.resized(open, idle.size());
        return true;
    }

    /** A reserved connection did not open. */
    private synchronized void release() {
        open--;
        slots--;
        sizing.resized(open, idle.size());
        notifyAll();
    }

    /**
     * Back from its lease: idle for the next borrower or HikariCP, or closed when the lease was evicted, the pool is
     * closing, or something closed it.
     */
    @Override
    public void giveBack(PhysicalConnection connection, boolean evicted) {
        synchronized (this) {
            if (!lent.remove(connection)) {
                return; // closed with the pool while lent
            }
            if (!closed && !evicted && !closedBehindThePool(connection)) {
                idle.addLast(connection);
                sizing.resized(open, idle.size());
                notifyAll(); // HikariCP's adder may be waiting in forHikari
                return;
            }
        }
        discard(connection);
    }

    /**
     * For HikariCP's adder, through the pool's factory: an idle connection of this set, which becomes HikariCP's (its
     * slot with it); else null once a slot is reserved for the connection the factory then opens. Waits while every
     * slot is held and nothing is idle here: HikariCP decided to grow on a size it read before a borrower took the
     * slot. When the pool closes it waits no more.
     */
    @Override
    public synchronized PhysicalConnection forHikari() {
        boolean interrupted = false;
        try {
            while (true) {
                PhysicalConnection adopted = idle.pollFirst();
                if (adopted != null) {
                    open--;
                    sizing.resized(open, idle.size());
                    return adopted;
                }
                if (closed || slots < maximumPoolSize) {
                    slots++;
                    return null;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true; // HikariCP shutting down: the pool closes too and wakes this
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The connection {@link #forHikari} reserved a slot for did not open. */
    @Override
    public synchronized void unused() {
        slots--;
        notifyAll();
    }

    /** A connection of the file closed, whoever held it: its slot is free. */
    @Override
    public synchronized void closed() {
        slots--;
        notifyAll();
    }

    /** A connection lent beyond the size opens: its close frees the slot it takes here, not one of the others'. */
    @Override
    public synchronized void beyondTheSize() {
        slots++;
    }

    synchronized int lentCount() {
        return lent.size();
    }

    synchronized int idleCount() {
        return idle.size();
    }

    /** The file's connections, reserved or open, of every kind: the pool's total. */
    synchronized int slotsHeld() {
        return slots;
    }

    /** Applies the current counts again: the first connection closed, or HikariCP just started. */
    synchronized void resize() {
        sizing.resized(open, idle.size());
    }

    /**
     * Closes every connection of the set, lent ones too (the pool is closing, as HikariCP aborts what is still lent),
     * and lets HikariCP's adder go on without waiting for a slot.
     */
    void close() {
        PhysicalConnection[] all;
        synchronized (this) {
            closed = true;
            notifyAll();
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

    /** Closes a connection that leaves the set (its slot is freed by {@link #closed} when it has closed). */
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
