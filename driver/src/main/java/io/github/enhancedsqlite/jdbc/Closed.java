package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.codegen.Refusing;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Stand-ins swapped into a wrapper when the object it forwarded to is no longer the application's: a connection
 * back in the pool, a statement back in the statement cache (it may already serve another caller), a result set
 * sqlite-jdbc reuses for the statement's next execution. Every call through a stale reference then fails as on a
 * closed object, instead of reaching what now belongs to someone else. The build writes each stand-in's refusing
 * methods ({@link Refusing}); they used to be proxies, whose classes a short-lived process generated at its first
 * close.
 */
final class Closed {

    static final Connection CONNECTION = new ClosedConnection();
    static final PreparedStatement STATEMENT = new ClosedStatement();
    static final ResultSet RESULT_SET = new ClosedResultSet();

    private Closed() {
    }

    @Refusing(value = Connection.class, name = "ClosedConnection")
    abstract static class ConnectionBase implements Connection {
        @Override
        public boolean isClosed() {
            return true;
        }

        @Override
        public boolean isValid(int timeout) {
            return false;
        }

        @Override
        public void close() {
        }

        @Override
        public void abort(java.util.concurrent.Executor executor) {
        }

        @Override
        public String toString() {
            return "closed Connection";
        }

        SQLException refusal() {
            return new SQLException("Connection is closed", "08003");
        }
    }

    @Refusing(value = PreparedStatement.class, name = "ClosedStatement")
    abstract static class StatementBase implements PreparedStatement {
        @Override
        public boolean isClosed() {
            return true;
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return "closed PreparedStatement";
        }

        SQLException refusal() {
            return new SQLException("Statement is closed", "HY010");
        }
    }

    @Refusing(value = ResultSet.class, name = "ClosedResultSet")
    abstract static class ResultSetBase implements ResultSet {
        @Override
        public boolean isClosed() {
            return true;
        }

        @Override
        public void close() {
        }

        /** As sqlite-jdbc answers next() on a closed result set. */
        @Override
        public boolean next() {
            return false;
        }

        @Override
        public String toString() {
            return "closed ResultSet";
        }

        SQLException refusal() {
            return new SQLException("ResultSet is closed", "HY010");
        }
    }
}
