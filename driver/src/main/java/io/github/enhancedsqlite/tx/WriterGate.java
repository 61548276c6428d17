package io.github.enhancedsqlite.tx;

import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one writer turn of one database inside this JVM. SQLite lets one connection write at a time; waiting
 * for that here, in a queue, replaces SQLite's busy handler, which sleeps and polls and lets late comers
 * overtake for seconds. Readers never pass through the gate.
 *
 * <p>The queue is first-come-first-served once a waiter has waited the fairness window ({@code
 * writerFairnessWindow}): from then on every release hands the turn straight to the longest waiter. Before that, a
 * writer that finds the turn free takes it and a release wakes nobody. On a small machine waking a parked thread
 * costs more than an auto-commit write, so handing over on every release (as a fair lock does, even when a running
 * thread then takes the turn first and the woken one only parks again) halves write throughput; the window bounds
 * how long anyone is overtaken. Where the writers are few among threads doing other work, though, nobody running takes
 * the turn a release leaves free, and it would sit idle until the head looks: there releases wake the head, as long as
 * the head's own looks show that this helps ({@code wakeOnRelease}).
 */
public final class WriterGate {

    /** How often the head of the queue, not yet due, looks whether the turn was left free. */
    private static final long HEAD_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * How long a writer that finds the turn taken keeps looking for it, yielding its core between looks, before it
     * parks in the queue. A turn is held for tens of microseconds by a transaction that only writes a row, and a
     * parked writer comes back only when it is the head and looks, or is handed the turn: among threads that mostly
     * read (YCSB), writers that parked at once waited 3–20 ms behind a queue while running writers took over a hundred
     * turns, and that wait was the mix's p99. Looking for up to 1 ms (about thirty such turns) before parking caught
     * the turn in almost every case. Yielding rather than spinning hands the core to whoever is runnable, the holder
     * included, where threads outnumber cores; where cores are idle a look costs at most 1 ms of one of them per wait.
     * (A look halved after each look that ran out and doubled after each that caught the turn was tried: two of three
     * YCSB runs had the old p99 again, 7.5 and 6.9 ms. Letting only one writer look at a time did too.)
     */
    private static final long LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * How often a waiter looks whether the holder of the turn is stuck behind a lock the waiter holds ({@link
     * LockCycle}). A writer seldom waits this long, and then mostly for a holder that is running (which costs no look
     * at all) or waits for another process; a look at a parked holder costs tens of microseconds, and the cycle it
     * finds would otherwise last {@code writerTimeout}.
     */
    private static final long CYCLE_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * How long a writer waits before it asks a holder whose thread is running to give the turn up ({@link
     * Holder#giveTurnUp}); a holder whose thread waits for something else is asked at every look. Only a transaction
     * that began as a writer by guess and has only read agrees: a report iterating its rows.
     */
    private static final long RUNNING_HOLDER_ASKED_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String database;
    /** How long a waiter may be overtaken; after it, it is due and the turn is handed to it (see {@link #window()}). */
    private final long windowNanos;
    private final DatabaseMetrics metrics;
    /** The connection (its transaction control) that holds the turn, or null when the turn is free. */
    private final AtomicReference<Object> holder = new AtomicReference<>();
    /** The thread that took the turn; written only by the holder, read for the self-deadlock check. */
    private volatile Thread holderThread;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    /**
     * Whether a release wakes the head of the queue to compete for the turn it leaves free. Learned from the head's own
     * looks: set when a look of its own (its poll) finds the turn left free — the writers around are busy with
     * something else, typically reading, and the turn sat idle until the head looked —; cleared when a head woken by a
     * release finds a running writer took the turn first, so the wake only cost a thread switch (writers that never
     * stop writing). Races are harmless: a wrong guess costs one wasted wake or one poll interval.
     */
    private volatile boolean wakeOnRelease;
    /** How long a writer that finds the turn taken looks for it before parking; {@link #LOOK_NANOS} but in tests. */
    private final long lookNanos;
    /** Turns given back so far; written only by the holder, before it gives the turn up. */
    private volatile long releases;
    /** The writers of other processes on the same file, queued in the kernel; null for an in-memory database. */
    private final ProcessQueue processes;
    /** The database file, looked at before each transaction's first write ({@link #refuseWriteIfMoved}); or null. */
    private final OpenedFile opened;
    /** Runs on a releasing thread every {@code releasesPerAction} turns, after the turn is given back; or null. */
    private volatile Runnable everyFewWrites;
    private volatile int releasesPerAction = Integer.MAX_VALUE;

    public WriterGate(String database, long windowNanos, DatabaseMetrics metrics) {
        this(database, null, false, windowNanos, metrics);
    }

    /**
     * @param file        the database file, whose writers in other processes queue with this JVM's; null: none
     * @param createdHere the pool created the file: its writers join the other processes' queue only once another
     *                    process has created it (see {@link ProcessQueue})
     */
    public WriterGate(String database, Path file, boolean createdHere, long windowNanos, DatabaseMetrics metrics) {
        this(database, file, createdHere, null, windowNanos, metrics);
    }

    /**
     * @param opened the database file, so that a write after it was renamed or deleted is refused with
     *               SQLITE_READONLY_DBMOVED rather than go where nobody will find it; null: not looked at
     */
    public WriterGate(String database, Path file, boolean createdHere, OpenedFile opened, long windowNanos,
                      DatabaseMetrics metrics) {
        this(database, file == null ? null
                        : new ProcessQueue(file, database, ProcessQueue.HOLD_NANOS, metrics, createdHere), opened,
                windowNanos, LOOK_NANOS, metrics);
    }

    /** @param holdNanos how long this JVM's writers keep the process's turn among themselves (see {@link ProcessQueue}) */
    WriterGate(String database, Path file, boolean createdHere, long windowNanos, long holdNanos,
               DatabaseMetrics metrics) {
        this(database, file == null ? null : new ProcessQueue(file, database, holdNanos, metrics, createdHere), null,
                windowNanos, LOOK_NANOS, metrics);
    }

    /** @param lookNanos how long a writer that finds the turn taken looks for it before parking */
    WriterGate(String database, long windowNanos, long lookNanos, DatabaseMetrics metrics) {
        this(database, null, null, windowNanos, lookNanos, metrics);
    }

    private WriterGate(String database, ProcessQueue processes, OpenedFile opened, long windowNanos, long lookNanos,
                       DatabaseMetrics metrics) {
        this.database = database;
        this.processes = processes;
        this.opened = opened;
        this.windowNanos = windowNanos;
        this.lookNanos = lookNanos;
        this.metrics = metrics;
    }

    /**
     * Waits for the writer turn.
     *
     * @param owner identifies the connection taking the turn
     * @throws SQLException at once when this thread already holds the turn through another connection that does not
     *                      give it up (it would wait for itself), after {@code timeoutMillis} of waiting, or once the owner's connection
     *                      is closed by another thread or aborted ({@link Holder#stoppedBy()})
     */
    void acquire(Object owner, long timeoutMillis) throws SQLException {
        if (processes == null) {
            acquireInJvm(owner, timeoutMillis);
            refuseIfStopped(owner);
            return;
        }
        processes.arrive(); // before waiting: while any writer of this JVM waits, the process keeps its turn
        try {
            acquireInJvm(owner, timeoutMillis);
        } catch (SQLException | RuntimeException | Error e) {
            processes.depart();
            throw e;
        }
        try {
            processes.enter();
        } catch (SQLException | RuntimeException | Error e) {
            release(owner);
            throw e;
        }
        refuseIfStopped(owner);
    }

    /**
     * Wakes the writer of {@code owner} if it waits for the turn, so that it sees {@link Holder#stoppedBy()} and
     * stops waiting. The holder sets what that returns first: a writer not yet parked sees it before it parks.
     */
    public void wake(Object owner) {
        for (Waiter waiter : waiters) {
            if (waiter.owner == owner) {
                LockSupport.unpark(waiter.thread);
            }
        }
    }

    /**
     * A turn granted as the owner's connection was closed or aborted is given back: the lease is over, and the turn
     * would stay with a connection nobody will end a transaction on.
     */
    private void refuseIfStopped(Object owner) throws SQLException {
        String stoppedBy = stoppedBy(owner);
        if (stoppedBy != null) {
            release(owner);
            throw stopped(stoppedBy);
        }
    }

    /**
     * Refuses a transaction's first write when the path no longer names the file the connections have open. SQLite
     * makes this check (one stat) before each write transaction's first write in rollback-journal mode; in WAL mode it
     * makes none, and the write would go into a renamed file or be lost with a deleted one. A transaction that only
     * reads is not refused, as SQLite does not refuse it. Called just before waiting for the turn — a transaction that
     * begins as a writer looks then too and is refused at its first write —: a stat costs about a microsecond here,
     * and inside the turn every queued writer would wait for it (the auto-commit writers bench lost 7-15% of its
     * throughput, the read-then-update transactions 15-20%); a file that goes while a writer waits or its
     * transaction runs is seen by the next write transaction.
     */
    void refuseWriteIfMoved() throws SQLException {
        if (fileMoved()) {
            throw new DatabaseFileMoved(opened.path());
        }
    }

    /** Whether the database file was renamed, deleted or replaced since it was opened (one stat); false in memory. */
    boolean fileMoved() {
        return opened != null && opened.replaced();
    }

    /**
     * How many writer turns this JVM has given back so far. A read transaction that notes it when it begins knows at
     * its first write whether a writer of this JVM may have committed since.
     */
    long turnsEnded() {
        return releases;
    }

    /**
     * Closes this JVM's descriptor of the writers' queue file while no writer of this JVM holds or waits for the turn,
     * so a pool kept open while idle holds none for it; the next writer opens it again. Does nothing while a writer
     * holds or waits for the turn: closing the file would drop the lock the process holds for them.
     */
    public void closeProcessQueueIfFree() {
        if (processes != null) {
            processes.closeIfIdle();
        }
    }

    /** The queue of other processes' writers on the file; null without one (for tests). */
    ProcessQueue processQueue() {
        return processes;
    }

    /** Leaves the queue of other processes' writers; the pool calls it when it closes. */
    public void close() {
        if (processes != null) {
            processes.close();
        }
    }

    private void acquireInJvm(Object owner, long timeoutMillis) throws SQLException {
        Thread current = Thread.currentThread();
        if (wouldWaitForItself(owner) && !turnGivenUp(holder.get())) {
            throw new WriteWouldWaitForItself(database);
        }
        long started = System.nanoTime();
        if (!anyoneDue(started) && holder.compareAndSet(null, owner)) {
            holderThread = current;
            return;
        }
        long deadline = started + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        if (lookedForFreeTurn(owner, started, deadline)) {
            holderThread = current;
            metrics.writerWaited(System.nanoTime() - started);
            return;
        }
        Waiter waiter = new Waiter(current, owner, started + window());
        waiters.add(waiter);
        long cycleLookAt = started + CYCLE_LOOK_NANOS;
        while (true) {
            boolean wokenByRelease = waiter.wokenByRelease;
            waiter.wokenByRelease = false;
            boolean handedOver = waiter.state.get() == Waiter.GRANTED;
            if (handedOver || takeFreeTurnAsHead(waiter)) {
                if (!handedOver && !wokenByRelease) {
                    wakeOnRelease = true; // the turn sat free until the head looked on its own
                }
                holderThread = current;
                metrics.writerWaited(System.nanoTime() - started);
                return;
            }
            if (wokenByRelease) {
                wakeOnRelease = false; // a running writer took the turn first: the wake was wasted
            }
            long now = System.nanoTime();
            boolean interrupted = Thread.interrupted();
            String stoppedBy = stoppedBy(owner);
            if (now >= deadline || interrupted || stoppedBy != null) {
                metrics.writerWaited(now - started);
                if (waiter.state.compareAndSet(Waiter.WAITING, Waiter.ABANDONED)) {
                    waiters.remove(waiter);
                    wakeHead();
                    if (stoppedBy != null) {
                        if (interrupted) {
                            current.interrupt();
                        }
                        throw stopped(stoppedBy);
                    }
                    throw failure(!interrupted, now - started, timeoutMillis);
                }
                // Granted in the meantime: the turn is ours, take it rather than leak it.
                if (interrupted) {
                    current.interrupt();
                }
                holderThread = current;
                return;
            }
            if (now - cycleLookAt >= 0) {
                cycleLookAt = now + CYCLE_LOOK_NANOS;
                SQLException cycle = stuckHolder(current, now - started);
                if (cycle != null && waiter.state.compareAndSet(Waiter.WAITING, Waiter.ABANDONED)) {
                    waiters.remove(waiter);
                    wakeHead();
                    metrics.writerWaited(now - started);
                    throw cycle;
                }
                if (cycle != null || holder.get() == null) {
                    continue; // granted meanwhile, or the holder gave the turn up: look again at once
                }
            }
            // The head looks every HEAD_POLL_NANOS whether the turn was left free, due or not: a release that looked
            // for due waiters an instant before the head became due hands nothing over, and a head sleeping until its
            // timeout then would hold up every writer queued behind it until then. Other waiters
            // sleep until their window ends and, once due, until a hand-off.
            long wakeAt = waiters.peek() == waiter ? now + HEAD_POLL_NANOS
                    : now - waiter.dueAt >= 0 ? deadline : waiter.dueAt;
            LockSupport.parkNanos(this, Math.min(Math.min(wakeAt, deadline), cycleLookAt) - now);
        }
    }

    /**
     * Looks for the turn to come free for {@code lookNanos}, yielding between looks, and takes it; true when taken.
     * Stops as soon as a parked waiter is due: from then on the turn goes to the queue in order.
     */
    private boolean lookedForFreeTurn(Object owner, long started, long deadline) {
        for (long now = started; now - started < lookNanos && now - deadline < 0; now = System.nanoTime()) {
            if (anyoneDue(now)) {
                return false; // the window is over for the queue's head: no more overtaking it
            }
            if (holder.get() == null && holder.compareAndSet(null, owner)) {
                return true;
            }
            Thread.yield();
        }
        return false;
    }

    /** Whether a writer is parked in the queue now (for tests). */
    boolean anyoneQueued() {
        return !waiters.isEmpty();
    }

    /**
     * Runs {@code work} holding the writer turn on no connection's behalf: background work that no writer of this JVM
     * may overlap (starting the WAL over). Waits in the queue as a writer does, at most {@code timeoutMillis}.
     *
     * @param activity what the work is doing, for a writer that times out behind it ("is ...")
     */
    public <T> T whileHolding(String activity, long timeoutMillis, SqlAction<T> work) throws SQLException {
        Holder owner = () -> activity;
        acquire(owner, timeoutMillis);
        try {
            return work.run();
        } finally {
            release(owner);
        }
    }

    /**
     * Has {@code action} run every {@code releases} writer turns, on the thread giving the turn back and after it has:
     * work a writer would otherwise do while holding the turn (a WAL checkpoint) is handed to a background thread
     * without holding anyone up. Null stops it.
     */
    public void everyFewWrites(int releases, Runnable action) {
        this.releasesPerAction = Math.max(1, releases);
        this.everyFewWrites = action;
    }

    /** Whether the turn is held or waited for now: a writer arriving would wait (a hint; it may change at once). */
    boolean taken() {
        return holder.get() != null || !waiters.isEmpty();
    }

    /** Whether a release now wakes the head of the queue (see {@code wakeOnRelease}). */
    boolean wakesHeadOnRelease() {
        return wakeOnRelease;
    }

    /**
     * Whether the calling thread holds the turn through a connection other than {@code owner}'s: a writer of
     * {@code owner} would wait for its own thread, which only goes on once that writer is done.
     */
    boolean wouldWaitForItself(Object owner) {
        return holderThread == Thread.currentThread() && holder.get() != owner;
    }

    /**
     * Looks at the holder of the turn on behalf of a writer that has waited {@code waitedNanos}. When its thread waits
     * for a lock {@code current} holds, the holder gives the turn up if nothing it did needs it, or else this returns
     * the error that the writer would wait for the cycle. When its thread waits for anything else (another thread's
     * work, a sleep), or has run on for {@link #RUNNING_HOLDER_ASKED_AFTER_NANOS}, the holder is asked to give the turn
     * up: one that has only read by guess holds it for nothing while this writer waits. Null but for the error.
     */
    private SQLException stuckHolder(Thread current, long waitedNanos) {
        Object held = holder.get();
        Thread holding = holderThread;
        if (holding == null || holding == current) {
            return null;
        }
        String lock = LockCycle.lockHeldBy(holding, current);
        if (holder.get() != held) {
            return null;
        }
        if (lock != null) {
            return turnGivenUp(held) ? null : new WriteWouldWaitForItself(database, holding.getName(), lock);
        }
        if (holding.getState() != Thread.State.RUNNABLE || waitedNanos >= RUNNING_HOLDER_ASKED_AFTER_NANOS) {
            turnGivenUp(held);
        }
        return null;
    }

    /** Asks {@code held}, holding the turn a writer waits for, to give it up ({@link Holder#giveTurnUp}). */
    private static boolean turnGivenUp(Object held) {
        return held instanceof Holder && ((Holder) held).giveTurnUp();
    }

    /** Whether {@code owner} holds the turn now. */
    boolean isHeldBy(Object owner) {
        return holder.get() == owner;
    }

    /** Gives the turn back if {@code owner} holds it; otherwise does nothing. */
    void release(Object owner) {
        if (holder.get() != owner) {
            return;
        }
        if (processes != null) {
            processes.yieldIfHeldLong(); // before the JVM's next writer may take the turn and queue again
        }
        boolean actionDue = ++releases % releasesPerAction == 0;
        handOver(owner);
        if (processes != null) {
            processes.depart(); // after the hand-over: giving the process's turn back holds up no writer of this JVM
        }
        Runnable action = everyFewWrites;
        if (actionDue && action != null) {
            action.run();
        }
    }

    private void handOver(Object owner) {
        holderThread = null;
        long now = System.nanoTime();
        for (Waiter head; (head = waiters.peek()) != null; ) {
            if (now - head.dueAt < 0) {
                break;
            }
            // The holder is set before the grant is visible, so the new holder can release as soon as it runs.
            holder.set(head.owner);
            if (head.state.compareAndSet(Waiter.WAITING, Waiter.GRANTED)) {
                waiters.remove(head);
                LockSupport.unpark(head.thread);
                Waiter next = waiters.peek();
                if (next != null && now - next.dueAt < 0) {
                    LockSupport.unpark(next.thread); // the new head is not due yet: it starts watching for a free turn
                }
                return;
            }
            holder.set(owner);
            waiters.remove(head); // abandoned by a timeout or an interrupt
        }
        holder.set(null);
        if (wakeOnRelease) {
            Waiter head = waiters.peek();
            if (head != null) {
                head.wokenByRelease = true;
                LockSupport.unpark(head.thread);
            }
        } else if (anyoneDue(System.nanoTime())) {
            wakeHead(); // a waiter that became due between the look above and now would otherwise sleep until a hand-off
        }
    }

    /**
     * The head of the queue takes a free turn itself; only the head, so the order stays first come first served.
     * Only a holder releases, and a holder exists only while the turn is taken, so a release never races this.
     */
    private boolean takeFreeTurnAsHead(Waiter waiter) {
        if (waiters.peek() != waiter || !holder.compareAndSet(null, waiter.owner)) {
            return false;
        }
        waiter.state.set(Waiter.GRANTED);
        waiters.remove(waiter);
        wakeHead(); // the next in line now watches its own window
        return true;
    }

    private boolean anyoneDue(long now) {
        Waiter head = waiters.peek();
        return head != null && now - head.dueAt >= 0;
    }

    /**
     * How long a waiter may be overtaken now: {@code writerFairnessWindow}, but no longer than the process's hold
     * while writers of other processes take turns with this JVM's. Then this JVM's turn lasts that hold, and a waiter
     * overtaken for the whole window sat out several rounds of every other process's turn: with 4 JVMs × 4 writers on
     * one file, the 20 ms window made a p99 of 31 ms, against 19–21 ms with the hold's 2 ms and raw sqlite-jdbc's
     * 22–26 ms ({@code BenchRunner multi-process}), at the same throughput. A JVM writing alone keeps the window
     * that spares it hand-offs.
     */
    private long window() {
        ProcessQueue queue = processes;
        return queue != null && queue.sharedWithOthers() ? Math.min(windowNanos, queue.holdNanos()) : windowNanos;
    }

    private void wakeHead() {
        Waiter head = waiters.peek();
        if (head != null) {
            LockSupport.unpark(head.thread);
        }
    }

    private static String stoppedBy(Object owner) {
        return owner instanceof Holder ? ((Holder) owner).stoppedBy() : null;
    }

    private SQLException stopped(String stoppedBy) {
        return new SQLNonTransientConnectionException("This statement was waiting for the writer turn of " + database
                + " when its connection was " + stoppedBy + "; it did not run, nothing was applied.", "08003");
    }

    private SQLException failure(boolean timedOut, long waitedNanos, long timeoutMillis) {
        if (!timedOut) {
            Thread.currentThread().interrupt();
            return new SQLException("Interrupted while waiting for the writer turn of " + database, "HY008");
        }
        Thread blocking = holderThread;
        Object owner = holder.get();
        String doing = processes != null ? processes.activity() : null;
        if (doing == null && owner instanceof Holder) {
            doing = ((Holder) owner).activity();
        }
        return new SQLTimeoutException("Waited " + TimeUnit.NANOSECONDS.toMillis(waitedNanos)
                + " ms for the writer turn of " + database + " (writerTimeout=" + timeoutMillis + " ms); it is held"
                + (blocking == null ? "" : " by thread '" + blocking.getName() + "'")
                + (doing == null ? ". A transaction is staying open too long" : ", which " + doing)
                + ". Commit sooner, or raise writerTimeout.", "HYT00");
    }

    /** A connection that can say what it is doing while it holds the turn. */
    interface Holder {
        /** A clause to follow "which", or null when it cannot tell. */
        String activity();

        /**
         * Why its writer must stop waiting for the turn (its connection was closed by another thread, or aborted), or
         * null to go on waiting; see {@link #wake}.
         */
        default String stoppedBy() {
            return null;
        }

        /**
         * A writer waits for the turn this holder took: on the holder's own thread, on a thread holding a lock the
         * holder's thread waits for, or behind a holder whose thread waits for something else or has held it long.
         * Gives the turn up if nothing this holder did needs it; true when it did. Called on the waiting writer's
         * thread, possibly while the holder's own thread runs on.
         */
        default boolean giveTurnUp() {
            return false;
        }
    }

    /** One parked writer; its state moves once, from waiting to granted (by a hand-off or itself) or abandoned. */
    private static final class Waiter {
        static final int WAITING = 0;
        static final int GRANTED = 1;
        static final int ABANDONED = 2;

        final Thread thread;
        final Object owner;
        /**
         * When it stops being overtaken: fixed when it arrives, so that a waiter once due stays due (a window that
         * grew back while it waited for its hand-off left it parked until its timeout, never handed the turn).
         */
        final long dueAt;
        final AtomicInteger state = new AtomicInteger(WAITING);
        /** Unparked by a release that left the turn free (see {@code wakeOnRelease}); read and reset by the waiter. */
        volatile boolean wokenByRelease;

        Waiter(Thread thread, Object owner, long dueAt) {
            this.thread = thread;
            this.owner = owner;
            this.dueAt = dueAt;
        }
    }
}
