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

    /** What every stand-in answers alike: closed, closing again is nothing, any other call refused. */
    abstract static class StandIn {
        private final String type;
        private final String sqlState;

        StandIn(String type, String sqlState) {
            this.type = type;
            this.sqlState = sqlState;
        }

        public boolean isClosed() {
            return true;
        }

        public void close() {
        }

        @Override
        public String toString() {
            return "closed " + type;
        }

        SQLException refusal() {
            return new SQLException(type + " is closed", sqlState);
        }
    }

    @Refusing(value = Connection.class, name = "ClosedConnection")
    abstract static class ConnectionBase extends StandIn implements Connection {
        ConnectionBase() {
            super("Connection", "08003");
        }

        @Override
        public boolean isValid(int timeout) {
            return false;
        }

        @Override
        public void abort(java.util.concurrent.Executor executor) {
        }
    }

    @Refusing(value = PreparedStatement.class, name = "ClosedStatement")
    abstract static class StatementBase extends StandIn implements PreparedStatement {
        StatementBase() {
            super("Statement", "HY010");
        }
    }

    @Refusing(value = ResultSet.class, name = "ClosedResultSet")
    abstract static class ResultSetBase extends StandIn implements ResultSet {
        ResultSetBase() {
            super("ResultSet", "HY010");
        }

        /** As sqlite-jdbc answers next() on a closed result set. */
        @Override
        public boolean next() {
            return false;
        }
    }
}
