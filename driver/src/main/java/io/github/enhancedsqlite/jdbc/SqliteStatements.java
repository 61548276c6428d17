package io.github.enhancedsqlite.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.core.CoreResultSet;
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

    /**
     * Gives a prepared statement back the column names it had when freshly prepared. sqlite-jdbc reads them once, at
     * prepare, and forgets them when its result set closes; a statement reused from the cache would then answer
     * {@code getMetaData()} before its next execution with "inconsistent internal state", where a fresh one answers.
     */
    static void restoreColumnNames(PreparedStatement statement) throws SQLException {
        if (statement instanceof CoreStatement) {
            CoreStatement core = (CoreStatement) statement;
            ResultSetMetaData meta = statement.getMetaData(); // sqlite-jdbc's own result set, which is its metadata
            if (meta instanceof CoreResultSet && ((CoreResultSet) meta).colsMeta == null
                    && core.pointer != null && !core.pointer.isClosed()) {
                ((CoreResultSet) meta).colsMeta = core.pointer.safeRun(DB::column_names);
            }
        }
    }
}
