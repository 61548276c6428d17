package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.compress.Codec;
import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.Compression;
import io.github.enhancedsqlite.compress.RewrittenSql;
import io.github.enhancedsqlite.DatabaseMXBean;
import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import io.github.enhancedsqlite.metrics.SlowStatementLog;
import io.github.enhancedsqlite.tx.QueryDeadline;
import io.github.enhancedsqlite.tx.SqlAction;
import io.github.enhancedsqlite.tx.SqliteErrors;
import io.github.enhancedsqlite.tx.TransactionControl;
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

/**
 * The connection an application holds for one lease. Calls go straight to the sqlite-jdbc connection; the pool
 * only lends and takes back, so the session state a lease may change is tracked and reset here, not by HikariCP.
 * Adds what a pool of SQLite connections needs: statements and metadata whose back-references lead here, a
 * statement cache, a read-only switch that works on an open connection, and a close that hands the next
 * borrower a clean connection or none at all.
 */
public final class ConnectionWrapper extends ForwardingConnection {

    /** What close() gives back: a HikariCP lease, or the physical connection itself when nothing is pooled. */
    private final Connection lease;
    private final PhysicalConnection physical;
    private final TransactionControl transactions;
    private final Compression compression;
    private final SlowStatementLog slowStatements;
    /** Null when closing the lease already discards the physical connection. */
    private final ConnectionEvictor evictor;
    private boolean closed;
    /** The application changed state a pool cannot reset (pragmas, attachments, temp objects). */
    private boolean sessionAltered;
    private boolean isolationChanged;
    /**
     * The application holds sqlite-jdbc's own objects (through unwrap), on which it can register functions,
     * collations, handlers and listeners, or change limits, that no reset can see: the connection is not lent again.
     */
    private boolean sqliteHandedOut;
    /** Columns recorded as compressed inside the open transaction; known as such once it commits. */
    private Set<ColumnRef> recordedInTransaction;

