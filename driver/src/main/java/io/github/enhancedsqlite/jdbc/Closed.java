package io.github.enhancedsqlite.jdbc;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Stand-ins swapped into a wrapper when the object it forwarded to is no longer the application's: a connection
 * back in the pool, a statement back in the statement cache (it may already serve another caller), a result set
 * sqlite-jdbc reuses for the statement's next execution. Every call through a stale reference then fails as on a
 * closed object, instead of reaching what now belongs to someone else.
 */
final class Closed {

    static final Connection CONNECTION = stub(Connection.class, "Connection is closed", "08003");
    static final PreparedStatement STATEMENT = stub(PreparedStatement.class, "Statement is closed", "HY010");
    static final ResultSet RESULT_SET = stub(ResultSet.class, "ResultSet is closed", "HY010");

    private Closed() {
    }

    private static <T> T stub(Class<T> type, String message, String sqlState) {
        return type.cast(Proxy.newProxyInstance(Closed.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "isClosed":
                            return true;
                        case "isValid":
                            return false;
                        case "close":
                        case "abort":
                            return null;
                        case "next":
                            return false; // as sqlite-jdbc answers next() on a closed result set
                        case "toString":
                            return "closed " + type.getSimpleName();
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            throw new SQLException(message, sqlState);
                    }
                }));
    }
}
