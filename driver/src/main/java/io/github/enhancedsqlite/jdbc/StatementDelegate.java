package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.codegen.Forward;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConnection;
import org.sqlite.jdbc4.JDBC4Statement;

/**
 * What every statement wrapper holds; the build generates {@code ForwardingStatement} from it (see {@link Forward}).
 * Like the connection ({@link ConnectionDelegate}), it is a sqlite-jdbc statement, so code written for sqlite-jdbc
 * that casts it or unwraps it to {@code JDBC4Statement} gets the application's own statement back, and its calls
 * still run under the connection's rules: every {@link Statement} method is forwarded, and sqlite-jdbc's own state
 * underneath (no prepared statement, an unopened result set) is never used.
 */
@Forward(value = Statement.class, name = "ForwardingStatement")
abstract class StatementDelegate extends JDBC4Statement {

    /** Not final: a statement handed back to the statement cache swaps in {@link Closed}. */
    Statement delegate;

    /** {@code connection}: the application's connection, which sqlite-jdbc's part of the statement names. */
    StatementDelegate(Statement delegate, SQLiteConnection connection) {
        super(connection);
        this.delegate = delegate;
    }

    /** The one place every forwarded call's error passes; it returns what the application is to see. */
    abstract SQLException checkException(SQLException error);

    /** The application got sqlite-jdbc's statement underneath, which leads to the physical connection. */
    abstract void delegateHandedOut();

    /**
     * The statement itself for what it is (a JDBC {@link Statement}, sqlite-jdbc's {@code JDBC4Statement}); anything
     * else is sqlite-jdbc's object underneath. sqlite-jdbc declares this and {@link #isWrapperFor} without
     * {@code throws SQLException}; a closed statement's error passes all the same.
     */
    @Override
    public final <T> T unwrap(Class<T> iface) {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        try {
            T unwrapped = delegate.unwrap(iface);
            delegateHandedOut();
            return unwrapped;
        } catch (SQLException e) {
            throw Unchecked.<RuntimeException>as(checkException(e));
        }
    }

    @Override
    public final boolean isWrapperFor(Class<?> iface) {
        try {
            return iface.isInstance(this) || delegate.isWrapperFor(iface);
        } catch (SQLException e) {
            throw Unchecked.<RuntimeException>as(checkException(e));
        }
    }

    // Forwarded by hand as well: sqlite-jdbc declares these three without throws SQLException, so the generated
    // overrides could not throw what the Statement methods may (a closed statement). The error is thrown all the same.

    @Override
    public boolean isClosed() {
        try {
            return delegate.isClosed();
        } catch (SQLException e) {
            throw Unchecked.<RuntimeException>as(checkException(e));
        }
    }

    @Override
    public void setCursorName(String name) {
        try {
            delegate.setCursorName(name);
        } catch (SQLException e) {
            throw Unchecked.<RuntimeException>as(checkException(e));
        }
    }

    @Override
    public void setEscapeProcessing(boolean enable) {
        try {
            delegate.setEscapeProcessing(enable);
        } catch (SQLException e) {
            throw Unchecked.<RuntimeException>as(checkException(e));
        }
    }

    /**
     * sqlite-jdbc's own query entry (its metadata code calls it): the query runs as {@link #executeQuery(String)}
     * does, and {@code closeStmt} closes this statement with its result set, as there.
     */
    @Override
    public ResultSet executeQuery(String sql, boolean closeStmt) throws SQLException {
        if (closeStmt) {
            closeOnCompletion();
        }
        return executeQuery(sql);
    }
}
