package io.github.enhancedsqlite.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The table the writer scenarios increment: a handful of counters, so every write contends for SQLite's one write
 * lock, and the sum of all counters afterwards must equal the number of increments the application was told
 * succeeded — a lost or doubled write shows up as a wrong sum.
 */
final class Counters {

    /** Few rows on purpose: the lock is per database anyway, and few pages keep the work SQLite's locking, not I/O. */
    static final int ROWS = 8;

    static final String INCREMENT = "UPDATE counters SET n = n + 1 WHERE id = ?";
    static final String READ = "SELECT n FROM counters WHERE id = ?";
    /** Writes back the value read: a lost update would leave the sum short of the successful transactions. */
    static final String WRITE_BACK = "UPDATE counters SET n = ? WHERE id = ?";

    private Counters() {
    }

    /**
     * Creates a new database file with the rows at zero, through raw sqlite-jdbc with the profile's pragmas, so
     * both sides start from identical files already in WAL mode.
     */
    static void create(Path database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(Workspace.rawUrl(database));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
            statement.execute("WITH RECURSIVE ids(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM ids WHERE id < " + ROWS
                    + ") INSERT INTO counters (id, n) SELECT id, 0 FROM ids");
            statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    /** The sum of all counters, read through a plain connection after the side's pool is closed. */
    static long total(Path database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(Workspace.rawUrl(database));
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT sum(n) FROM counters")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One read-then-update on a connection already in a transaction: read n, write n + 1. */
    static void readThenUpdate(Connection connection, int id) throws SQLException {
        long n;
        try (PreparedStatement read = connection.prepareStatement(READ)) {
            read.setInt(1, id);
            try (ResultSet rs = read.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("counter " + id + " missing: the benchmark would time the wrong work");
                }
                n = rs.getLong(1);
            }
        }
        try (PreparedStatement write = connection.prepareStatement(WRITE_BACK)) {
            write.setLong(1, n + 1);
            write.setInt(2, id);
            if (write.executeUpdate() != 1) {
                throw new IllegalStateException("counter " + id + " not updated");
            }
        }
    }
}
