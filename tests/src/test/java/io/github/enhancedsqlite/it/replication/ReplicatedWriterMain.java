package io.github.enhancedsqlite.it.replication;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

/**
 * A short-lived agent-memory writer in its own JVM, as the users run them: upserts entries one auto-commit
 * statement each, prints {@code acked <key>} once each returned, and (unless it runs until killed) closes its pool
 * and prints how long that took.
 *
 * <p>Arguments: database file, URL query, first entry number, entries to write (-1: until killed).
 */
public final class ReplicatedWriterMain {

    static final String SCHEMA = "CREATE TABLE IF NOT EXISTS memory_entries(key TEXT PRIMARY KEY, namespace TEXT"
            + " NOT NULL, value TEXT NOT NULL, updated INTEGER NOT NULL)";

    private ReplicatedWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:enhanced-sqlite:" + args[0] + (args[1].isEmpty() ? "" : "?" + args[1]);
        int first = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement upsert = connection.prepareStatement("INSERT INTO memory_entries(key, namespace, value,"
                     + " updated) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value,"
                     + " updated = excluded.updated")) {
            for (int n = first; count < 0 || n < first + count; n++) {
                upsert.setString(1, key(n));
                upsert.setString(2, "agent-" + (n % 7));
                upsert.setString(3, value(n));
                upsert.setLong(4, n);
                upsert.executeUpdate();
                System.out.println("acked " + key(n));
            }
        }
        long start = System.nanoTime();
        EnhancedSqlite.shutdown();
        System.out.println("pool-close-ms " + (System.nanoTime() - start) / 1_000_000.0);
    }

    static String key(int n) {
        return "entry-" + n;
    }

    /** Mostly small JSON; every fourth a 4 KB snapshot, which the driver stores compressed. */
    static String value(int n) {
        StringBuilder json = new StringBuilder("{\"n\": ").append(n).append(", \"text\": \"remember item ")
                .append(n).append('"');
        if (n % 4 == 0) {
            json.append(", \"snapshot\": [");
            for (int i = 0; i < 120; i++) {
                json.append(i == 0 ? "" : ", ").append("{\"step\": ").append(i).append(", \"note\": \"observation\"}");
            }
            json.append(']');
        }
        return json.append('}').toString();
    }
}
