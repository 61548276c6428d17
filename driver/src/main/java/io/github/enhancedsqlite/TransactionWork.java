package io.github.enhancedsqlite;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A unit of work run inside one transaction by {@link EnhancedSqlite#inTransaction}. It may be run more than
 * once, so it should only change the database through the connection it is given.
 */
@FunctionalInterface
public interface TransactionWork<T> {

    T run(Connection connection) throws SQLException;
}
