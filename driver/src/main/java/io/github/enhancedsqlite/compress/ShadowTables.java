package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.SqlNames.quote;

import io.github.enhancedsqlite.sql.SqlLexer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The escape hatch of a connection that cannot write: a statement the rewriter cannot account for reads its
 * compressed tables through decoded copies instead of returning them to plain storage. For each table a TEMP table
 * of the same name is made from the table's own CREATE TABLE text (so every column keeps its declared type, affinity
 * and collation, and the copy its rowid, WITHOUT ROWID or STRICT), filled with the table's rows, their envelopes
 * decoded, and given the table's indexes (so INDEXED BY finds them); SQLite resolves an unqualified name in
 * {@code temp} before {@code main}, and the temp schema is writable even on a read-only connection or file. The
 * statement's compiled form is prepared again by SQLite once the temp schema changed, and the copies are dropped
 * after it, so no other statement reads them. One instance per physical connection.
 */
public final class ShadowTables {

    private final Compression compression;
    private final Connection sqlite;
    /** The tables shadowed now: lower-case name to the name as created. */
    private final Map<String, String> shadowed = new LinkedHashMap<>();

    ShadowTables(Compression compression, Connection sqlite) {
        this.compression = compression;
        this.sqlite = sqlite;
    }

    /**
     * Whether SQLite's own plan of the statement writes the main database: such a statement must run as written and
     * fail as SQLite makes it fail on a read-only connection (a copy would take its write). A statement SQLite cannot
     * prepare counts as writing: it then fails with SQLite's own error.
     */
    public boolean writesMain(String sql) {
        try (Statement statement = sqlite.createStatement();
             ResultSet program = statement.executeQuery("EXPLAIN " + sql)) {
            while (program.next()) {
                if ("Transaction".equals(program.getString(2)) && program.getInt(3) == 0 && program.getInt(4) != 0) {
                    return true;
                }
            }
            return false;
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * Shadows the tables of {@code columns} with decoded copies for the statement {@code sql}, in one savepoint (so
     * every copy reads one snapshot). A table the temp schema already has an object of that name for is left: the
     * statement reads that object, not the table.
     */
    public void cover(String sql, Set<ColumnRef> columns) throws SQLException {
        Map<String, Set<ColumnRef>> byTable = new LinkedHashMap<>();
        for (ColumnRef column : columns) {
            byTable.computeIfAbsent(column.table(), table -> new LinkedHashSet<>()).add(column);
        }
        refuseMainQualified(sql, byTable.keySet());
        boolean queryOnly = queryOnly();
        run("SAVEPOINT esq_shadow");
        try {
            for (Map.Entry<String, Set<ColumnRef>> table : byTable.entrySet()) {
                TableInfo info = compression.tableInfo(sqlite, table.getKey());
                if (info.exists() && !inTemp(info.name())) {
                    copy(info, table.getValue());
                    shadowed.put(info.name().toLowerCase(Locale.ROOT), info.name());
                }
            }
            run("RELEASE esq_shadow");
        } catch (SQLException e) {
            shadowed.clear();
            try {
                run("ROLLBACK TO esq_shadow");
                run("RELEASE esq_shadow");
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            restoreQueryOnly(queryOnly);
        }
    }

    /** Whether copies exist on the connection now. */
    public boolean any() {
        return !shadowed.isEmpty();
    }

    /**
     * Drops the copies. False when the statement that reads them still has a cursor open on them (SQLite refuses to
     * drop a table being read): they stay until a later call.
     */
    public boolean drop() throws SQLException {
        if (shadowed.isEmpty()) {
            return true;
        }
        boolean queryOnly = queryOnly();
        try {
            for (var iterator = shadowed.values().iterator(); iterator.hasNext(); ) {
                try {
                    run("DROP TABLE IF EXISTS temp." + quote(iterator.next()));
                } catch (SQLException e) {
                    if ((e.getErrorCode() & 0xFF) == 6) { // SQLITE_LOCKED: a cursor of this connection reads it
                        return false;
                    }
                    throw e;
                }
                iterator.remove();
            }
            return true;
        } finally {
            restoreQueryOnly(queryOnly);
        }
    }

    /** Whether the statement names a table shadowed now. */
    public boolean namedBy(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        for (SqlLexer.Kind kind = lexer.next(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
            if ((kind == SqlLexer.Kind.WORD || kind == SqlLexer.Kind.NAME)
                    && shadowed.containsKey(lexer.name().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** The shadowed tables, for an error message. */
    public String names() {
        return String.join(", ", shadowed.values());
    }

    /**
     * A name qualified with {@code main} would read the stored envelopes past the copy: refused, naming the remedy,
     * rather than answered with stored bytes.
     */
    private static void refuseMainQualified(String sql, Set<String> tables) throws SQLException {
        Set<String> names = new HashSet<>();
        for (String table : tables) {
            names.add(table.toLowerCase(Locale.ROOT));
        }
        SqlLexer lexer = new SqlLexer(sql);
        boolean afterMain = false;
        boolean afterMainDot = false;
        for (SqlLexer.Kind kind = lexer.next(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
            if (afterMainDot && (kind == SqlLexer.Kind.WORD || kind == SqlLexer.Kind.NAME)
                    && names.contains(lexer.name().toLowerCase(Locale.ROOT))) {
                throw new SQLException("On a read-only connection this statement reads the compressed columns of "
                        + lexer.name() + " through a decoded copy in the temp schema, and the name main."
                        + lexer.name() + " would read the stored envelopes instead; write the table's name without"
                        + " main.", "0A000");
            }
            afterMainDot = afterMain && lexer.is(".");
            afterMain = lexer.names("main");
        }
    }

    private void copy(TableInfo table, Set<ColumnRef> compressed) throws SQLException {
        String ddl;
        List<String> indexes = new ArrayList<>();
        try (PreparedStatement select = sqlite.prepareStatement("SELECT type, sql FROM main.sqlite_schema"
                + " WHERE tbl_name = ? COLLATE NOCASE AND type IN ('table', 'index') AND sql IS NOT NULL"
                + " ORDER BY type = 'index', rowid")) {
            select.setString(1, table.name());
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return;
                }
                ddl = rows.getString(2);
                while (rows.next()) {
                    indexes.add(rows.getString(2));
                }
            }
        }
        run(TableText.asTemporary(ddl, quote(table.name())));
        List<String> stored = new ArrayList<>();
        try (PreparedStatement columns = sqlite.prepareStatement(
                "SELECT name FROM pragma_table_xinfo(?, 'main') WHERE hidden = 0 ORDER BY cid")) {
            columns.setString(1, table.name());
            try (ResultSet names = columns.executeQuery()) {
                while (names.next()) {
                    stored.add(names.getString(1));
                }
            }
        }
        Set<String> decoded = new HashSet<>();
        for (ColumnRef column : compressed) {
            decoded.add(column.column().toLowerCase(Locale.ROOT));
        }
        StringBuilder into = new StringBuilder(table.hasRowid() ? "rowid" : "");
        StringBuilder values = new StringBuilder(table.hasRowid() ? "rowid" : "");
        for (String column : stored) {
            String name = quote(column);
            into.append(into.length() == 0 ? "" : ", ").append(name);
            values.append(values.length() == 0 ? "" : ", ");
            if (decoded.contains(column.toLowerCase(Locale.ROOT))) {
                values.append("CASE WHEN typeof(").append(name).append(") = 'blob' THEN ").append(SqlRewriter.DECOMPRESS)
                        .append('(').append(name).append(", '").append((table.name() + "." + column).replace("'", "''"))
                        .append('\'').append(table.hasRowid() ? ", rowid" : "").append(") ELSE ").append(name)
                        .append(" END");
            } else {
                values.append(name);
            }
        }
        run("INSERT INTO temp." + quote(table.name()) + " (" + into + ") SELECT " + values + " FROM main."
                + quote(table.name()));
        for (String index : indexes) {
            run(TableText.indexInTemp(index));
        }
    }

    private boolean inTemp(String name) throws SQLException {
        try (PreparedStatement select = sqlite.prepareStatement(
                "SELECT 1 FROM temp.sqlite_schema WHERE name = ? COLLATE NOCASE")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /**
     * {@code PRAGMA query_only} keeps the temp schema from being written too: lifted for the driver's own work on the
     * copies, and set again before the application's statement runs.
     */
    private boolean queryOnly() throws SQLException {
        try (Statement statement = sqlite.createStatement();
             ResultSet value = statement.executeQuery("PRAGMA query_only")) {
            boolean on = value.next() && value.getInt(1) != 0;
            if (on) {
                statement.execute("PRAGMA query_only = 0");
            }
            return on;
        }
    }

    private void restoreQueryOnly(boolean on) throws SQLException {
        if (on) {
            run("PRAGMA query_only = 1");
        }
    }

    private void run(String sql) throws SQLException {
        try (Statement statement = sqlite.createStatement()) {
            statement.execute(sql);
        }
    }

}
