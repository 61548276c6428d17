package io.github.enhancedsqlite.it;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A hook process, run by {@link StartupClassesTest} with class loading logged: open the store, upsert one JSON value
 * into a column that compresses, read it back, exit. With {@code second}, a second connection is held beside the
 * first for one read (and the pool threads that start HikariCP printed while both are held); with {@code in-transaction}, the value is read once more in a unit of work of
 * {@link EnhancedSqlite#inTransaction}.
 */
public final class HookProcessMain {

    private HookProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:enhanced-sqlite:" + Path.of(args[0]);
        String value = "{\"note\":\"" + "the agent ran its plan and noted the result; ".repeat(30) + "\"}";
        try (Connection connection = DriverManager.getConnection(url)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS memory_entries(key TEXT NOT NULL,"
                        + " namespace TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (key, namespace))");
            }
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO memory_entries(key, namespace,"
                    + " value) VALUES (?, ?, ?) ON CONFLICT(key, namespace) DO UPDATE SET value = excluded.value")) {
                upsert.setString(1, "last-hook");
                upsert.setString(2, "hooks");
                upsert.setString(3, value);
                upsert.executeUpdate();
            }
            System.out.println("read-back=" + value.equals(read(connection)));
            if (args.length > 1 && args[1].equals("second")) {
                try (Connection second = DriverManager.getConnection(url)) {
                    // the pool's threads that start and run HikariCP, while the two connections are held
                    System.out.println("hikari-threads-at-second=" + Thread.getAllStackTraces().keySet().stream()
                            .map(Thread::getName)
                            .filter(name -> name.endsWith(":start") || name.endsWith(":housekeeper"))
                            .sorted().toList());
                    System.out.println("second-read=" + value.equals(read(second)));
                }
            }
        }
        if (args.length > 1 && args[1].equals("in-transaction")) {
            String again = EnhancedSqlite.inTransaction(new EnhancedSqliteDataSource(url), tx -> read(tx));
            System.out.println("in-transaction=" + value.equals(again));
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + Path.of(args[0]));
             Statement statement = connection.createStatement();
             ResultSet stored = statement.executeQuery("SELECT typeof(value) FROM memory_entries")) {
            stored.next();
            System.out.println("stored-as=" + stored.getString(1));
        }
    }

    private static String read(Connection connection) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(
                "SELECT value FROM memory_entries WHERE key = ? AND namespace = ?")) {
            read.setString(1, "last-hook");
            read.setString(2, "hooks");
            try (ResultSet row = read.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
