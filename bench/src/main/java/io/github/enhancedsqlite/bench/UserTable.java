package io.github.enhancedsqlite.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;

/**
 * YCSB's table as issue 17 sizes it: 10,000 rows of three 100-character fields, keyed by an integer. The statements
 * are YCSB's (read a row, scan a range, update a field, insert, delete), written as plain JDBC.
 */
final class UserTable {

    static final int ROWS = 10_000;
    static final int FIELD_LENGTH = 100;
    static final int SCAN_LENGTH = 20;

    static final String READ = "SELECT field1, field2, field3 FROM usertable WHERE ycsb_key = ?";
    static final String SCAN = "SELECT ycsb_key, field1, field2, field3 FROM usertable WHERE ycsb_key >= ?"
            + " ORDER BY ycsb_key LIMIT " + SCAN_LENGTH;
    static final String UPDATE = "UPDATE usertable SET field1 = ? WHERE ycsb_key = ?";
    static final String INSERT = "INSERT INTO usertable (ycsb_key, field1, field2, field3) VALUES (?, ?, ?, ?)";
    static final String DELETE = "DELETE FROM usertable WHERE ycsb_key = ?";

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private UserTable() {
    }

    /** A new file with the rows loaded, through raw sqlite-jdbc with the profile's pragmas (both sides alike). */
    static void create(Path database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(Workspace.rawUrl(database))) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE usertable (ycsb_key INTEGER PRIMARY KEY, field1 TEXT, field2 TEXT,"
                        + " field3 TEXT)");
            }
            connection.setAutoCommit(false);
            SplittableRandom random = new SplittableRandom(17);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (int key = 1; key <= ROWS; key++) {
                    insert.setInt(1, key);
                    insert.setString(2, field(random));
                    insert.setString(3, field(random));
                    insert.setString(4, field(random));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        }
    }

    static String field(SplittableRandom random) {
        char[] text = new char[FIELD_LENGTH];
        for (int i = 0; i < text.length; i++) {
            text[i] = LETTERS.charAt(random.nextInt(LETTERS.length()));
        }
        return new String(text);
    }

    /** Reads one row; true when it exists. Every field is read, as an application consuming the row would. */
    static boolean read(Connection connection, int key) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(READ)) {
            read.setInt(1, key);
            try (ResultSet row = read.executeQuery()) {
                if (!row.next()) {
                    return false;
                }
                row.getString(1);
                row.getString(2);
                row.getString(3);
                return true;
            }
        }
    }

    static int scan(Connection connection, int from) throws SQLException {
        int rows = 0;
        try (PreparedStatement scan = connection.prepareStatement(SCAN)) {
            scan.setInt(1, from);
            try (ResultSet row = scan.executeQuery()) {
                while (row.next()) {
                    row.getInt(1);
                    row.getString(2);
                    row.getString(3);
                    row.getString(4);
                    rows++;
                }
            }
        }
        return rows;
    }

    static int update(Connection connection, int key, String value) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
            update.setString(1, value);
            update.setInt(2, key);
            return update.executeUpdate();
        }
    }

    static int insert(Connection connection, long key, SplittableRandom random) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setLong(1, key);
            insert.setString(2, field(random));
            insert.setString(3, field(random));
            insert.setString(4, field(random));
            return insert.executeUpdate();
        }
    }

    static int delete(Connection connection, int key) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
            delete.setInt(1, key);
            return delete.executeUpdate();
        }
    }
}
