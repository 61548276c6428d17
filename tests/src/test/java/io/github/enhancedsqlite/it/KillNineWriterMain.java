package io.github.enhancedsqlite.it;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Child JVM for {@link KillNineLoopTest}: an agent-memory writer that is killed with SIGKILL at any moment. Each of
 * its threads, in turn, upserts a small JSON value (auto-commit) and prints {@code ack <key>}, increments a shared
 * counter in a read-then-write transaction through {@code inTransaction} and prints {@code inc <key>}, and runs a
 * read-only transaction. A line is printed only after its write returned, so every printed key was acknowledged.
 *
 * <pre>KillNineWriterMain &lt;database&gt; &lt;name&gt; &lt;threads&gt;</pre>
 */
public final class KillNineWriterMain {

    static final int COUNTERS = 4;

    private KillNineWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = Db.url(Path.of(args[0]));
        String name = args[1];
        int threads = Integer.parseInt(args[2]);
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS memory(key TEXT PRIMARY KEY, body TEXT NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS counters(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
            statement.execute("INSERT OR IGNORE INTO counters VALUES (1, 0), (2, 0), (3, 0), (4, 0)");
        }
        for (int t = 0; t < threads; t++) {
            String prefix = name + "-" + t + "-";
            // non-daemon, like an application's workers: only the kill ends them
            new Thread(() -> write(url, prefix), "writer-" + t).start();
        }
        System.out.println("started");
    }

    private static void write(String url, String prefix) {
        for (int i = 0; ; i++) {
            String key = prefix + i;
            try {
                try (Connection connection = DriverManager.getConnection(url);
                     PreparedStatement upsert = connection.prepareStatement(
                             "INSERT INTO memory(key, body) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET body = excluded.body")) {
                    upsert.setString(1, key);
                    upsert.setString(2, "{\"note\":\"" + "remember ".repeat(1 + i % 40) + "\",\"i\":" + i + "}");
                    upsert.executeUpdate();
                }
                System.out.println("ack " + key);
                int counter = 1 + i % COUNTERS;
                try (Connection connection = DriverManager.getConnection(url)) {
                    EnhancedSqlite.inTransaction(connection, tx -> increment(tx, counter));
                }
                System.out.println("inc " + key);
                try (Connection connection = DriverManager.getConnection(url)) {
                    connection.setAutoCommit(false);
                    try (Statement statement = connection.createStatement();
                         ResultSet rows = statement.executeQuery("SELECT count(*), sum(length(body)) FROM memory")) {
                        rows.next();
                    }
                    connection.commit();
                }
            } catch (SQLException e) {
                // no error may reach a writer here; the parent fails the test on this line
                System.out.println("error " + key + ": " + e);
            }
        }
    }

    private static Void increment(Connection connection, int counter) throws SQLException {
        long n;
        try (PreparedStatement read = connection.prepareStatement("SELECT n FROM counters WHERE id = ?")) {
            read.setInt(1, counter);
            try (ResultSet row = read.executeQuery()) {
                row.next();
                n = row.getLong(1);
            }
        }
        try (PreparedStatement write = connection.prepareStatement("UPDATE counters SET n = ? WHERE id = ?")) {
            write.setLong(1, n + 1);
            write.setInt(2, counter);
            write.executeUpdate();
        }
        return null;
    }
}
