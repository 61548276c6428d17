package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.RewrittenSql;
import io.github.enhancedsqlite.exec.StatementCall;
import io.github.enhancedsqlite.tx.SqlAction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A statement whose {@link #getConnection()} is the connection the application holds, whose result sets lead
 * back to it, and whose executions run under the connection's transaction rules ({@link ConnectionWrapper#execute}).
 */
class StatementWrapper extends ForwardingStatement implements StatementCall {

    final ConnectionWrapper connection;
    /** The result set handed out last, closed when a cached statement is reset for reuse. */
    ResultSetWrapper lastResult;
    int queryTimeoutSeconds;
    /** The rewrite of the statement's SQL that ran last; it tells which result columns to decode. */
    RewrittenSql lastRewritten;
    /** The application's SQL that ran last (before any rewrite), for the slow-statement log. */
    String lastSql;
    /** What the statements added to the batch do, together (see {@link SqlInspector}). */
    int batchEffects;
    /** Columns the statements added to the batch store envelopes into as they are; null when none. */
    private Set<ColumnRef> batchCopiedInto;
    /** Columns the batch's statements return to plain storage first; null when none. */
    private Set<ColumnRef> batchMadePlain;
    /** While a batch runs, what it returns to plain storage; null otherwise. */
    private Set<ColumnRef> runningBatchMadePlain;
    /** The application's SQL of the statements added to the batch, in order. */
    private final List<String> batchSql = new ArrayList<>();

    StatementWrapper(Statement delegate, ConnectionWrapper connection) {
        super(delegate);
        this.connection = connection;
    }

    @Override
    final SQLException checkException(SQLException error) {
        return connection.checkException(error);
    }

    /** Wraps a result set so that {@code getStatement()} returns this statement; null stays null. */
    final ResultSet wrap(ResultSet resultSet) {
        return wrap(resultSet, null);
    }

    /** As {@link #wrap(ResultSet)}, decoding the compressed result columns the rewrite left bare. */
    final ResultSet wrap(ResultSet resultSet, RewrittenSql rewritten) {
        if (resultSet == null) {
            return null;
        }
        RewrittenSql decoding = rewritten != null && rewritten.decodesAny() ? rewritten : null;
        if (lastResult != null) {
            // sqlite-jdbc hands one result set object to every execution of a statement, so a result set the
            // application got before shows the new rows, as it does on sqlite-jdbc; another object cuts the old off
            if (lastResult.rearm(resultSet, decoding)) {
                return lastResult;
            }
            lastResult.detach();
        }
        lastResult = new ResultSetWrapper(resultSet, this, connection, decoding);
        return lastResult;
    }

    /** Closes the statement for good; a cached prepared statement overrides this to go back to its cache. */
    @Override
    public void close() throws SQLException {
        if (connection.forget(this)) {
            if (lastResult != null) {
                lastResult.detach();
            }
            delegate.close();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (delegate.isClosed()) {
            throw new SQLException("Statement is closed", "HY010");
        }
        return connection;
    }

    @Override
    public final ResultSet executeQuery(String sql) throws SQLException {
        String text = rewritten(sql);
        RewrittenSql rewritten = lastRewritten;
        return run(sql, () -> wrap(delegate.executeQuery(text), rewritten));
    }

    @Override
    public final ResultSet getResultSet() throws SQLException {
        return wrap(delegate.getResultSet(), lastRewritten);
    }

    private <T> T run(String sql, SqlAction<T> action) throws SQLException {
        return connection.execute(this, connection.inspect(sql), queryTimeoutSeconds, action,
                lastRewritten == null ? null : lastRewritten.copiedInto(), false);
    }

    @Override
    public final String sqlRun() {
        return lastRewritten == null ? lastSql : lastRewritten.sql();
    }

    @Override
    public final java.util.function.IntPredicate decodedColumns() {
        RewrittenSql rewritten = lastRewritten;
        return rewritten != null && rewritten.decodesAny() ? rewritten::decodes : null;
    }

    /** A plain statement binds no values; a prepared one overrides this. */
    @Override
    public Object[] boundValues() {
        return null;
    }

    /** The SQL the slow-statement log names. */
    @Override
    public final String sqlForLog() {
        return lastSql;
    }

    /** The bound values as text, for the slow-statement log when logParameters is on; a plain statement has none. */
    @Override
    public String parametersForLog() {
        return null;
    }

    @Override
    public final void afterInterrupt() {
        connection.afterInterrupt();
    }

    /**
     * A statement's SQL is rewritten as it runs, for the connection as it is then, and a batch holding statements the
     * rewriter cannot read is rewritten again when it runs ({@link #rewriteBatchForNow}): nothing to prepare again.
     */
    @Override
    public boolean prepareAgain() throws SQLException {
        return false;
    }

    /** Swaps in a freshly created sqlite-jdbc statement and finalizes the old one (see ConnectionWrapper). */
    void renew() throws SQLException {
        Statement old = delegate;
        delegate = connection.rawStatement(old);
        old.close();
    }

    /** Columns the statement about to run returns to plain storage first (CREATE INDEX, VIEW, TRIGGER). */
    @Override
    public final Set<ColumnRef> madePlain() {
        if (runningBatchMadePlain != null) {
            return runningBatchMadePlain;
        }
        return lastRewritten == null ? Set.of() : lastRewritten.madePlain();
    }

    @Override
    public final void closeResult() throws SQLException {
        if (hasOpenResult()) {
            lastResult.close();
        }
    }

    @Override
    public final boolean readingRows() throws SQLException {
        return hasOpenResult() && lastResult.mayStep();
    }

    /** Whether the application may still be reading rows of this statement. */
    final boolean hasOpenResult() throws SQLException {
        return lastResult != null && !lastResult.isClosed();
    }

    /** Rewrites SQL about to run and remembers it, so a later getResultSet() decodes what it must. */
    private String rewritten(String sql) throws SQLException {
        lastSql = sql;
        lastRewritten = connection.rewrite(sql);
        return lastRewritten.sql();
    }

    @Override
    public final ResultSet getGeneratedKeys() throws SQLException {
        return wrap(delegate.getGeneratedKeys());
    }

    @Override
    public final boolean execute(String sql) throws SQLException {
        String text = rewritten(sql);
        return run(sql, () -> delegate.execute(text));
    }

    @Override
    public final boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        String text = rewritten(sql);
        return run(sql, () -> delegate.execute(text, autoGeneratedKeys));
    }

    @Override
    public final boolean execute(String sql, int[] columnIndexes) throws SQLException {
        String text = rewritten(sql);
        return run(sql, () -> delegate.execute(text, columnIndexes));
    }

    @Override
    public final boolean execute(String sql, String[] columnNames) throws SQLException {
        String text = rewritten(sql);
        return run(sql, () -> delegate.execute(text, columnNames));
    }

    @Override
    public final int executeUpdate(String sql) throws SQLException {
        String text = rewritten(sql);
        return run(sql, () -> delegate.executeUpdate(text));
    }

    @Override
    public final int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        String text = rewritten(sql);
        return run(sql, () -> delegate.executeUpdate(text, autoGeneratedKeys));
    }

    @Override
    public final int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        String text = rewritten(sql);
        return run(sql, () -> delegate.executeUpdate(text, columnIndexes));
    }

    @Override
    public final int executeUpdate(String sql, String[] columnNames) throws SQLException {
        String text = rewritten(sql);
        return run(sql, () -> delegate.executeUpdate(text, columnNames));
    }

    @Override
    public final long executeLargeUpdate(String sql) throws SQLException {
        String text = rewritten(sql);
        return run(sql, () -> delegate.executeLargeUpdate(text));
    }

    @Override
    public final long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        String text = rewritten(sql);
        return run(sql, () -> delegate.executeLargeUpdate(text, autoGeneratedKeys));
    }

    @Override
    public final long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        String text = rewritten(sql);
        return run(sql, () -> delegate.executeLargeUpdate(text, columnIndexes));
    }

    @Override
    public final long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        String text = rewritten(sql);
        return run(sql, () -> delegate.executeLargeUpdate(text, columnNames));
    }

    @Override
    public final void addBatch(String sql) throws SQLException {
        int effects = connection.inspect(sql);
        RewrittenSql rewritten = connection.rewrite(sql);
        delegate.addBatch(rewritten.sql());
        batchSql.add(sql);
        lastSql = sql;
        batchEffects |= effects;
        if (!rewritten.copiedInto().isEmpty()) {
            if (batchCopiedInto == null) {
                batchCopiedInto = new HashSet<>();
            }
            batchCopiedInto.addAll(rewritten.copiedInto());
        }
        if (!rewritten.madePlain().isEmpty()) {
            if (batchMadePlain == null) {
                batchMadePlain = new HashSet<>();
            }
            batchMadePlain.addAll(rewritten.madePlain());
        }
    }

    @Override
    public void clearBatch() throws SQLException {
        delegate.clearBatch();
        batchSql.clear();
        batchEffects = 0;
        batchCopiedInto = null;
        batchMadePlain = null;
    }

    @Override
    public int[] executeBatch() throws SQLException {
        int effects = batchEffects;
        Set<ColumnRef> copiedInto = batchCopiedInto;
        batchEffects = 0;
        batchCopiedInto = null;
        rewriteBatchForNow();
        runningBatchMadePlain = batchMadePlain == null ? Set.of() : batchMadePlain;
        batchMadePlain = null;
        try {
            return connection.execute(this, effects, queryTimeoutSeconds, () -> delegate.executeBatch(), copiedInto,
                    true);
        } finally {
            runningBatchMadePlain = null;
        }
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        int effects = batchEffects;
        Set<ColumnRef> copiedInto = batchCopiedInto;
        batchEffects = 0;
        batchCopiedInto = null;
        rewriteBatchForNow();
        runningBatchMadePlain = batchMadePlain == null ? Set.of() : batchMadePlain;
        batchMadePlain = null;
        try {
            return connection.execute(this, effects, queryTimeoutSeconds, () -> delegate.executeLargeBatch(),
                    copiedInto, true);
        } finally {
            runningBatchMadePlain = null;
        }
    }

    /**
     * Before a batch runs. A batch holding statements the rewriter could not read was rewritten statement by statement
     * as they were added, for the connection as it was then; it is rewritten again for the connection as it is now
     * (set read-only or back, or given a temporary object named like a table since), so that none runs a text chosen
     * for another state.
     */
    private void rewriteBatchForNow() throws SQLException {
        if (batchMadePlain != null) {
            delegate.clearBatch();
            for (String sql : batchSql) {
                lastRewritten = connection.rewrite(sql);
                delegate.addBatch(lastRewritten.sql());
            }
        }
        batchSql.clear();
    }

    /**
     * Kept here rather than passed to sqlite-jdbc, which only turns it into a busy timeout; the execution
     * path stops a statement that runs past it.
     */
    @Override
    public final void setQueryTimeout(int seconds) throws SQLException {
        if (seconds < 0) {
            throw new SQLException("Query timeout must be 0 (none) or a positive number of seconds, not " + seconds,
                    "HY024");
        }
        if (delegate.isClosed()) {
            throw new SQLException("Statement is closed", "HY010");
        }
        queryTimeoutSeconds = seconds;
    }

    @Override
    public final int getQueryTimeout() throws SQLException {
        if (delegate.isClosed()) {
            throw new SQLException("Statement is closed", "HY010");
        }
        return queryTimeoutSeconds;
    }

    @Override
    public final <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        T unwrapped = delegate.unwrap(iface);
        connection.sqliteHandedOut(); // its getConnection() is sqlite-jdbc's connection
        return unwrapped;
    }

    @Override
    public final boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
