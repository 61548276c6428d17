package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.RewrittenSql;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * A prepared statement whose result sets lead back to it; its SQL was inspected when it was prepared. When it
 * came from the statement cache, close() resets it and gives it back instead of finalizing it, unless the
 * application changed a statement property the next user would inherit.
 */
final class PreparedStatementWrapper extends ForwardingPreparedStatement {

    private static final String PARAMETERS = "parameters=";

    /** What running it does, read once from its SQL (see {@link SqlInspector}). */
    private final int effects;
    /** The SQL it was prepared from, which it is cached under; null when it must not be cached. */
    private final String cacheKey;
    private final StatementCache cache;
    private boolean reusable;
    /** execute() may leave rows pending that only a fetched result set can reset. */
    private boolean executedWithoutResult;

    /** What each kind of execution runs ({@link Execution}), made at its first use: a point read runs it many times. */
    private final Execution[] executions = new Execution[Execution.KINDS];

    /** Columns this statement's bound values were compressed into, recorded in the database before it runs. */
    private Set<ColumnRef> compressedInto;

    PreparedStatementWrapper(PreparedStatement delegate, ConnectionWrapper connection, int effects,
                             RewrittenSql rewritten, String sql, String cacheKey, StatementCache cache) {
        super(delegate, connection);
        this.lastSql = sql;
        this.effects = effects;
        this.lastRewritten = rewritten;
        this.compressedInto = rewritten.copiedInto().isEmpty() ? null : new HashSet<>(rewritten.copiedInto());
        this.cacheKey = cacheKey;
        this.cache = cache;
        this.reusable = cacheKey != null;
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        return (ResultSet) connection.execute(this, effects, queryTimeoutSeconds, execution(Execution.QUERY),
                compressedInto, false);
    }

    @Override
    public boolean execute() throws SQLException {
        executedWithoutResult = true;
        return (Boolean) connection.execute(this, effects, queryTimeoutSeconds, execution(Execution.EXECUTE),
                compressedInto, false);
    }

    @Override
    public int executeUpdate() throws SQLException {
        return (Integer) connection.execute(this, effects, queryTimeoutSeconds, execution(Execution.UPDATE),
                compressedInto, false);
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return (Long) connection.execute(this, effects, queryTimeoutSeconds, execution(Execution.LARGE_UPDATE),
                compressedInto, false);
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return (int[]) connection.execute(this, effects, queryTimeoutSeconds, execution(Execution.BATCH),
                compressedInto, true);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return (long[]) connection.execute(this, effects, queryTimeoutSeconds, execution(Execution.LARGE_BATCH),
                compressedInto, true);
    }

    private Execution execution(int what) {
        Execution execution = executions[what];
        if (execution == null) {
            execution = Execution.prepared(this, what);
            executions[what] = execution;
        }
        return execution;
    }

    /** Runs sqlite-jdbc's statement as it is now (prepared again, it is another object). */
    @Override
    Object runPrepared(int what) throws SQLException {
        switch (what) {
            case Execution.EXECUTE:
                return prepared.execute();
            case Execution.UPDATE:
                return prepared.executeUpdate();
            case Execution.LARGE_UPDATE:
                return prepared.executeLargeUpdate();
            case Execution.QUERY:
                return wrap(prepared.executeQuery(), lastRewritten);
            case Execution.BATCH:
                return prepared.executeBatch();
            case Execution.LARGE_BATCH:
                return prepared.executeLargeBatch();
            default:
                throw new IllegalStateException("no execution of kind " + what);
        }
    }

    // Values bound straight into a column that takes compressed values are stored as envelopes.

    @Override
    public void setString(int parameterIndex, String x) throws SQLException {
        ColumnRef target = lastRewritten.compressTarget(parameterIndex);
        if (target == null || x == null || !bindEncoded(parameterIndex, target, x.getBytes(StandardCharsets.UTF_8), false)) {
            prepared.setString(parameterIndex, x);
        }
    }

    @Override
    public void setNString(int parameterIndex, String value) throws SQLException {
        setString(parameterIndex, value);
    }

    @Override
    public void setBytes(int parameterIndex, byte[] x) throws SQLException {
        ColumnRef target = lastRewritten.compressTarget(parameterIndex);
        if (target != null && x != null && bindEncoded(parameterIndex, target, x, true)) {
            return;
        }
        ColumnRef escapeOnly = target == null ? lastRewritten.escapeTarget(parameterIndex) : null;
        byte[] escaped = escapeOnly != null && x != null ? connection.values().escapedForStorage(x) : null;
        if (escaped != null) {
            bindStored(parameterIndex, escapeOnly, escaped);
            return;
        }
        prepared.setBytes(parameterIndex, x);
    }