    public ConnectionWrapper(Connection lease, PhysicalConnection physical, ConnectionEvictor evictor) {
        super(physical.sqlite());
        this.lease = lease;
        this.physical = physical;
        this.transactions = physical.transactions();
        this.compression = physical.compression();
        this.slowStatements = physical.slowStatementLog();
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
     * Runs one statement under the transaction rules: waits for the writer turn if it writes in auto-commit
     * mode, begins a pending transaction, records the columns about to receive compressed values (inside the
     * statement's transaction, so the record and the values commit together), retries on busy where running
     * again is safe, stops it at its query timeout, and turns failures into what the application should see.
     */
    <T> T execute(StatementWrapper statement, int effects, int queryTimeoutSeconds, SqlAction<T> action,
                  Set<ColumnRef> compressedInto) throws SQLException {
        checkOpen();
        boolean opens = (effects & SqlInspector.OPENS_TRANSACTION) != 0;
        boolean ends = (effects & SqlInspector.ENDS_TRANSACTION) != 0;
        boolean releases = (effects & SqlInspector.RELEASES_SAVEPOINT) != 0;
        boolean tookTurn = transactions.beforeStatement((effects & SqlInspector.WRITES) != 0, opens);
        boolean retryable = opens || ends || !transactions.inTransaction();
        QueryDeadline deadline = null;
        boolean succeeded = false;
        // timed from here: a wait for the writer turn is not the statement's slowness (writerWaits shows it)
        boolean timed = slowStatements.enabled();
        long started = timed ? System.nanoTime() : 0L;
        try {
            if ((effects & SqlInspector.WRITES) != 0 && !transactions.inTransaction()) {
                compression.trainDictionaries(delegate);
            }
            recordCompressed(compressedInto, transactions.inTransaction());
            settleWithTransaction(compression.makePlain(delegate, statement.madePlain(), transactions.inTransaction()));
            deadline = QueryDeadline.start(delegate, queryTimeoutSeconds);
            transactions.executing(true);
            T result = retryable ? transactions.retrying(action) : action.run();
            succeeded = true;
            if ((effects & SqlInspector.CHANGES_SCHEMA) != 0) {
                compression.schemaChanged();
            }
            return result;
        } catch (SQLException e) {
            transactions.executing(false); // before failed(): the timeout may leave the rollback to this thread
            if (SqliteErrors.isInterrupt(e)) {
                renewStatementsAfterInterrupt();
            }
            throw transactions.failed(e, deadline != null && deadline.finish(),
                    (effects & SqlInspector.WRITES) != 0);
        } finally {
            transactions.executing(false);
            if (deadline != null) {
                deadline.finish();
            }
            transactions.afterStatement(tookTurn, opens, ends, releases, succeeded);
            if (recordedInTransaction != null && !recordedInTransaction.isEmpty() && !transactions.inTransaction()) {
                settleRecorded();
            }
            if (timed) {
                logIfSlow(statement, started);
            }
        }
    }

    /** Logs a statement that ran past slowStatementThreshold; what the log needs is gathered only then. */
    private void logIfSlow(StatementWrapper statement, long startedNanos) {
        long took = System.nanoTime() - startedNanos;
        if (slowStatements.isSlow(took)) {
            slowStatements.log(statement.sqlForLog(), took,
                    slowStatements.logsParameters() ? statement.parametersForLog() : null);
        }
    }

    /**
     * The application's own SQL (COMMIT, END, RELEASE, ROLLBACK) or a failure ended the transaction that recorded
     * compressed columns: the database tells which records committed.
     */
    private void settleRecorded() {
        try {
            compression.confirmCommitted(delegate, recordedInTransaction);
        } catch (SQLException e) {
            // unconfirmed records are only written again with the column's next compressed value
        }
        recordedInTransaction.clear();
    }

    /** A batch that writes in auto-commit mode runs as one transaction, so a busy error cannot half-apply it. */
    <T> T executeBatch(StatementWrapper statement, int effects, int queryTimeoutSeconds, SqlAction<T> batch,
                       Set<ColumnRef> compressedInto) throws SQLException {
        checkOpen();
        if ((effects & SqlInspector.WRITES) != 0 && transactions.autoCommit() && !transactions.inTransaction()) {
            boolean timed = slowStatements.enabled();
            long started = timed ? System.nanoTime() : 0L;
            QueryDeadline deadline = QueryDeadline.start(delegate, queryTimeoutSeconds);
            try {
                T result = transactions.runAsOneTransaction(() -> {
                    recordCompressed(compressedInto, true);
                    return batch.run();
                });
                confirmRecorded();
                return result;
            } catch (SQLException e) {
                throw transactions.failed(e, deadline != null && deadline.finish(), true);
            } finally {
                if (deadline != null) {
                    deadline.finish();
                }
                if (timed) {
                    logIfSlow(statement, started);
                }
            }
        }
        return execute(statement, effects, queryTimeoutSeconds, batch, compressedInto);
    }

    /**
     * Records columns about to receive compressed values. Inside a transaction the record only counts once the
     * transaction commits ({@link #confirmRecorded()}).
     */
    private void recordCompressed(Set<ColumnRef> columns, boolean inTransaction) throws SQLException {
        if (columns != null && !columns.isEmpty()) {
            compression.beforeCompressedWrite(delegate, columns, inTransaction);
            if (inTransaction) {
                if (recordedInTransaction == null) {
                    recordedInTransaction = new java.util.HashSet<>();
                }
                recordedInTransaction.addAll(columns);
            }
        }
    }

    /** Columns whose record changed inside the transaction; settled when it ends, like recorded ones. */
    private void settleWithTransaction(Set<ColumnRef> columns) {
        if (!columns.isEmpty()) {
            if (recordedInTransaction == null) {
                recordedInTransaction = new java.util.HashSet<>();
            }
            recordedInTransaction.addAll(columns);
        }
    }

    /** The transaction that recorded compressed columns committed. */
    private void confirmRecorded() {
        if (recordedInTransaction != null && !recordedInTransaction.isEmpty()) {
            compression.confirmRecorded(recordedInTransaction);
            recordedInTransaction.clear();
        }
    }

    /** The statement as it must run so that compressed columns cannot change its result. */
    RewrittenSql rewrite(String sql) throws SQLException {
        checkOpen();
        return compression.rewrite(sql, delegate);
    }

    /** The stored form of a value bound for a compressing column; null to store it as it is. */
    byte[] encode(ColumnRef column, byte[] raw, boolean blob) {
        return compression.encode(physical.codec(), column, raw, blob);
    }

    Codec codec() {
        return physical.codec();
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
     * prepared one (a statement with an open result set keeps its place).
     */
    private void renewStatementsAfterInterrupt() {
        physical.currentStatementCache().closeAll();
        for (StatementWrapper statement : physical.leaseStatements().toArray(new StatementWrapper[0])) {
            try {
                if (!statement.hasOpenResult()) {
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
        PreparedStatement cached = cache.take(sql);
        PreparedStatement statement = cached != null ? cached : delegate.prepareStatement(rewritten.sql());
        return track(new PreparedStatementWrapper(statement, this, effects, rewritten, sql, sql, cache));
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
        transactions.setAutoCommit(autoCommit);
        if (autoCommit) {
            confirmRecorded(); // switching auto-commit on committed
        }
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return transactions.autoCommit();
    }

    @Override
    public void commit() throws SQLException {
        checkOpen();
        transactions.commit();
        confirmRecorded();
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        transactions.rollback();
        if (recordedInTransaction != null) {
            recordedInTransaction.clear();
        }
    }


    @Override
    public Savepoint setSavepoint() throws SQLException {
        checkOpen();
        return transactions.setSavepoint(null);
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        checkOpen();
        return transactions.setSavepoint(name);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        transactions.rollback(savepoint);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        checkOpen();
        transactions.releaseSavepoint(savepoint);
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
        checkOpen();
        transactions.setReadOnly(readOnly);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return transactions.readOnly() || delegate.isReadOnly();
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
        if (closed) {
            return;
        }
        closed = true;
        boolean statementsClosed = closeStatements();
        boolean reset = transactions.endLease() && resetIsolation();
        if (!(statementsClosed && reset && !sessionAltered && !sqliteHandedOut) && evictor != null) {
            evictor.evict(lease);
        }
        delegate = Closed.CONNECTION;
        lease.close();
    }

    /** Ends the lease at once and discards the physical connection; an open transaction dies with it. */
    @Override
    public void abort(Executor executor) throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        physical.leaseStatements().clear();
        if (evictor != null) {
            evictor.evict(lease);
        }
        delegate = Closed.CONNECTION;
        physical.close();
        lease.close();
    }

    private boolean closeStatements() {
        Set<StatementWrapper> open = physical.leaseStatements();
        if (open.isEmpty()) {
            return true;
        }
        boolean allClosed = true;
        for (StatementWrapper statement : open.toArray(new StatementWrapper[0])) {
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

    private void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("Connection is closed", "08003");
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
