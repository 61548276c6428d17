package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.RewrittenSql;
import io.github.enhancedsqlite.DatabaseMXBean;
import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import io.github.enhancedsqlite.exec.InterruptRepair;
import io.github.enhancedsqlite.exec.StatementPipeline;
import io.github.enhancedsqlite.exec.StoredValues;
import io.github.enhancedsqlite.tx.SqlAction;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.Executor;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteConnectionConfig;
import org.sqlite.SQLiteLimits;
import org.sqlite.SQLiteUpdateListener;
import org.sqlite.core.CoreDatabaseMetaData;
import org.sqlite.core.DB;
import org.sqlite.core.NativeDB;

/**
 * The connection an application holds for one lease. Calls go straight to the sqlite-jdbc connection; the pool
 * only lends and takes back, so the session state a lease may change is tracked and reset here, not by HikariCP.
 * Adds what a pool of SQLite connections needs: statements and metadata whose back-references lead here, a
 * statement cache, a read-only switch that works on an open connection, and a close that hands the next
 * borrower a clean connection or none at all.
 */
public final class ConnectionWrapper extends ForwardingConnection implements InterruptRepair {

    /**
     * What close() gives back: a HikariCP lease, or the physical connection itself when nothing is pooled; null when
     * the evictor's {@code returned()} takes the connection back (a pool's first connection, lent without HikariCP).
     */
    private final Connection lease;
    private final PhysicalConnection physical;
    private final StatementPipeline pipeline;
    /** Null when closing the lease already discards the physical connection. */
    private final ConnectionEvictor evictor;
    /** Volatile: {@link #abort} may come from another thread than the one using the connection. */
    private volatile boolean closed;
    /** Ended by {@link #abort}: calls say so rather than "closed". */
    private volatile boolean aborted;
    /**
     * The lease is over: {@link #close} has waited for the statements other threads ran on it, or {@link #abort}
     * ended it. Until then a statement still running may reach sqlite-jdbc's connection through it (a function
     * the application registered on this connection does, for every row).
     */
    private volatile boolean ended;
    /** A {@link #close} waits for statements of other threads: the end of each execution wakes it. */
    private boolean closeWaiting;
    /** The application changed state a pool cannot reset (pragmas, attachments, temp objects). */
    private boolean sessionAltered;
    private boolean isolationChanged;
    /**
     * The application holds sqlite-jdbc's own objects (through unwrap), on which it can register functions,
     * collations, handlers and listeners, or change limits, that no reset can see: the connection is not lent again.
     */
    private boolean sqliteHandedOut;
    /**
     * Guards {@link #interruptSent}, and the end of an execution against {@link #cancel}: {@code Statement.cancel()}
     * may come from another thread than the one running the statement, and its interrupt must not land after the
     * statement ended unseen.
     */
    private final Object cancelLock = new Object();
    /**
     * A cancel interrupted this connection and no repair has followed: SQLite goes on interrupting the connection's
     * next statements (see {@link #afterInterrupt()}), the next lease's too unless it is repaired or evicted.
     */
    private boolean interruptSent;

    public ConnectionWrapper(Connection lease, PhysicalConnection physical, ConnectionEvictor evictor) {
        super(physical.sqlite(), DETACHED);
        this.lease = lease;
        this.physical = physical;
        this.pipeline = physical.pipeline();
        this.evictor = evictor;
    }

    /**
     * Reads what a statement will do (see {@link SqlInspector}) and remembers a session change; called by the
     * statement wrappers before running SQL, or once when preparing it.
     */
    int inspect(String sql) {
        int effects = SqlInspector.inspect(sql);
        sessionAltered |= (effects & SqlInspector.ALTERS_SESSION) != 0;
        return effects;
    }

