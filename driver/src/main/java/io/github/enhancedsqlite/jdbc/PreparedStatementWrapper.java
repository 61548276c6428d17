package io.github.enhancedsqlite.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A prepared statement whose result sets lead back to it; its SQL was inspected when it was prepared. When it
 * came from the statement cache, close() resets it and gives it back instead of finalizing it, unless the
 * application changed a statement property the next user would inherit.
 */
final class PreparedStatementWrapper extends ForwardingPreparedStatement {

    /** What running it does, read once from its SQL (see {@link SqlInspector}). */
    private final int effects;
    /** The SQL it is cached under; null when it must not be cached. */
    private final String cacheKey;
    private final StatementCache cache;
    private boolean reusable;
    /** execute() may leave rows pending that only a fetched result set can reset. */
    private boolean executedWithoutResult;

    PreparedStatementWrapper(PreparedStatement delegate, ConnectionWrapper connection, int effects, String cacheKey,
                             StatementCache cache) {
        super(delegate, connection);
        this.effects = effects;
        this.cacheKey = cacheKey;
        this.cache = cache;
        this.reusable = cacheKey != null;
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        return connection.execute(effects, queryTimeoutSeconds, () -> wrap(prepared.executeQuery()));
    }

    @Override
    public boolean execute() throws SQLException {
        executedWithoutResult = true;
        return connection.execute(effects, queryTimeoutSeconds, () -> prepared.execute());
    }

    @Override
    public int executeUpdate() throws SQLException {
        return connection.execute(effects, queryTimeoutSeconds, () -> prepared.executeUpdate());
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return connection.execute(effects, queryTimeoutSeconds, () -> prepared.executeLargeUpdate());
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return connection.executeBatch(effects, queryTimeoutSeconds, () -> prepared.executeBatch());
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return connection.executeBatch(effects, queryTimeoutSeconds, () -> prepared.executeLargeBatch());
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
            statement.clearParameters();
            statement.clearBatch();
            return true;
        } catch (SQLException e) {
            return false;
        }
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
    public void setEscapeProcessing(boolean enable) throws SQLException {
        reusable = false;
        super.setEscapeProcessing(enable);
    }

    @Override
    public void setCursorName(String name) throws SQLException {
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
