package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.jdbc.PhysicalConnection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pool's first physical connection, lent by the pool itself. A process that uses one connection at a time — a hook
 * run per event, a test suite's file per test — never starts HikariCP, whose classes, threads, per-lease proxies and
 * pool start were about a tenth of a one-shot process's CPU and most of a short-lived file's. When a second connection
 * is wanted while this one is lent, {@link DatabasePool} starts HikariCP and retires this one: it is lent no more and
 * closes when it comes back (or at once, if idle). Evicted (a lease that altered the session, an abort) or found
 * closed behind the pool's back, it retires too.
 */
final class FirstConnection implements OwnConnections {

    private final PhysicalConnection physical;
    private final Runnable onClosed;
    private final AtomicBoolean lent = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean retired;

    /** @param onClosed runs once, after the connection closed */
    FirstConnection(PhysicalConnection physical, Runnable onClosed) {
        this.physical = physical;
        this.onClosed = onClosed;
    }

    /** The connection, now lent; null when it is lent already or retired. */
    PhysicalConnection lend() {
        if (retired || !lent.compareAndSet(false, true)) {
            return null;
        }
        if (retired || closedBehindThePool()) { // retired meanwhile, or closed by something else while idle
            retired = true;
            lent.set(false);
            closeIfIdle();
            return null;
        }
        return physical;
    }

    private boolean closedBehindThePool() {
        try {
            return physical.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    @Override
    public void giveBack(PhysicalConnection connection, boolean evicted) {
        giveBack(evicted);
    }

    /** Back from its lease: closed when it was evicted or retired meanwhile, else free to lend again. */
    void giveBack(boolean evicted) {
        if (evicted) {
            retired = true;
        }
        lent.set(false);
        if (retired) {
            closeIfIdle();
        }
    }

    /** Lends no more: closes now when idle, else when it comes back. */
    void retire() {
        retired = true;
        closeIfIdle();
    }

    /** Closes it even while lent: the pool is closing, as HikariCP aborts what is still lent when it shuts down. */
    void close() {
        retired = true;
        closeOnce();
    }

    boolean isRetired() {
        return retired;
    }

    /** Whether a lease holds it now. */
    boolean isLent() {
        return lent.get() && !closed.get();
    }

    /** Whether it is still open (lent or idle). */
    boolean isOpen() {
        return !closed.get();
    }

    private void closeIfIdle() {
        if (!lent.get()) {
            closeOnce();
        }
    }

    private void closeOnce() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            physical.close();
        } catch (SQLException | RuntimeException e) {
            // nothing to do about it: the connection is gone from the pool either way
        } finally {
            onClosed.run();
        }
    }
}