    /**
     * Runs one statement, or one batch, through the connection's {@link StatementPipeline}: the writer turn and lazy
     * BEGIN, compression's bookkeeping, the query timeout, the busy retry where running again is safe, and failures
     * turned into what the application should see.
     */
    <T> T execute(StatementWrapper statement, int effects, int queryTimeoutSeconds, SqlAction<T> action,
                  Set<ColumnRef> compressedInto, boolean batch) throws SQLException {
        // marked before the check of closed, which close() sets before it looks for running statements: either
        // close() waits for this execution or the execution fails as closed. A cancel not seeing the mark yet finds
        // nothing begun.
        statement.executingThread = Thread.currentThread();
        try {
            checkOpen();
            return pipeline.execute(statement, effects, queryTimeoutSeconds, action, compressedInto, batch);
        } finally {
            boolean repair;
            synchronized (cancelLock) {
                statement.executingThread = null;
                repair = interruptSent;
                interruptSent = false;
                if (closeWaiting) {
                    cancelLock.notifyAll();
                }
            }
            if (repair) {
                afterInterrupt(); // a cancel that came as the statement ended must not fail the next one
            }
        }
    }

    /**
     * {@code Statement.cancel()}: interrupts the connection only while {@code statement} runs or has a result set
     * the application may still step, as JDBC means it. sqlite-jdbc interrupts whatever the connection is doing; on
     * a pooled connection an interrupt with nothing running stays pending in SQLite and failed the next statement,
     * the next borrower's included. After the lease there is nothing of it left to cancel.
     */
    void cancel(StatementWrapper statement) throws SQLException {
        synchronized (cancelLock) {
            if (!ended && (statement.executingThread != null || statement.hasOpenResult())) {
                interruptSent = true;
                physical.interruptRunning();
            }
        }
    }

    /**
     * The error hook of every forwarded call of this lease (connection, statements, result sets, metadata): an error
     * from {@code ResultSet.next()} inside a transaction reaches the transaction's state, and the repairs an interrupt
     * needs, as one from {@link #execute} does. After close the physical connection may serve another lease, so its
     * state is no longer this lease's to change.
     */
    @Override
    SQLException checkException(SQLException error) {
        return closed ? error : pipeline.failed(this, error);
    }

    /** The statement as it must run so that compressed columns cannot change its result. */
    RewrittenSql rewrite(String sql) throws SQLException {
        checkOpen();
        return pipeline.rewrite(sql);
    }

    /** The stored form of a value bound for a compressing column; null to store it as it is. */
    byte[] encode(ColumnRef column, byte[] raw, boolean blob) {
        return pipeline.encode(column, raw, blob);
    }

    StoredValues values() {
        return pipeline.values();
    }

    private <S extends StatementWrapper> S track(S statement) {
        physical.leaseStatements().add(statement);
        return statement;
    }

    /** A statement is closing: true the first time, when the caller must release what it holds. */
    boolean forget(StatementWrapper statement) {
        return physical.leaseStatements().remove(statement);
    }

    /**
     * After SQLITE_INTERRUPT, SQLite (3.54) goes on interrupting every new statement of the connection until the
     * statements that had run are finalized; resetting them is not enough. So the idle cached statements are
     * finalized, and every statement of the lease the application is not reading from is swapped for a freshly
     * prepared one (a statement with an open result set keeps its place, and so does one another thread of the
     * lease is running: JDBC lets threads share a connection).
     */
    @Override
    public void afterInterrupt() {
        physical.currentStatementCache().closeAll();
        Thread self = Thread.currentThread();
        for (StatementWrapper statement : physical.leaseStatements().newestFirst()) {
            try {
                Thread executing = statement.executingThread;
                if (!statement.hasOpenResult() && (executing == null || executing == self)) {
                    statement.renew();
                }
            } catch (SQLException e) {
                // a statement that cannot be renewed is closed or broken; its next use reports it
            }
        }
    }

