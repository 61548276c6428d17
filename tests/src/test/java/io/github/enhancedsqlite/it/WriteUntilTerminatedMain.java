package io.github.enhancedsqlite.it;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * Child JVM for {@link TerminatedWhileWritingTest}: several threads write until the JVM is terminated, each printing
 * "ack <key>" after its write returned (was acknowledged). The parent sends SIGTERM while they write.
 */
public final class WriteUntilTerminatedMain {

    private WriteUntilTerminatedMain() {
    }

    public static void main(String[] args) throws Exception {
        Path database = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        String url = Db.url(database);
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS events(key TEXT PRIMARY KEY, body TEXT NOT NULL)");
        }
        for (int t = 0; t < threads; t++) {
            int thread = t;
            // non-daemon, like an application's workers: only the termination ends them
            new Thread(() -> write(url, thread), "writer-" + t).start();
        }
        System.out.println("started");
    }

    private static void write(String url, int thread) {
        String body = "x".repeat(300); // several pages per transaction now and then, so the WAL grows
        try {
            for (int i = 0; ; i++) {
                String key = thread + "-" + i;
                try (Connection connection = DriverManager.getConnection(url)) {
                    if (i % 2 == 0) {
                        try (PreparedStatement insert = connection.prepareStatement(
                                "INSERT INTO events(key, body) VALUES (?, ?)")) {
                            insert.setString(1, key);
                            insert.setString(2, body);
                            insert.executeUpdate();
                        }
                    } else {
                        connection.setAutoCommit(false);
                        try (PreparedStatement insert = connection.prepareStatement(
                                "INSERT INTO events(key, body) VALUES (?, ?)")) {
                            insert.setString(1, key);
                            insert.setString(2, body);
                            insert.executeUpdate();
                        }
                        connection.commit();
                    }
                }
                System.out.println("ack " + key);
            }
        } catch (Exception e) {
            // the exit closed the pool under this thread: expected once termination began
            System.out.println("stopped " + thread + ": " + e);
        }
    }
}
