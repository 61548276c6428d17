package io.github.enhancedsqlite.it;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What one copy of the driver does in {@link TwoCopiesMain}: loaded once per class loader, as by two web applications
 * of one server, so each copy has its own pools for the same database file.
 */
public final class TwoCopiesWork {

    private TwoCopiesWork() {
    }

    /** Opens a pool for {@code url} and holds one of its connections, after one increment. */
    public static AutoCloseable hold(String url) throws SQLException {
        EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(url);
        Connection held = dataSource.getConnection();
        increment(held);
        return () -> {
            held.close();
            EnhancedSqlite.shutdown();
        };
    }

    /** {@code connected} after an increment, or {@code refused SQLSTATE message}. */
    public static String tryToWrite(String url) {
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(url);
                Connection connection = dataSource.getConnection()) {
            increment(connection);
            return "connected";
        } catch (SQLException e) {
            return "refused " + e.getSQLState() + " " + e.getMessage();
        }
    }

    /** {@code threads} threads each make {@code writes} auto-commit increments; returns what failed, one line each. */
    public static List<String> write(String url, int threads, int writes) throws InterruptedException {
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(url)) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread writer = new Thread(() -> {
                    for (int i = 0; i < writes; i++) {
                        try (Connection connection = dataSource.getConnection()) {
                            increment(connection);
                        } catch (SQLException | RuntimeException e) {
                            failures.add(e.toString());
                        }
                    }
                });
                writers.add(writer);
                writer.start();
            }
            for (Thread writer : writers) {
                writer.join();
            }
        }
        EnhancedSqlite.shutdown();
        return new ArrayList<>(failures);
    }

    private static void increment(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE counter SET n = n + 1");
        }
    }
}
