package io.github.enhancedsqlite.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A result set whose {@link #getStatement()} is the statement the application holds. */
final class ResultSetWrapper extends ForwardingResultSet {

    private final Statement statement;

    ResultSetWrapper(ResultSet delegate, Statement statement) {
        super(delegate);
        this.statement = statement;
    }

    @Override
    public Statement getStatement() throws SQLException {
        if (delegate.isClosed()) {
            throw new SQLException("ResultSet is closed", "HY010");
        }
        return statement;
    }

    /** Closes the result set; later calls through this reference fail as on any closed result set. */
    @Override
    public void close() throws SQLException {
        ResultSet current = delegate;
        delegate = Closed.RESULT_SET;
        current.close();
    }

    /**
     * Cuts this reference off without closing what it forwarded to: sqlite-jdbc hands the same result set object
     * to the statement's next execution, which must not show through a result set the application got before.
     */
    void detach() {
        delegate = Closed.RESULT_SET;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }
}