    /** A new sqlite-jdbc statement, to replace one an interrupt left stuck. */
    Statement rawStatement(Statement like) throws SQLException {
        return delegate.createStatement(like.getResultSetType(), like.getResultSetConcurrency(),
                like.getResultSetHoldability());
    }

    /** A new sqlite-jdbc prepared statement, to replace one an interrupt left stuck. */
    PreparedStatement rawPrepare(String sql) throws SQLException {
        return delegate.prepareStatement(sql);
    }

    @Override
    public Statement createStatement() throws SQLException {
        return track(new StatementWrapper(delegate.createStatement(), this));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        return track(new StatementWrapper(delegate.createStatement(resultSetType, resultSetConcurrency), this));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return track(new StatementWrapper(
                delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability), this));
    }

    /** The common form, served from the statement cache when this connection has prepared the SQL before. */
    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        checkOpen();
        int effects = inspect(sql);
        RewrittenSql rewritten = rewrite(sql);
        StatementCache cache = physical.currentStatementCache();
        // cached under the SQL it was prepared from, not the application's: a statement held open across DDL comes
        // back to the cache after it was emptied for the new schema, and must not serve that schema's rewrite
        PreparedStatement cached = cache.take(rewritten.sql());
        PreparedStatement statement = cached != null ? cached : delegate.prepareStatement(rewritten.sql());
        return track(new PreparedStatementWrapper(statement, this, effects, rewritten, sql, rewritten.sql(), cache));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        RewrittenSql rewritten = rewrite(sql);
        return uncached(sql, rewritten, delegate.prepareStatement(rewritten.sql(), autoGeneratedKeys));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        RewrittenSql rewritten = rewrite(sql);
        return uncached(sql, rewritten, delegate.prepareStatement(rewritten.sql(), columnIndexes));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        RewrittenSql rewritten = rewrite(sql);
        return uncached(sql, rewritten, delegate.prepareStatement(rewritten.sql(), columnNames));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        RewrittenSql rewritten = rewrite(sql);
        return uncached(sql, rewritten, delegate.prepareStatement(rewritten.sql(), resultSetType, resultSetConcurrency));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
                                              int resultSetHoldability) throws SQLException {
        RewrittenSql rewritten = rewrite(sql);
        return uncached(sql, rewritten,
                delegate.prepareStatement(rewritten.sql(), resultSetType, resultSetConcurrency, resultSetHoldability));
    }

    private PreparedStatement uncached(String sql, RewrittenSql rewritten, PreparedStatement statement) {
        return track(new PreparedStatementWrapper(statement, this, inspect(sql), rewritten, sql, null, null));
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        throw noStoredProcedures();
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        throw noStoredProcedures();
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
                                         int resultSetHoldability) throws SQLException {
        throw noStoredProcedures();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return new MetaDataWrapper(delegate.getMetaData(), this);
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        checkOpen();
        pipeline.setAutoCommit(autoCommit);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return pipeline.autoCommit();
    }

    @Override
    public void commit() throws SQLException {
        checkOpen();
        pipeline.commit();
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        pipeline.rollback();
    }


    @Override
    public Savepoint setSavepoint() throws SQLException {
        checkOpen();
        return pipeline.setSavepoint(null);
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        checkOpen();
        return pipeline.setSavepoint(name);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        pipeline.rollback(savepoint);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        checkOpen();
        pipeline.releaseSavepoint(savepoint);
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        delegate.setTransactionIsolation(level);
        isolationChanged = true;
    }

    /**
     * sqlite-jdbc fixes read-only at open and throws when it changes later, which breaks
     * {@code @Transactional(readOnly = true)} on a pooled connection; here it works on a live connection.
     */
    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        if (!readOnly && physical.sqlite().isReadOnly()) {
            // sqlite-jdbc's answer, before the open check as there: no connection of such a database can ever write
            throw new SQLException("Cannot change read-only flag after establishing a connection. The database was"
                    + " opened read-only (sqlite-jdbc's open_mode without SQLITE_OPEN_READWRITE, which"
                    + " SQLiteConfig.setReadOnly(true) sets), so none of its connections can write; connect without"
                    + " it to write.", "25006");
        }
        checkOpen();
        pipeline.setReadOnly(readOnly);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return pipeline.readOnly() || delegate.isReadOnly();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed || delegate.isClosed();
    }

    /**
     * Returns the connection clean: the lease's statements closed (cached ones back to the cache), an open
     * transaction rolled back and its writer turn given back, auto-commit, isolation and read-only reset. A
     * connection whose session the application changed beyond that, or that could not be reset, is evicted
     * rather than lent out again.
     */
    @Override
    public void close() throws SQLException {
        synchronized (this) { // against an abort() from another thread: one of them ends the lease
            if (closed) {
                return;
            }
            closed = true;
        }
        awaitStatementsOfOtherThreads();
        synchronized (this) { // an abort() from now on finds the lease over and interrupts nothing
            ended = true;
        }
        boolean statementsClosed = closeStatements();
        boolean reset = pipeline.endLease() && resetIsolation();
        boolean interruptPending;
        synchronized (cancelLock) {
            interruptPending = interruptSent;
        }
        if (!(statementsClosed && reset && !sessionAltered && !sqliteHandedOut && !interruptPending && !aborted)
                && evictor != null) {
            evictor.evict(lease);
        }
        delegate = Closed.CONNECTION;
        try {
            if (lease != null) {
                lease.close();
            }
        } finally {
            if (evictor != null) {
                evictor.returned();
            }
        }
    }

    /**
     * Waits until no other thread runs a statement of this lease. sqlite-jdbc runs one call of a connection at a
     * time, so there a close from another thread waits for the running statement, which completes. Ending the lease
     * under it instead gave its writer turn and its connection back while it wrote: the pool lent the connection
     * again, and the lease's rollback undid a write already reported done. Waits as long as the statement runs, as
     * sqlite-jdbc does; {@link #abort} stops it. A statement that has not begun in SQLite — waiting for the writer
     * turn, or between attempts against another process's lock — is stopped rather than waited for: it fails as
     * closed. An interrupt of the closing thread is kept for after the wait.
     */
    private void awaitStatementsOfOtherThreads() {
        LeaseStatements statements = physical.leaseStatements();
        Thread self = Thread.currentThread();
        if (!statements.runningOnAnotherThread(self)) {
            return;
        }
        // one that has not begun in SQLite (it waits for the writer turn, or backs off against another process's
        // lock) is stopped instead: it may be waiting behind the very transaction this thread is about to end
        pipeline.stopWaiting("closed by another thread");
        boolean interrupted = false;
        synchronized (cancelLock) {
            closeWaiting = true;
            while (statements.runningOnAnotherThread(self)) {
                try {
                    cancelLock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        pipeline.waitingAllowed();
        if (interrupted) {
            self.interrupt();
        }
    }

    /**
     * Ends the lease at once, from any thread (JDBC lets an administrator's thread abort a connection another thread
     * is using), and discards the physical connection; an open transaction dies with it. Here the statement the owner
     * is running is interrupted (sqlite3_interrupt is safe from any thread) and every later call of the owner fails
     * as aborted; on {@code executor}, once sqlite-jdbc has let the interrupted statement return (it runs one call of
     * a connection at a time), the transaction is rolled back, the writer turn given back and the connection evicted
     * and returned, so the pool opens a fresh one in its place. Nothing here waits for the running statement. An
     * abort while a {@link #close} waits for another thread's statement interrupts that statement, and the close,
     * once it returned, ends the lease and evicts the connection.
     */
    @Override
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            throw new SQLException("abort(executor) needs an Executor to close the connection on; null was passed");
        }
        boolean closing;
        synchronized (this) {
            if (aborted || ended) {
                return;
            }
            closing = closed;
            aborted = true;
            closed = true;
            ended = !closing;
            physical.interruptRunning(); // under the lock: once close() ended the lease, the connection is another's
            pipeline.stopWaiting("aborted"); // a statement waiting for the writer turn has not begun: it stops too
        }
        if (!closing) {
            executor.execute(this::discard);
        }
        // else a close() waits for the statement another thread runs: interrupted, it returns, and that close ends
        // the lease, evicting the connection as aborted
    }

    /** The second half of {@link #abort}, on the executor. */
    private void discard() {
        try {
            pipeline.endLease(); // rolls back and gives the writer turn back; its connection is discarded anyway
        } finally {
            try {
                if (evictor != null) {
                    evictor.evict(lease);
                }
                if (lease != null) {
                    lease.close(); // HikariCP closes an evicted connection and opens another for the pool
                }
            } catch (SQLException | RuntimeException e) {
                physical.closeQuietly(); // whatever failed, the file must not stay open
            } finally {
                if (evictor != null) {
                    evictor.returned();
                }
            }
        }
    }

    private boolean closeStatements() {
        LeaseStatements open = physical.leaseStatements();
        if (open.isEmpty()) {
            return true;
        }
        boolean allClosed = true;
        for (StatementWrapper statement : open.newestFirst()) {
            try {
                statement.close();
            } catch (SQLException e) {
                allClosed = false;
            }
        }
        open.clear();
        return allClosed;
    }

    private boolean resetIsolation() {
        try {
            if (isolationChanged) {
                delegate.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            }
            delegate.clearWarnings();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    protected void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException(aborted ? "Connection was aborted (Connection.abort)" : "Connection is closed",
                    "08003");
        }
    }

    private static SQLException noStoredProcedures() {
        return new SQLFeatureNotSupportedException(
                "SQLite has no stored procedures, so prepareCall is not supported; use prepareStatement.");
    }

    /**
     * Also unwraps to the figures of the connection's database ({@code unwrap(DatabaseMXBean.class)}), and, for
     * the driver's own tools, to the {@link PhysicalConnection}. Handing out sqlite-jdbc's connection marks the
     * lease so that close() evicts it.
     */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface == DatabaseMXBean.class || iface == DatabaseMetrics.class) {
            return iface.cast(physical.metrics());
        }
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        if (iface == PhysicalConnection.class) {
            // internal: the toolkit reads stored bytes through it and registers nothing, so the lease stays reusable
            return iface.cast(physical);
        }
        T unwrapped = delegate.unwrap(iface);
        sqliteHandedOut();
        return unwrapped;
    }

    /**
     * The application got hold of a sqlite-jdbc object that leads to the physical connection (the connection, or
     * a statement, result set or metadata that leads to it): the lease is evicted when it closes.
     */
    void sqliteHandedOut() {
        sqliteHandedOut = true;
    }

    // sqlite-jdbc's own methods. This connection is a SQLiteConnection so that code written for sqlite-jdbc — a cast,
    // Function.create, Collation.create, BusyHandler.setHandler, ProgressHandler.setHandler — runs unchanged; each
    // acts on the physical connection of this lease and on no other: a closed lease refuses them, and those that
    // change what no reset can see (functions, handlers, listeners, limits, the database itself) mark the lease to be
    // evicted when it closes, as unwrap does.

    @Override
    public DB getDatabase() {
        return own(true).getDatabase(); // leads to everything: functions, collations, handlers
    }

    @Override
    public String getUrl() {
        return own(false).getUrl();
    }

    @Override
    public int getBusyTimeout() {
        return own(false).getBusyTimeout();
    }

    @Override
    public void setBusyTimeout(int timeoutMillis) throws SQLException {
        openOwn(true).setBusyTimeout(timeoutMillis);
    }

    @Override
    public void setLimit(SQLiteLimits limit, int value) throws SQLException {
        openOwn(true).setLimit(limit, value);
    }

    @Override
    public void getLimit(SQLiteLimits limit) throws SQLException {
        openOwn(false).getLimit(limit);
    }

    @Override
    public String libversion() throws SQLException {
        return openOwn(false).libversion();
    }

    @Override
    public void addUpdateListener(SQLiteUpdateListener listener) {
        own(true).addUpdateListener(listener);
    }

    @Override
    public void removeUpdateListener(SQLiteUpdateListener listener) {
        own(true).removeUpdateListener(listener);
    }

    @Override
    public void addCommitListener(SQLiteCommitListener listener) {
        own(true).addCommitListener(listener);
    }

    @Override
    public void removeCommitListener(SQLiteCommitListener listener) {
        own(true).removeCommitListener(listener);
    }

    @Override
    public byte[] serialize(String schema) throws SQLException {
        return openOwn(false).serialize(schema);
    }

    @Override
    public void deserialize(String schema, byte[] buff) throws SQLException {
        openOwn(true).deserialize(schema, buff);
    }

    @Override
    public SQLiteConnectionConfig getConnectionConfig() {
        return own(true).getConnectionConfig(); // mutable: its date settings change how the connection reads values
    }

    @Override
    public CoreDatabaseMetaData getSQLiteDatabaseMetaData() throws SQLException {
        return openOwn(true).getSQLiteDatabaseMetaData();
    }

    @Override
    public SQLiteConfig.TransactionMode getCurrentTransactionMode() {
        return own(false).getCurrentTransactionMode();
    }

    @Override
    public void setCurrentTransactionMode(SQLiteConfig.TransactionMode mode) {
        own(true).setCurrentTransactionMode(mode);
    }

    @Override
    public boolean isFirstStatementExecuted() {
        return own(false).isFirstStatementExecuted();
    }

    @Override
    public void setFirstStatementExecuted(boolean executed) {
        own(true).setFirstStatementExecuted(executed);
    }

    /**
     * What the {@link SQLiteConnection} part of every wrapper is built on: a database object never opened and never
     * used — each method of that part is forwarded or overridden above to act on the lease's physical connection — so
     * a lease copies none of sqlite-jdbc's per-connection settings (its constructor would, on every getConnection), and
     * nothing of that part leads to a physical connection once the lease is closed.
     */
    private static final DB DETACHED = Detached.database();

    /** The never-opened database of {@link #DETACHED}, with one set of connection settings for every wrapper. */
    private static final class Detached extends SQLiteConfig {
        private final SQLiteConnectionConfig shared = super.newConnectionConfig();

        @Override
        public SQLiteConnectionConfig newConnectionConfig() {
            return shared;
        }

        static DB database() {
            try {
                return new NativeDB(null, null, new Detached());
            } catch (SQLException e) {
                throw new IllegalStateException("sqlite-jdbc refused a database object that opens nothing", e);
            }
        }
    }

    /**
     * The sqlite-jdbc connection of this lease, for one of its own methods that declares no SQLException; {@code
     * evict}: what the call may change survives any reset, so the lease is not lent again.
     */
    private SQLiteConnection own(boolean evict) {
        if (ended || aborted) {
            throw new IllegalStateException(aborted ? "Connection was aborted (Connection.abort)"
                    : "Connection is closed");
        }
        return handOut(evict);
    }

    /** As {@link #own}, for a method that declares SQLException: a closed lease fails as every JDBC call does. */
    private SQLiteConnection openOwn(boolean evict) throws SQLException {
        checkOpen();
        return handOut(evict);
    }

    private SQLiteConnection handOut(boolean evict) {
        if (evict) {
            sqliteHandedOut();
        }
        return (SQLiteConnection) physical.sqlite();
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface == DatabaseMXBean.class || iface == DatabaseMetrics.class || iface == PhysicalConnection.class
                || iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "enhanced-sqlite " + delegate;
    }
}
