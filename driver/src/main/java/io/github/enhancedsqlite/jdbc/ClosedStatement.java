package io.github.enhancedsqlite.jdbc;

import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Stands in for a prepared statement the application closed but the statement cache kept: the real statement
 * may already serve another caller, so every call through a stale reference fails as on a closed statement.
 */
final class ClosedStatement {

    static final PreparedStatement INSTANCE = (PreparedStatement) Proxy.newProxyInstance(
            ClosedStatement.class.getClassLoader(), new Class<?>[] {PreparedStatement.class},
            (proxy, method, args) -> {
                switch (method.getName()) {
                    case "isClosed":
                        return true;
                    case "close":
                        return null;
                    case "toString":
                        return "closed statement";
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == args[0];
                    default:
                        throw new SQLException("Statement is closed", "HY010");
                }
            });

    private ClosedStatement() {
    }
}
