package io.github.enhancedsqlite.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-creates one table of a source database (read through raw sqlite-jdbc) in another database through whatever
 * driver the target connection belongs to: its CREATE TABLE and CREATE INDEX statements as the source has them,
 * then every row as an INSERT with each value bound as a parameter — the way an application writes, and the only
 * way the enhanced driver compresses a value —, each in auto-commit or all in one transaction (how imports,
 * migrations and ORMs write).
 */
final class TableCopy {

    private TableCopy() {
    }

    /** The table's own SQL and its indexes' (automatic indexes of UNIQUE constraints have none), table first. */
    static List<String> schema(Connection source, String table) throws SQLException {
        List<String> statements = new ArrayList<>();
        try (PreparedStatement select = source.prepareStatement("SELECT sql FROM sqlite_schema WHERE tbl_name = ?"
                + " AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type = 'table' DESC, rowid")) {
            select.setString(1, table);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    statements.add(rs.getString(1));
                }
            }
        }
        if (statements.isEmpty()) {
            throw new SQLException("the source database has no table " + table);
        }
        return statements;
    }

    static List<String> columns(Connection source, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Statement statement = source.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA table_info(" + ValueStorage.quote(table) + ")")) {
            while (rs.next()) {
                columns.add(rs.getString("name"));
            }
        }
        return columns;
    }

    /** Creates the table in {@code target} and copies every row in rowid order; returns the rows copied. */
    static long copy(Connection source, String table, Connection target, boolean oneTransaction) throws SQLException {
        try (Statement ddl = target.createStatement()) {
            for (String sql : schema(source, table)) {
                ddl.execute(sql);
            }
        }
        List<String> columns = columns(source, table);
        String names = String.join(", ", columns.stream().map(TableCopy::name).toList());
        String insert = "INSERT INTO " + name(table) + " (" + names + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
        long rows = 0;
        target.setAutoCommit(!oneTransaction);
        try (Statement read = source.createStatement();
                ResultSet rs = read.executeQuery("SELECT " + names + " FROM " + name(table)
                        + " ORDER BY rowid");
                PreparedStatement write = target.prepareStatement(insert)) {
            while (rs.next()) {
                for (int i = 1; i <= columns.size(); i++) {
                    write.setObject(i, rs.getObject(i));
                }
                write.executeUpdate();
                rows++;
            }
            if (oneTransaction) {
                target.commit();
            }
        } finally {
            target.setAutoCommit(true); // rolls back what did not commit
        }
        return rows;
    }

    /**
     * An identifier as an application would write it: bare when it can be, quoted only when it must be. (The
     * driver at 90e9e02 does not recognise a quoted table name: {@code INSERT INTO "t"} stores values uncompressed,
     * so quoting everything would measure nothing.)
     */
    static String name(String identifier) {
        return identifier.matches("[A-Za-z_][A-Za-z0-9_]*") ? identifier : ValueStorage.quote(identifier);
    }
}