    @Override
    public void setObject(int parameterIndex, Object x) throws SQLException {
        if (x instanceof String) {
            setString(parameterIndex, (String) x);
        } else if (x instanceof byte[]) {
            setBytes(parameterIndex, (byte[]) x);
        } else {
            prepared.setObject(parameterIndex, x);
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
        setObject(parameterIndex, x);
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        setObject(parameterIndex, x);
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, int length) throws SQLException {
        setString(parameterIndex, reader == null ? null : read(reader));
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
        setString(parameterIndex, reader == null ? null : read(reader));
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
        setString(parameterIndex, reader == null ? null : read(reader));
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, int length) throws SQLException {
        setBytes(parameterIndex, x == null ? null : read(x, length));
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
        setBytes(parameterIndex, x == null ? null : read(x, length));
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
        setBytes(parameterIndex, x == null ? null : read(x, -1));
    }

    private boolean bindEncoded(int parameterIndex, ColumnRef target, byte[] raw, boolean blob) throws SQLException {
        byte[] envelope = connection.encode(target, raw, blob);
        if (envelope == null) {
            return false;
        }
        bindStored(parameterIndex, target, envelope);
        return true;
    }

    /** Binds an envelope; the column is recorded as holding envelopes before the statement runs. */
    private void bindStored(int parameterIndex, ColumnRef target, byte[] envelope) throws SQLException {
        prepared.setBytes(parameterIndex, envelope);
        if (compressedInto == null) {
            compressedInto = new HashSet<>(2);
        }
        compressedInto.add(target);
    }

    private static String read(Reader reader) throws SQLException {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        try {
            for (int n; (n = reader.read(buffer)) > 0; ) {
                text.append(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new SQLException("Could not read the character stream: " + e.getMessage(), "22000", e);
        }
        return text.toString();
    }

    private static byte[] read(InputStream stream, long length) throws SQLException {
        try {
            byte[] bytes = length < 0 ? stream.readAllBytes() : stream.readNBytes((int) length);
            if (length >= 0 && bytes.length < length) {
                throw new SQLException("The binary stream ended after " + bytes.length + " of " + length + " bytes",
                        "22000");
            }
            return bytes;
        } catch (IOException e) {
            throw new SQLException("Could not read the binary stream: " + e.getMessage(), "22000", e);
        }
    }

    @Override
    public Object[] boundValues() {
        return SqliteStatements.boundValues(prepared);
    }

    /**
     * sqlite-jdbc keeps the bound values and shows them in its statement's toString, as
     * {@code <sql> \n parameters=[...]}; values bound into compressed columns show as their stored bytes.
     */
    @Override
    public String parametersForLog() {
        String text = prepared.toString();
        int at = text.lastIndexOf(PARAMETERS);
        return at < 0 ? null : text.substring(at + PARAMETERS.length());
    }

    /**
     * Prepares the statement again for the connection as it is now, carrying over the values bound so far, the batch
     * added so far and the row limit, and finalizes the old one (whose result set goes with it, as running again
     * would close it).
     */
    @Override
    public boolean prepareAgain() throws SQLException {
        RewrittenSql now = connection.rewrite(lastSql);
        if (now.sql().equals(lastRewritten.sql())) {
            return false;
        }
        PreparedStatement fresh = connection.rawPrepare(now.sql());
        try {
            if (!SqliteStatements.carryBindings(prepared, fresh)) {
                fresh.close();
                return false;
            }
            fresh.setMaxRows(prepared.getMaxRows());
            fresh.setFetchSize(prepared.getFetchSize());
        } catch (SQLException | RuntimeException e) {
            fresh.close();
            throw e;
        }
        PreparedStatement old = prepared;
        prepared = fresh;
        delegate = fresh;
        lastRewritten = now;
        reusable = false;
        old.close();
        return true;
    }

    /** Re-prepares the statement's SQL and finalizes the old one; parameters must be bound again. */
    @Override
    void renew() throws SQLException {
        PreparedStatement old = prepared;
        prepared = connection.rawPrepare(lastRewritten.sql());
        delegate = prepared;
        reusable = false;
        old.close();
    }

    @Override
    public void close() throws SQLException {
        if (!connection.forget(this)) {
            return;
        }
        PreparedStatement statement = prepared;
        prepared = Closed.STATEMENT;
        delegate = Closed.STATEMENT;
        if (!reusable || !resetForReuse(statement)) {
            statement.close();
            return;
        }
        cache.offer(cacheKey, statement);
    }

    /** Leaves the statement as freshly prepared: no open result, no bindings, no batch; false if it could not. */
    private boolean resetForReuse(PreparedStatement statement) {
        try {
            ResultSetWrapper result = lastResult;
            lastResult = null;
            if (result != null) {
                result.close();
            } else if (executedWithoutResult) {
                return false;
            }
            SqliteStatements.reset(statement);
            statement.clearParameters();
            statement.clearBatch();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** A statement taken from the cache gets back the column names sqlite-jdbc forgot (see SqliteStatements). */
    @Override
    public java.sql.ResultSetMetaData getMetaData() throws SQLException {
        SqliteStatements.restoreColumnNames(prepared);
        return super.getMetaData();
    }

    // Statement properties the next borrower of a cached statement would inherit: such a statement is not reused.

    @Override
    public void setMaxRows(int max) throws SQLException {
        reusable = false;
        super.setMaxRows(max);
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        reusable = false;
        super.setLargeMaxRows(max);
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        reusable = false;
        super.setMaxFieldSize(max);
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        reusable = false;
        super.setFetchSize(rows);
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        reusable = false;
        super.setFetchDirection(direction);
    }

    @Override
    public void setEscapeProcessing(boolean enable) {
        reusable = false;
        super.setEscapeProcessing(enable);
    }

    @Override
    public void setCursorName(String name) {
        reusable = false;
        super.setCursorName(name);
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        reusable &= poolable;
        super.setPoolable(poolable);
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        reusable = false;
        super.closeOnCompletion();
    }
}
