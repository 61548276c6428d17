package io.github.enhancedsqlite.jdbc;

import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

/** What sqlite-jdbc's statements need that JDBC has no call for. */
final class SqliteStatements {

    private SqliteStatements() {
    }

    /**
     * Resets a sqlite-jdbc statement (sqlite3_reset). sqlite-jdbc resets a statement only when it runs again, so
     * one that ran keeps a read snapshot, or SQLite's interrupt flag, alive in between.
     */
    static void reset(Statement statement) throws SQLException {
        if (statement instanceof CoreStatement) {
            CoreStatement core = (CoreStatement) statement;
            if (core.pointer != null && !core.pointer.isClosed()) {
                core.pointer.safeRunInt(DB::reset);
            }
        }
    }
}
