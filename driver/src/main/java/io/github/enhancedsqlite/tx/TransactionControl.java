package io.github.enhancedsqlite.tx;

import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * Transactions of one physical connection, run by SQL we issue ourselves. sqlite-jdbc stays in auto-commit
 * mode underneath, because its own transaction handling begins eagerly with a plain BEGIN: a read-then-write
 * transaction then fails with SQLITE_BUSY_SNAPSHOT when another connection commits in between.
 *
 * <p>Here {@code setAutoCommit(false)} begins nothing; the first statement does. With transaction_mode=DEFERRED (the
 * default) a first statement that only reads begins a reader ({@link #beginReader}: {@code BEGIN DEFERRED}, no
 * writer turn), unless transactions beginning with that statement were learned to write ({@link TransactionShapes});
 * the reader takes the database's {@link WriterGate} turn at its first write ({@link #upgrade}). If no writer
 * committed since its snapshot, the write simply proceeds; otherwise its reads are checked ({@link ReadLog}) in a
 * fresh {@code BEGIN IMMEDIATE}, and it continues only if they give the same rows, else it is rolled back with
 * 40001. Every other transaction of a connection that may write begins {@code BEGIN IMMEDIATE} (or the configured
 * mode) after taking the turn. Auto-commit writes take the turn for one statement. The turn is given back on commit,
 * rollback, timeout and close, so a pooled connection never sits idle holding it.
 *
 * <p>Used by the thread holding the lease (JDBC lets several threads share one connection), and by the sweep that
 * rolls back an expired transaction. State changes happen under {@link #lock}; running statements do not (the sweep
 * must be able to interrupt them). Nothing waits for the writer turn while holding the lock: the thread holding the
 * turn may be another user of this same connection, and it needs the lock to give the turn back. The sweep only
 * ever tries the lock, so one connection busy in a COMMIT's retries cannot hold up the timeouts of the whole JVM.
 */
public final class TransactionControl implements WriterGate.Holder, BusyRetry.Observer {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionControl.class);
    private static final String NO_TRANSACTION_ACTIVE = "no transaction is active";
    private static final String NESTED_BEGIN = "within a transaction";

    /** sqlite-jdbc's connection, kept in auto-commit mode. */
    private final Connection sqlite;
    private final WriterGate gate;
    private final BusyRetry retry;
    private final TransactionSettings settings;
    private final DatabaseMetrics metrics;
    /** The timeouts of the database's transactions, owned by its pool. */
    private final TransactionDeadlines deadlines;
    /** What transactions of this database beginning with a given statement went on to do. */
    private final TransactionShapes shapes;
    /** The originals of envelopes a reader's reads returned, for the check at its first write. */
    private final StoredOriginals originals;

    /** The open transaction is a reader of a connection that may write: it has not taken the writer turn yet. */
    private volatile boolean reader;
    /** The writer turns this JVM had ended when the reader began ({@link WriterGate#turnsEnded()}). */
    private long turnsAtBegin;
    /** The reads of the open reader, for the check at its first write. */
    private final ReadLog reads = new ReadLog();
    /**
     * The digests of the open reader's reads in its own snapshot, taken before it ended that snapshot to wait for the
     * writer turn (see {@link #endSnapshotBeforeWaiting}); null while it keeps its snapshot.
     */
    private List<byte[]> readsBeforeWait;
    /**
     * A savepoint was set in the open transaction: rolling a reader back to re-begin it as a writer would drop it, and
     * so would a writer's commit to give its turn up ({@link #giveTurnUp}).
     */
    private boolean savepointSet;
    /**
     * The open reader began as a writer and gave the turn to another connection of its thread: what it read before
     * that was not kept, so its reads cannot be checked ({@link #giveTurnUp}).
     */
    private boolean readsUnkept;
    /** The reader just took the turn and its first write is about to try SQLite's write lock (see runStatement). */
    private boolean firstWritePending;
    /**
     * What the open transaction is learned under in {@link TransactionShapes} (the application SQL of the statement
     * that began it, perhaps with its code path), when that statement only read.
     */
    private String shapeKey;
    /** A statement that may write ran in the open transaction. */
    private boolean wrote;
    /**
     * The database file had been renamed or deleted when the open transaction, begun as a writer, waited for the turn:
     * its first write is refused ({@link WriterGate#refuseWriteIfMoved}). Looked at before the wait, not at that write,
     * which runs inside the turn every other writer waits for.
     */
    private boolean fileMovedAtBegin;
    /** A statement that changed the schema ran in the open transaction. */
    private boolean changedSchema;
    /** The 40001 this control raised itself, passed through {@link #failed} as it is. */
    private SQLException raised;

    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean autoCommit = true;
    private volatile boolean readOnly;
    /**
     * The savepoint that began the open transaction because it was set in auto-commit mode: releasing it ends the
     * transaction and returns to auto-commit, as SQLite's outermost RELEASE does. Null otherwise.
     */
    private NamedSavepoint openedBySavepoint;
    /** The open transaction was opened by the application's own BEGIN or SAVEPOINT, not by us. */
    private boolean openedByApplication;
    /**
     * The application's BEGIN or SAVEPOINT that is opening the transaction is running now: if it fails, no
     * transaction opened (a failing BEGIN inside an open one leaves that one open).
     */
    private boolean applicationOpening;
    /**
     * In manual mode, the application's own COMMIT or ROLLBACK ended the transaction. sqlite-jdbc begins its manual
     * transaction again only in commit() and rollback(), so there the application's next BEGIN opens the transaction
     * rather than failing as nested: here too. Cleared by commit(), rollback(), a mode change and the lease's end.
     */
    private boolean endedByApplication;
    /** When the open transaction began ({@link System#nanoTime()}); for the writer-timeout message. */
    private volatile long beganNanos;
    /** Since when a call of this connection has been waiting out another connection's lock, or 0. */
    private volatile long busySinceNanos;
    private volatile int busyAttempts;
    private volatile String busyMessage;
    /** A transaction is open: begun by us, or by the application's own BEGIN while in auto-commit mode. */
    private volatile boolean active;
    /** Why the open transaction was rolled back under the application; calls fail until it acknowledges. */
    private volatile String abortedReason;
    /**
     * Why a statement of this connection must stop waiting for the writer turn or for another process's lock: the
     * lease was closed by another thread, or aborted. Null while the lease is live.
     */
    private volatile String stoppedBy;
    /** A rollback we needed failed: the connection's state is unknown, so the pool must drop it. */
    private volatile boolean broken;
    /** A statement of this connection is running now; the timer interrupts it rather than rolling back under it. */
    private volatile boolean executing;
    /** When the open transaction expires ({@link System#nanoTime()}), or {@link Long#MAX_VALUE}: none to expire. */
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private int savepointIds;
    /**
     * BEGIN, COMMIT, ROLLBACK and the read-only pragmas, each compiled once per connection: compiling them for every
     * transaction cost about a tenth of a short write transaction. Used under this object's lock only.
     */
    private final Map<String, PreparedStatement> fixedStatements = new HashMap<>();

    public TransactionControl(Connection sqlite, WriterGate gate, BusyRetry retry, TransactionSettings settings,
                              DatabaseMetrics metrics, TransactionDeadlines deadlines, TransactionShapes shapes,
                              StoredOriginals originals) {
        this.sqlite = sqlite;
        this.shapes = shapes;
        this.originals = originals;
        this.deadlines = deadlines;
        this.metrics = metrics;
        this.gate = gate;
        this.retry = retry;
        this.settings = settings;
    }

    /** Starts the query timeout of one execution on the database's timer; null when the statement has none. */
    public QueryDeadline queryDeadline(int seconds) throws SQLException {
        return QueryDeadline.start(deadlines.timer(), sqlite, seconds);
    }

    public boolean inTransaction() {
        return active;
    }

    public boolean autoCommit() {
        return autoCommit;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** Runs a call through the busy retry, letting a writer that times out behind it learn that it is retrying. */
    public <T> T retrying(SqlAction<T> action) throws SQLException {
        return retry.call(action, this);
    }

    /**
     * Prepares for one statement: fails if the transaction was rolled back underneath, begins a transaction
     * lazily, takes the writer turn for an auto-commit write or for the application's own BEGIN.
     *
     * @param writes    the statement may write
     * @param opensTransaction the statement is the application's own BEGIN or SAVEPOINT
     * @param endsTransaction the statement is the application's own COMMIT, END or ROLLBACK
     * @param sql       the application's SQL, which names the shape of a transaction it begins
     * @return true when the turn was taken for this statement alone (give it back in {@link #afterStatement})
     */
    public boolean beforeStatement(boolean writes, boolean opensTransaction, boolean endsTransaction, String sql)
            throws SQLException {
        if (endsTransaction && autoCommit && abortedReason != null) {
            acknowledgeAbort();
        }
        if (autoCommit && !active && !writes && !opensTransaction) {
            // a read in auto-commit mode outside any transaction needs no turn and begins nothing, and no other
            // thread changes this state (the timeout only acts on an open transaction; only this connection's own
            // calls open one): the lock below, taken for every other statement, would cost every point read
            checkNotAborted();
            return false;
        }
        boolean turnTaken = false; // taken by this call and not yet handed to a transaction or a statement
        boolean fileMoved = false; // seen before the wait by a transaction that begins as a writer, for its first write
        String shape = null; // the key of the transaction this statement may begin, in TransactionShapes
        boolean guessedWriter = false; // this statement only reads, and begins a writer because of its shape
        boolean readerInstead = false; // its wait for the turn found a lock cycle: it begins as a reader
        try {
            while (true) {
                guessedWriter = false;
                lock.lock();
                try {
                    checkNotAborted();
                    if (active) {
                        savepointSet |= opensTransaction;
                        if (!reader || !writes) {
                            if (writes && !wrote && fileMovedAtBegin) {
                                gate.refuseWriteIfMoved();
                            }
                            wrote |= writes;
                            return false; // the statement joins the open transaction
                        }
                        if (turnTaken) {
                            turnTaken = false; // from here the turn belongs to the transaction
                            upgrade();
                            return false;
                        }
                        if (readsBeforeWait == null && gate.taken()) {
                            endSnapshotBeforeWaiting();
                        }
                    } else if (!autoCommit && !opensTransaction && !writes && !readOnly && settings.readersFirst()) {
                        if (shape == null) {
                            shape = shapes.keyOf(sql); // once: a statement learned per path walks the stack for it
                        }
                        // a writer's begin would wait for the turn this thread holds through another connection
                        // (Spring's REQUIRES_NEW inside a write): as a reader it reads, and fails only if it writes
                        if (readerInstead || !shapes.beginsAsWriter(shape) || gate.wouldWaitForItself(this)) {
                            beginReader(shape);
                            return false;
                        }
                        guessedWriter = true;
                    }
                    boolean needsTurn;
                    if (active) {
                        needsTurn = true; // a reader's first write
                    } else if (!autoCommit || opensTransaction) {
                        needsTurn = !readOnly; // a transaction begins: it may write until it ends
                    } else if (writes) {
                        needsTurn = true;
                    } else {
                        return false;
                    }
                    if (!needsTurn || turnTaken) {
                        turnTaken = false; // from here the turn belongs to what begins now
                        if (!autoCommit && !(opensTransaction && endedByApplication)) {
                            begin(false, needsTurn);
                            fileMovedAtBegin = fileMoved;
                            // a learned writer: does it still write?
                            shapeKey = settings.readersFirst() && !writes && needsTurn
                                    ? (shape != null ? shape : shapes.keyOf(sql)) : null;
                            wrote = writes;
                            return false;
                        }
                        if (opensTransaction) {
                            started(); // the application's own BEGIN runs next; it keeps the turn until its COMMIT
                            openedByApplication = true;
                            applicationOpening = true;
                            fileMovedAtBegin = fileMoved;
                            return false;
                        }
                        return true;
                    }
                } finally {
                    lock.unlock();
                }
                // before the wait, so the stat stays out of the turn that other writers queue for
                if (writes) {
                    gate.refuseWriteIfMoved();
                } else {
                    fileMoved = gate.fileMoved(); // a transaction begins as a writer: refused at its first write
                }
                try {
                    awaitTurn();
                } catch (WriteWouldWaitForItself cycle) {
                    if (!guessedWriter) {
                        throw cycle;
                    }
                    // the holder waits for a lock this thread holds: a statement that only reads needs no turn
                    readerInstead = true;
                    continue;
                }
                turnTaken = true;
            }
        } finally {
            if (turnTaken) {
                gate.release(this); // the state changed while this call waited, and nothing needs the turn now
            }
        }
    }

    /** Waits for the writer turn; never with the lock held, since the holder may need it to give the turn back. */
    private void awaitTurn() throws SQLException {
        gate.acquire(this, settings.writerTimeoutMillis());
    }

    /**
     * The open reader, holding the writer turn now, becomes the writer. When no writer of this JVM ended its turn
     * since the reader began, its first write simply tries SQLite's write lock ({@link #runStatement}): SQLite grants
     * it only if nobody committed since the reader's snapshot, so nothing the transaction read can have changed.
     * Otherwise someone may have committed, and the reads are checked before the write runs. Called with the lock held.
     */
    private void upgrade() throws SQLException {
        reader = false;
        wrote = true;
        if (readsBeforeWait != null) {
            List<byte[]> seen = readsBeforeWait;
            readsBeforeWait = null;
            settleCheck(beginWriterAndCompare(seen), null);
        } else if (gate.turnsEnded() == turnsAtBegin || readsUnkept) {
            // unkept reads cannot be checked: trying the write is then its one chance, and SQLite refuses it if stale
            firstWritePending = true;
        } else {
            checkReads(null);
        }
    }

    /**
     * A writer waits for the turn this connection holds ({@link WriterGate.Holder#giveTurnUp}): on this connection's own
     * thread, on a thread holding a lock this one's thread waits for, or behind it while its thread waits for
     * something else or has held the turn long. A transaction that began as a writer only because its first statement
     * read (a guess of {@link TransactionShapes}) and has only read since gives the turn up and goes on as a reader in
     * the same snapshot: Spring Batch's cursor reader holds a SELECT open on a connection of its own while its thread
     * writes each chunk through another; its multi-threaded paging reader reads each page under one lock; a report
     * iterates its rows for seconds; a read-only transaction waits for a write it handed to another thread.
     * {@code COMMIT} ends SQLite's write transaction, which wrote nothing, and {@code BEGIN DEFERRED} with a read
     * begins the reader, all under sqlite-jdbc's lock of the connection, so a statement of the connection's own thread
     * runs before or after, never between. A result set still open keeps the old snapshot through the commit; without
     * one, no other connection can have committed while this one held the write lock, so the new snapshot is the old
     * one unless another process committed in the instant between, which {@code PRAGMA data_version} tells. Then the
     * transaction is rolled back with the reason, as a timeout rolls one back.
     *
     * @return true when it gave the turn up; false when it holds it for a write, for its savepoints or for a
     *         transaction it did not begin by guess, or runs a statement now, or is busy with a call of another thread
     */
    @Override
    public boolean giveTurnUp() {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            if (!active || reader || wrote || shapeKey == null || openedByApplication || savepointSet || executing
                    || abortedReason != null || !gate.isHeldBy(this)) {
                return false;
            }
            String lost;
            try {
                lost = commitAndBeginReader();
            } catch (SQLException e) {
                return false; // still the writer it was: the waiting writer waits or is refused as before
            }
            if (lost != null) {
                abort("The transaction on " + gateName() + " had only read when another writer needed the writer turn"
                        + " it held; it gave the turn up, but its snapshot could not be kept"
                        + " because " + lost + ". It was rolled back: call rollback() and run it again.");
                return true;
            }
            readsUnkept = true; // before the volatile write that publishes it to recordsReads()
            reader = true;
            gate.release(this);
            turnsAtBegin = gate.turnsEnded();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The SQL of {@link #giveTurnUp}, under sqlite-jdbc's lock of the connection, which each of its calls takes too.
     *
     * @return null when the reader began in the old snapshot, else why not
     * @throws SQLException when the commit failed, and the transaction is still the writer it was
     */
    private String commitAndBeginReader() throws SQLException {
        Object database = sqlite.unwrap(SQLiteConnection.class).getDatabase();
        synchronized (database) {
            long version = dataVersion();
            run("COMMIT");
            try {
                run("BEGIN DEFERRED");
                return dataVersion() == version ? null : "another process committed as it gave the turn up";
            } catch (SQLException e) {
                return "beginning its read transaction again failed (" + e.getMessage() + ")";
            }
        }
    }

    /** SQLite's count of commits by other connections as this connection's snapshot sees it; begins a read if none. */
    private long dataVersion() throws SQLException {
        try (Statement statement = sqlite.createStatement();
             ResultSet version = statement.executeQuery("PRAGMA data_version")) {
            version.next();
            return version.getLong(1);
        }
    }

    /** Whether reads of the open transaction are being recorded: it is a reader that may still come to write. */
    public boolean recordsReads() {
        return reader && !readsUnkept; // unkept reads fail the check whatever is recorded after them
    }

    /**
     * A read of the open reader finished; kept for the check at its first write.
     *
     * @param decoded the result columns whose envelopes the application's getters decode, or null
     */
    public void readDone(String sqlRun, Object[] values, java.util.function.IntPredicate decoded) {
        lock.lock();
        try {
            if (reader && !readsUnkept) {
                reads.add(sqlRun, values, decoded);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs a statement inside the open transaction (never retried there: earlier statements may have read what
     * changed). The first write of a reader that found no writer of this JVM in between tries SQLite's write lock
     * directly; if SQLite reports the database busy (another process holds the lock, or committed since the
     * snapshot: SQLITE_BUSY_SNAPSHOT), nothing was written, the reads are checked, and the statement runs again in
     * the fresh write transaction.
     */
    public <T> T runStatement(SqlAction<T> statement) throws SQLException {
        if (!firstWritePending) {
            return statement.run();
        }
        firstWritePending = false;
        try {
            return statement.run();
        } catch (SQLException e) {
            if (!SqliteErrors.isBusyOrLocked(e) || SqliteErrors.isLockedBySelf(e)) {
                throw e;
            }
            lock.lock();
            try {
                checkReads(e);
            } finally {
                lock.unlock();
            }
            return statement.run();
        }
    }

    /**
     * Settles a reader's upgrade before the driver itself writes on the connection ahead of the statement (recording a
     * compressed column, storing columns plain): such a write would meet a stale snapshot outside
     * {@link #runStatement}, so the reads are checked first instead of trying the statement's write directly.
     */
    public void settleUpgradeBeforeOwnWrites() throws SQLException {
        if (!firstWritePending) {
            return;
        }
        lock.lock();
        try {
            firstWritePending = false;
            checkReads(null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Checks that what the reader read still holds, while it holds the writer turn: runs its reads in its own
     * snapshot, rolls it back, begins {@code BEGIN IMMEDIATE}, runs them again and compares. Same rows: the
     * transaction goes on as a writer, as if it had begun now. Otherwise it is rolled back with 40001, which
     * {@code EnhancedSqlite.inTransaction} replays. Called with the lock held.
     *
     * @param busy the error of a first write that found the snapshot stale, or null when none was tried
     */
    private void checkReads(SQLException busy) throws SQLException {
        String lost = whyNotCheckable();
        if (lost == null) {
            lost = rebeginAsWriter();
        }
        settleCheck(lost, busy);
    }

    /** Why the open reader's reads cannot be checked, or null when they can. */
    private String whyNotCheckable() {
        if (readsUnkept) {
            return "it began as a writer and what it read before it gave the writer turn up was not kept";
        }
        return savepointSet ? "a savepoint was set in it, which beginning again would drop" : reads.notRepeatable();
    }

    /**
     * A reader's first write found the turn taken: rather than wait with its snapshot open, it digests its reads in
     * that snapshot and ends it, and the check finishes once it holds the turn ({@link #upgrade}). A snapshot kept
     * open while waiting would stop every checkpoint from copying past it, and the WAL's restart, which holds this
     * JVM's writers back until the old snapshots end, would wait for the very reader queued behind it, round after
     * round. A reader whose reads cannot be checked waits with its snapshot, as its first write may then still
     * succeed directly. Called with the lock held.
     */
    private void endSnapshotBeforeWaiting() throws SQLException {
        if (whyNotCheckable() != null) {
            return;
        }
        List<byte[]> seen;
        try {
            seen = reads.digests(sqlite, originals);
        } catch (SQLException e) {
            return; // the check at the turn says why, in the snapshot still open
        }
        try {
            run("ROLLBACK");
        } catch (SQLException e) {
            settleCheck("ending its read snapshot failed (" + e.getMessage() + ")", null);
        }
        readsBeforeWait = seen;
    }

    /** Goes on as a writer when {@code lost} is null; else rolls back with 40001, saying why. */
    private void settleCheck(String lost, SQLException busy) throws SQLException {
        if (lost == null) {
            reads.clear();
            return;
        }
        if (shapeKey != null) {
            shapes.conflicted(shapeKey);
        }
        abort("The transaction on " + gateName() + " read before it wrote, and another writer committed in between;"
                + " its reads could not be confirmed because " + lost + ". It was rolled back: run the whole"
                + " transaction again; EnhancedSqlite.inTransaction does.");
        metrics.busyRolledBack();
        raised = new SQLTransactionRollbackException(abortedReason, "40001", busy);
        throw raised;
    }

    /** Re-begins the reader as a writer if its reads give the same rows now; null if so, else why not. */
    private String rebeginAsWriter() {
        List<byte[]> seen;
        try {
            seen = reads.digests(sqlite, originals);
        } catch (SQLException e) {
            return "running them again failed (" + e.getMessage() + ")";
        }
        try {
            run("ROLLBACK");
        } catch (SQLException e) {
            return "ending its read snapshot failed (" + e.getMessage() + ")";
        }
        return beginWriterAndCompare(seen);
    }

    /**
     * Begins the write transaction of a reader whose snapshot has ended and compares its reads with {@code seen}, their
     * digests in that snapshot; null when they give the same rows, else why not.
     */
    private String beginWriterAndCompare(List<byte[]> seen) {
        try {
            run("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            if (SqliteErrors.isBusySnapshot(e)) {
                // a result set of the transaction still open keeps the old snapshot: it cannot be moved forward
                return "a result set it read is still open";
            }
            if (!SqliteErrors.isBusyOrLocked(e)) {
                return "beginning to write failed (" + e.getMessage() + ")";
            }
            try {
                retrying(new FixedSql(this, "BEGIN IMMEDIATE"));
            } catch (SQLException stillBusy) {
                return "beginning to write failed (" + stillBusy.getMessage() + ")";
            }
        }
        try {
            return ReadLog.same(seen, reads.digests(sqlite, originals)) ? null : "what it read has changed";
        } catch (SQLException e) {
            return "running them again failed (" + e.getMessage() + ")";
        }
    }

    /**
     * Begins a read transaction: {@code BEGIN DEFERRED}, without the writer turn; the one place a reader begins.
     * Called with the lock held.
     *
     * @param key the key it is learned under ({@link TransactionShapes#keyOf}); null when not learned
     */
    private void beginReader(String key) throws SQLException {
        turnsAtBegin = gate.turnsEnded(); // before BEGIN: the snapshot comes later, so this errs towards checking
        retrying(new FixedSql(this, "BEGIN DEFERRED"));
        started();
        reader = !readOnly;
        shapeKey = key;
        wrote = false;
        fileMovedAtBegin = false; // a reader looks when it comes to write, before its wait for the turn
    }

    /** After one statement: gives back a turn taken for it, and notices the application's own BEGIN or COMMIT. */
    public void afterStatement(boolean tookTurn, boolean opensTransaction, boolean endsTransaction,
                               boolean releasesSavepoint, boolean succeeded) {
        if (!(tookTurn || opensTransaction || endsTransaction || releasesSavepoint)) {
            return; // nothing to give back or notice: most statements, and no lock taken for them
        }
        lock.lock();
        try {
            if (tookTurn) {
                gate.release(this);
            }
            boolean opening = applicationOpening;
            applicationOpening = false;
            if (active && ((opening && !succeeded) || (endsTransaction && succeeded))) {
                ended();
                endedByApplication = succeeded && !autoCommit;
            } else if (active && openedByApplication && releasesSavepoint && succeeded && !stillInTransaction()) {
                ended(); // RELEASE of the outermost savepoint committed the application's own transaction
                endedByApplication = !autoCommit;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Turns a statement's failure into what the application should see, repairing our state on the way. Busy or
     * locked inside a transaction rolls it back and raises SQLState 40001 so the whole unit can be run again.
     */
    /**
     * A statement that changed the schema ran in the open transaction: transactions beginning as this one did begin
     * as writers from now on ({@link TransactionShapes}).
     */
    public void schemaChanged() {
        lock.lock();
        try {
            changedSchema |= active;
        } finally {
            lock.unlock();
        }
    }

    /** Marks a statement running or finished, so the transaction timeout knows whether to interrupt it. */
    public void executing(boolean running) {
        executing = running;
    }

    public SQLException failed(SQLException error, boolean queryTimedOut, boolean wrote) {
        if (error == raised) {
            raised = null;
            return error; // this control's own 40001: the transaction is rolled back already
        }
        lock.lock();
        try {
            return failedLocked(error, queryTimedOut, wrote);
        } finally {
            lock.unlock();
        }
    }

    private SQLException failedLocked(SQLException error, boolean queryTimedOut, boolean wrote) {
        if (SqliteErrors.isLockedBySelf(error)) {
            return new SQLException("[SQLITE_LOCKED] A statement of this same connection still uses what this one"
                    + " needs (typically a ResultSet left open on a table being dropped or altered): " + error.getMessage()
                    + ". Close that ResultSet or Statement first; waiting cannot help, so nothing was retried.",
                    error.getSQLState(), error.getErrorCode(), error);
        }
        String aborted = abortedReason;
        if (aborted != null) {
            if (active) {
                // the timeout interrupted this statement and left the rollback to this thread
                try {
                    rollbackAndEnd();
                } catch (SQLException e) {
                    broken = true;
                }
            }
            return new SQLTransactionRollbackException(aborted, "40000", error);
        }
        SQLException result = queryTimedOut
                ? new SQLTimeoutException("Statement stopped after its query timeout: " + error.getMessage(), "HYT00",
                        error)
                : error;
        if (!active) {
            return result;
        }
        if (SqliteErrors.isBusyOrLocked(error)) {
            abort("The transaction on " + gateName() + " was rolled back because the database was busy ("
                    + error.getMessage() + "). Run the whole transaction again; EnhancedSqlite.inTransaction does.");
            metrics.busyRolledBack();
            return new SQLTransactionRollbackException(abortedReason, "40001", error);
        }
        boolean interruptedRead = SqliteErrors.isInterrupt(error) && !wrote;
        if (!interruptedRead && SqliteErrors.mayEndTransaction(error) && !stillInTransaction()) {
            ended();
            if (autoCommit) {
                // the application's own BEGIN began it: as on sqlite-jdbc, the error says what happened and the
                // application's COMMIT finds no transaction; there is no rollback() to call in this mode
                return result;
            }
            abortedReason = "SQLite rolled the transaction back after: " + error.getMessage()
                    + ". Call rollback() and run the transaction again.";
            // the vendor code stays: code that tells a duplicate key by SQLITE_CONSTRAINT still can
            return queryTimedOut ? result
                    : new SQLTransactionRollbackException(abortedReason, "40000", error.getErrorCode(), error);
        }
        return result;
    }

    /**
     * Runs a batch of writes in auto-commit mode as one transaction, so it applies whole or not at all. Only
     * BEGIN and COMMIT are retried: sqlite-jdbc empties a batch when it runs, so the batch itself cannot be.
     */
    public <T> T runAsOneTransaction(SqlAction<T> batch) throws SQLException {
        beginNow(true);
        boolean committed = false;
        try {
            T result = batch.run();
            lock.lock();
            try {
                retrying(new FixedSql(this, "COMMIT"));
                ended();
            } finally {
                lock.unlock();
            }
            committed = true;
            return result;
        } finally {
            if (!committed) {
                lock.lock();
                try {
                    if (active) {
                        try {
                            rollbackAndEnd();
                        } catch (SQLException e) {
                            broken = true;
                        }
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /**
     * Begins a transaction at once (unless one is open), taking the writer turn first, outside the lock.
     *
     * @param surelyWrites see {@link #begin(boolean, boolean)}
     * @return true when this call began it
     */
    private boolean beginNow(boolean surelyWrites) throws SQLException {
        boolean turnTaken = false;
        boolean fileMoved = false;
        try {
            while (true) {
                lock.lock();
                try {
                    checkNotAborted();
                    if (active) {
                        return false;
                    }
                    boolean needsTurn = !readOnly;
                    if (!needsTurn || turnTaken) {
                        turnTaken = false;
                        begin(surelyWrites, needsTurn);
                        fileMovedAtBegin = fileMoved;
                        return true;
                    }
                } finally {
                    lock.unlock();
                }
                if (surelyWrites) {
                    gate.refuseWriteIfMoved();
                } else {
                    fileMoved = gate.fileMoved();
                }
                awaitTurn();
                turnTaken = true;
            }
        } finally {
            if (turnTaken) {
                gate.release(this);
            }
        }
    }

    /**
     * Begins a write transaction now, on a connection in manual mode with none open: the writer turn, then BEGIN
     * IMMEDIATE, whatever statement comes first. For the driver's own background writes, which go to sqlite-jdbc
     * directly and so cannot be seen by the lazy begin; their transactions teach {@link TransactionShapes} nothing.
     */
    public void beginWriting() throws SQLException {
        requireManualMode("beginWriting");
        if (!beginNow(true)) {
            throw new SQLException("A transaction is already open on this connection", "25001");
        }
    }

    public void setAutoCommit(boolean on) throws SQLException {
        lock.lock();
        try {
            if (on == autoCommit) {
                return;
            }
            endedByApplication = false;
            if (on && active) {
                commitLocked(); // as JDBC requires: switching auto-commit on commits the open transaction
            }
            autoCommit = on;
        } finally {
            lock.unlock();
        }
    }

    public void commit() throws SQLException {
        lock.lock();
        try {
            requireManualMode("commit");
            endedByApplication = false;
            commitLocked();
        } finally {
            lock.unlock();
        }
    }

    private void commitLocked() throws SQLException {
        checkNotAborted();
        if (!active) {
            return;
        }
        if (readsBeforeWait != null) {
            ended(); // a reader whose write is still waiting for the turn on another thread: its snapshot has ended
            return;
        }
        try {
            retrying(new FixedSql(this, "COMMIT"));
        } catch (SQLException e) {
            if (SqliteErrors.isBusyOrLocked(e)) {
                abort("COMMIT on " + gateName() + " stayed busy and the transaction was rolled back ("
                        + e.getMessage() + "). Run the whole transaction again.");
                metrics.busyRolledBack();
                throw new SQLTransactionRollbackException(abortedReason, "40001", e);
            }
            throw e; // e.g. a deferred foreign key failed: the transaction stays open for the caller to roll back
        }
        ended();
    }

    public void rollback() throws SQLException {
        lock.lock();
        try {
            requireManualMode("rollback");
            endedByApplication = false;
            abortedReason = null;
            if (active) {
                rollbackAndEnd();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * As sqlite-jdbc does, a savepoint set in auto-commit mode starts a transaction; unlike a bare SQL SAVEPOINT it
     * takes the writer turn and begins as configured, so the savepoint is nested in our BEGIN and we remember that
     * it opened the transaction (see {@link #releaseSavepoint}).
     */
    public Savepoint setSavepoint(String name) throws SQLException {
        boolean fromAutoCommit = autoCommit;
        boolean began = false;
        if (fromAutoCommit) {
            began = beginNow(false);
        } else {
            beforeStatement(false, false, false, null); // the lazy BEGIN of a manual-mode connection
        }
        lock.lock();
        try {
            checkNotAborted();
            NamedSavepoint savepoint = new NamedSavepoint(++savepointIds, name);
            savepointSet = true;
            try {
                exec("SAVEPOINT " + savepoint.quotedName());
            } catch (SQLException e) {
                if (began && active) {
                    rollbackAndEnd(); // nothing of the transaction this call began may outlive its failure
                }
                throw e;
            }
            if (fromAutoCommit) {
                autoCommit = false;
                openedBySavepoint = began ? savepoint : null;
            }
            return savepoint;
        } finally {
            lock.unlock();
        }
    }

    public void rollback(Savepoint savepoint) throws SQLException {
        lock.lock();
        try {
            requireManualMode("rollback(Savepoint)");
            checkNotAborted();
            exec("ROLLBACK TO " + ours(savepoint).quotedName());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Releasing the savepoint that began the transaction in auto-commit mode commits it, as SQLite's RELEASE of an
     * outermost savepoint does, and returns the connection to auto-commit mode, where it was before.
     */
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        lock.lock();
        try {
            checkNotAborted();
            NamedSavepoint released = ours(savepoint);
            exec("RELEASE " + released.quotedName());
            if (released == openedBySavepoint && active) {
                commitLocked();
                autoCommit = true;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Read-only maps to {@code PRAGMA query_only}, which, unlike sqlite-jdbc's flag, can change on a live connection. */
    public void setReadOnly(boolean on) throws SQLException {
        lock.lock();
        try {
            if (on == readOnly) {
                return;
            }
            if (active) {
                throw new SQLException(
                        "Cannot change read-only in the middle of a transaction; commit or roll back first.", "25001");
            }
            run(on ? "PRAGMA query_only = 1" : "PRAGMA query_only = 0");
            readOnly = on;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the lease: rolls back what is open, gives back the turn, returns to auto-commit and read-write.
     *
     * @return false when the connection could not be put back in a known state and must not be reused
     */
    public boolean endLease() {
        if (!active && autoCommit && !readOnly && savepointIds == 0 && abortedReason == null && !gate.isHeldBy(this)) {
            // nothing of the lease to undo, the common case of a lease that ran auto-commit statements only; with no
            // transaction open no other thread changes this state, so the lock below (taken for the rest) is not
            // needed to see it
            return !broken;
        }
        lock.lock();
        try {
            abortedReason = null;
            if (active) {
                try {
                    rollbackAndEnd();
                } catch (SQLException e) {
                    broken = true;
                }
            }
            gate.release(this);
            autoCommit = true;
            endedByApplication = false;
            savepointIds = 0;
            openedBySavepoint = null;
            if (readOnly) {
                try {
                    setReadOnly(false);
                } catch (SQLException e) {
                    broken = true;
                }
            }
            return !broken;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs BEGIN; the caller holds the lock and, for a writer, the turn, which a failed BEGIN gives back.
     *
     * @param surelyWrites the transaction is known to write (an auto-commit batch): it takes the write lock at
     *                     BEGIN even in DEFERRED mode, since only BEGIN can be retried when the lock is busy
     * @param writer       the transaction may write: the caller took the turn for it
     */
    private void begin(boolean surelyWrites, boolean writer) throws SQLException {
        if (!writer) {
            beginReader(null);
            return;
        }
        String configured = settings.beginStatement();
        // a writer of the DEFERRED default takes the write lock at once: it holds the turn for writing
        String begin = settings.readersFirst() || surelyWrites && configured.endsWith("DEFERRED") ? "BEGIN IMMEDIATE"
                : configured;
        try {
            retrying(new FixedSql(this, begin));
        } catch (SQLException e) {
            if (writer) {
                gate.release(this);
            }
            throw e;
        }
        started();
    }

    private void started() {
        active = true;
        endedByApplication = false;
        beganNanos = System.nanoTime();
        long timeout = settings.transactionTimeoutMillis();
        if (timeout > 0) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
            deadlineNanos = deadline;
            deadlines.watch(this, deadline);
        }
    }

    private void ended() {
        active = false;
        openedBySavepoint = null;
        openedByApplication = false;
        if (shapeKey != null) {
            if (changedSchema) {
                shapes.changedSchema(shapeKey);
            } else {
                shapes.ended(shapeKey, wrote);
            }
            shapeKey = null;
        }
        reader = false;
        wrote = false;
        changedSchema = false;
        savepointSet = false;
        readsUnkept = false;
        firstWritePending = false;
        readsBeforeWait = null;
        reads.clear();
        if (deadlineNanos != Long.MAX_VALUE) {
            deadlineNanos = Long.MAX_VALUE;
            deadlines.forget(this);
        }
        gate.release(this);
    }

    private void abort(String reason) {
        abortedReason = reason;
        try {
            rollbackAndEnd();
        } catch (SQLException e) {
            broken = true;
            ended();
        }
    }

    private void rollbackAndEnd() throws SQLException {
        try {
            run("ROLLBACK");
        } catch (SQLException e) {
            String message = e.getMessage();
            if (message == null || !message.contains(NO_TRANSACTION_ACTIVE)) {
                throw e;
            }
        } finally {
            ended();
        }
    }

    /**
     * Runs on the timer thread when a transaction outlives transactionTimeout. An idle transaction is rolled back
     * here and its writer turn freed; a running statement is interrupted, and the thread running it rolls back
     * when the statement returns (rolling back under a running statement would fail). Either way the
     * application's next call explains what happened.
     *
     * @param deadline the deadline the sweep saw passed
     * @return false when the connection was busy with a call of its own (a COMMIT retrying, say): the sweep tries
     *         again shortly instead of waiting for it
     */
    boolean expire(long deadline) {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            if (!active || deadlineNanos != deadline) {
                return true; // ended, or already expired, or a later transaction that the sweep did not look at
            }
            deadlineNanos = Long.MAX_VALUE; // expired once: a later sweep must not interrupt it again
            deadlines.forget(this);
            abortedReason = "The transaction on " + gateName() + " was open longer than transactionTimeout ("
                    + settings.transactionTimeoutMillis() + " ms) and was rolled back, "
                    + (gate.isHeldBy(this) ? "freeing the writer turn. Call rollback() and keep transactions short."
                            : "ending the read snapshot that held back the WAL's checkpoints. Call rollback(), and"
                            + " raise transactionTimeout for reads that take longer.");
            if (!executing) {
                try {
                    rollbackAndEnd();
                } catch (SQLException e) {
                    broken = true;
                }
                LOG.warn(abortedReason);
                return true;
            }
        } finally {
            lock.unlock();
        }
        try {
            sqlite.unwrap(SQLiteConnection.class).getDatabase().interrupt();
        } catch (SQLException e) {
            LOG.debug("interrupt failed", e);
        }
        LOG.warn(abortedReason);
        return true;
    }

    @Override
    public void busyWaiting(long sinceNanos, int attempts, SQLException last) {
        busyMessage = last.getMessage();
        busyAttempts = attempts;
        busySinceNanos = sinceNanos;
    }

    @Override
    public void busyWaitOver() {
        busySinceNanos = 0;
    }

    /**
     * The lease is being closed by another thread, or aborted, while a statement of it may be waiting for the writer
     * turn or backing off against another process's lock. That statement has not begun in SQLite: it stops waiting
     * and fails as closed with nothing applied, rather than hold up the close until it got its turn — the closing
     * thread may be the one that would end the transaction it waits behind (a pool closing abandoned connections).
     * A statement already running in SQLite runs on; the close waits for it.
     *
     * @param why completes "its connection was ...", e.g. "closed by another thread"
     */
    public void stopWaiting(String why) {
        stoppedBy = why;
        gate.wake(this);
    }

    /**
     * The close that stopped the waits found no statement of the lease running any more: the connection's next
     * lease may wait for the turn again. (An aborted lease's connection is never lent again.)
     */
    public void waitingAllowed() {
        stoppedBy = null;
    }

    @Override
    public String stoppedBy() {
        return stoppedBy;
    }

    /** What this connection is doing while it holds the writer turn, for a writer that timed out waiting for it. */
    @Override
    public String activity() {
        long now = System.nanoTime();
        long busySince = busySinceNanos;
        if (busySince != 0) {
            return "is retrying against a lock held by another connection or process for "
                    + TimeUnit.NANOSECONDS.toMillis(now - busySince) + " ms (" + busyAttempts + " attempts so far, last: "
                    + busyMessage + "); that other holder, not this transaction, is what everyone waits for";
        }
        if (executing) {
            return "is running a statement";
        }
        if (active) {
            return "has had a transaction open for " + TimeUnit.NANOSECONDS.toMillis(now - beganNanos)
                    + " ms and is between statements; a transaction is staying open too long";
        }
        return null;
    }

    /** When the open transaction expires, or {@link Long#MAX_VALUE}; read by the sweep of {@link TransactionDeadlines}. */
    long deadlineNanos() {
        return deadlineNanos;
    }

    /** Probes whether SQLite still has a transaction open after an error that may have ended it. */
    private boolean stillInTransaction() {
        try {
            exec("BEGIN");
        } catch (SQLException e) {
            return e.getMessage() != null && e.getMessage().contains(NESTED_BEGIN);
        }
        try {
            run("ROLLBACK");
        } catch (SQLException e) {
            broken = true;
        }
        return false;
    }

    /**
     * In auto-commit mode the transaction we rolled back was the application's own, begun by its BEGIN, and there is no
     * rollback() to acknowledge that with: its own COMMIT, END or ROLLBACK does, failing once with the reason (as
     * sqlite-jdbc's fails with "no transaction is active" after SQLite rolled back on its own).
     */
    private void acknowledgeAbort() throws SQLException {
        lock.lock();
        try {
            String aborted = abortedReason;
            if (aborted != null && autoCommit) {
                abortedReason = null;
                throw new SQLTransactionRollbackException(aborted, "40000");
            }
        } finally {
            lock.unlock();
        }
    }

    private void checkNotAborted() throws SQLException {
        String aborted = abortedReason;
        if (aborted != null) {
            throw new SQLTransactionRollbackException(aborted, "40000");
        }
    }

    private void requireManualMode(String operation) throws SQLException {
        if (autoCommit) {
            throw new SQLException(operation + "() was called in auto-commit mode; call setAutoCommit(false) first.",
                    "25000");
        }
    }

    private static NamedSavepoint ours(Savepoint savepoint) throws SQLException {
        if (savepoint instanceof NamedSavepoint) {
            return (NamedSavepoint) savepoint;
        }
        throw new SQLException("Savepoint " + savepoint + " was not created by this connection.", "3B001");
    }

    private String gateName() {
        return settings.database();
    }

    /** Runs one of the few fixed statements through its compiled form; one that failed is compiled afresh next time. */
    private Void run(String fixedSql) throws SQLException {
        PreparedStatement statement = fixedStatements.get(fixedSql);
        if (statement == null) {
            statement = sqlite.prepareStatement(fixedSql);
            fixedStatements.put(fixedSql, statement);
        }
        try {
            statement.execute();
        } catch (SQLException e) {
            // an interrupt or a busy error may leave it mid-step; a later transaction must not inherit that
            fixedStatements.remove(fixedSql);
            try {
                statement.close();
            } catch (SQLException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
        return null;
    }

    private Void exec(String sql) throws SQLException {
        try (Statement statement = sqlite.createStatement()) {
            statement.execute(sql);
        }
        return null;
    }

    /**
     * One of the fixed statements ({@link #run(String)}) as {@link #retrying} runs it: a named class rather than a
     * lambda per call site, each of which a transaction's first BEGIN or COMMIT would spin in a short-lived process
     * (docs/ARCHITECTURE.md, "Start-up cost").
     */
    private static final class FixedSql implements SqlAction<Void> {
        private final TransactionControl control;
        private final String sql;

        FixedSql(TransactionControl control, String sql) {
            this.control = control;
            this.sql = sql;
        }

        @Override
        public Void run() throws SQLException {
            return control.run(sql);
        }
    }
}
