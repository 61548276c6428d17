package io.github.enhancedsqlite.tx;

import java.sql.SQLException;
import java.sql.Savepoint;

/** A savepoint this driver created; its SQL name is always a quoted identifier, never raw caller text. */
final class NamedSavepoint implements Savepoint {

    private final int id;
    private final String name;

    NamedSavepoint(int id, String name) {
        this.id = id;
        this.name = name;
    }

    /**
     * An unnamed savepoint takes sqlite-jdbc's SQL name for it: SQLite compares savepoint names without case, and a
     * short name such as {@code SP1} caught the application's own {@code sp1}, so rolling back to a savepoint that had
     * ended rolled back to another one instead of failing.
     */
    String quotedName() {
        return '"' + (name != null ? name : "SQLITE_SAVEPOINT_" + id).replace("\"", "\"\"") + '"';
    }

    @Override
    public int getSavepointId() throws SQLException {
        if (name != null) {
            throw new SQLException("Savepoint '" + name + "' is named; use getSavepointName()");
        }
        return id;
    }

    @Override
    public String getSavepointName() throws SQLException {
        if (name == null) {
            throw new SQLException("Savepoint " + id + " is unnamed; use getSavepointId()");
        }
        return name;
    }

    @Override
    public String toString() {
        return quotedName();
    }
}
