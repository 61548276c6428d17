package io.github.enhancedsqlite.compress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The record, inside the database, of which columns hold compressed values ({@value #TABLE}). A column is recorded
 * in the same transaction as its first compressed value, so no process can find an envelope in a column the
 * record does not name. Tools that read the file ({@code export}, {@code verify}) and processes that run with
 * compression off rely on it.
 */
final class Catalog {

    static final String TABLE = StoredFormat.COLUMNS_TABLE;
    private static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS " + TABLE
            + " (table_name TEXT NOT NULL, column_name TEXT NOT NULL, since INTEGER NOT NULL,"
            + " PRIMARY KEY (table_name, column_name))";

    /** Columns known to be recorded in a committed transaction. */
    private final Set<ColumnRef> committed = ConcurrentHashMap.newKeySet();

    boolean contains(ColumnRef column) {
        return committed.contains(column);
    }

    Set<ColumnRef> columns() {
        return Set.copyOf(committed);
    }

    /** Loads the record from its table, known to exist. */
    void loadExisting(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT table_name, column_name FROM " + TABLE)) {
            while (rows.next()) {
                committed.add(new ColumnRef(rows.getString(1), rows.getString(2)));
            }
        }
    }

    /** Forgets the whole record: the content it described was replaced. */
    void clear() {
        committed.clear();
    }

    /** Columns recorded inside a transaction that has now committed. */
    void confirm(Set<ColumnRef> columns) {
        committed.addAll(columns);
    }

    /** Columns whose record was removed in a transaction that has now committed. */
    void forget(Set<ColumnRef> columns) {
        committed.removeAll(columns);
    }

    /** Removes the record of a column in the caller's transaction (its values were made plain). */
    void remove(Connection connection, ColumnRef column) throws SQLException {
        if (!StoredFormat.tableExists(connection, TABLE)) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE
                + " WHERE table_name = ? COLLATE NOCASE AND column_name = ? COLLATE NOCASE")) {
            delete.setString(1, column.table());
            delete.setString(2, column.column());
            delete.executeUpdate();
        }
    }

    /** Those of the columns the database's record names. */
    Set<ColumnRef> committedAmong(Connection connection, Set<ColumnRef> columns) throws SQLException {
        Set<ColumnRef> found = new HashSet<>();
        if (!StoredFormat.tableExists(connection, TABLE)) {
            return found;
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM " + TABLE
                + " WHERE table_name = ? COLLATE NOCASE AND column_name = ? COLLATE NOCASE")) {
            for (ColumnRef column : columns) {
                select.setString(1, column.table());
                select.setString(2, column.column());
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        found.add(column);
                    }
                }
            }
        }
        return found;
    }

    /**
     * Records a column about to receive a compressed value, in the caller's transaction. Inside a transaction
     * the record is not trusted as committed until a later auto-commit write confirms it.
     */
    void record(Connection connection, ColumnRef column, boolean inTransaction) throws SQLException {
        if (committed.contains(column)) {
            return;
        }
        try (Statement create = connection.createStatement()) {
            create.execute(CREATE_TABLE);
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT OR IGNORE INTO " + TABLE
                + " (table_name, column_name, since) VALUES (?, ?, strftime('%s','now'))")) {
            insert.setString(1, column.table());
            insert.setString(2, column.column());
            insert.executeUpdate();
        }
        if (!inTransaction) {
            committed.add(column);
        }
    }
}
