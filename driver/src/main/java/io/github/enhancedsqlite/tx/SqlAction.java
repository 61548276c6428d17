package io.github.enhancedsqlite.tx;

import java.sql.SQLException;

/** One JDBC call that may be run again when SQLite reports the database busy. */
@FunctionalInterface
public interface SqlAction<T> {

    T run() throws SQLException;
}
