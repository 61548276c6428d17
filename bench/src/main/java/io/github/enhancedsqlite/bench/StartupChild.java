package io.github.enhancedsqlite.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * The child JVM of the {@code startup} group, run once per sample by {@link ChildProcess}; the same code for both
 * sides, which differ only in the URL prefix. Modes:
 * <ul>
 * <li>{@code one-shot <url>}: a hook process — open, upsert one 1 KB JSON value, read it back, exit;</li>
 * <li>{@code many-files <prefix> <dir> <count> <query>}: a test suite's pattern — a new file per test, written and
 * read once, never closed explicitly; prints {@code elapsed-ns=} and {@code fds=} (open descriptors at the end);</li>
 * <li>{@code first-ops <url> <count>}: the first open–query–close operations of a fresh JVM on an existing file;
 * prints {@code first-ns=} for the very first and {@code elapsed-ns=} for the {@code count} after it.</li>
 * </ul>
 */
public final class StartupChild {

    static final String UPSERT = "INSERT INTO memory_entries(key, namespace, value) VALUES (?, ?, ?)"
            + " ON CONFLICT(key, namespace) DO UPDATE SET value = excluded.value";
    static final String CREATE = "CREATE TABLE IF NOT EXISTS memory_entries(key TEXT NOT NULL, namespace TEXT NOT NULL,"
            + " value TEXT NOT NULL, PRIMARY KEY (key, namespace))";
    static final String READ = "SELECT value FROM memory_entries WHERE key = ? AND namespace = ?";

    private StartupChild() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "one-shot" -> oneShot(args[1]);
            case "many-files" -> manyFiles(args[1], Path.of(args[2]), Integer.parseInt(args[3]), args[4]);
            case "first-ops" -> firstOps(args[1], Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** About 1 KB of agent-memory JSON, different per process so the upsert really writes. */
    static String json(long seed) {
        StringBuilder json = new StringBuilder("{\"kind\":\"observation\",\"seed\":" + seed + ",\"text\":\"");
        for (int i = 0; json.length() < 1000; i++) {
            json.append("the agent ran step ").append(i).append(" of its plan and noted the result; ");
        }
        return json.append("\"}").toString();
    }

    private static void oneShot(String url) throws SQLException {
        String value = json(ProcessHandle.current().pid());
        try (Connection connection = DriverManager.getConnection(url)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(CREATE);
            }
            upsertAndReadBack(connection, "last-hook", value);
        }
    }

    private static void upsertAndReadBack(Connection connection, String key, String value) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            upsert.setString(1, key);
            upsert.setString(2, "hooks");
            upsert.setString(3, value);
            upsert.executeUpdate();
        }
        try (PreparedStatement read = connection.prepareStatement(READ)) {
            read.setString(1, key);
            read.setString(2, "hooks");
            try (ResultSet row = read.executeQuery()) {
                if (!row.next() || !row.getString(1).equals(value)) {
                    throw new IllegalStateException("the value did not read back");
                }
            }
        }
    }

    private static void manyFiles(String prefix, Path dir, int count, String query) throws Exception {
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            try (Connection connection = DriverManager.getConnection(prefix + dir.resolve("test-" + i + ".db") + query)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(CREATE);
                }
                upsertAndReadBack(connection, "key-" + i, "{\"test\":" + i + "}");
            }
        }
        System.out.println("elapsed-ns=" + (System.nanoTime() - started));
        System.out.println("fds=" + openDescriptors());
    }

    /**
     * The very first operation (the driver and the JVM's JDBC machinery loading, a pool or native library starting)
     * is timed apart ({@code first-ns=}); {@code elapsed-ns=} times the {@code count} operations after it, still cold.
     */
    private static void firstOps(String url, int count) throws SQLException {
        MemoryEntries.KeySequence keys = MemoryEntries.lookups();
        long started = System.nanoTime();
        openQueryClose(url, keys);
        long first = System.nanoTime() - started;
        started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            openQueryClose(url, keys);
        }
        System.out.println("elapsed-ns=" + (System.nanoTime() - started));
        System.out.println("first-ns=" + first);
    }

    private static void openQueryClose(String url, MemoryEntries.KeySequence keys) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement select = connection.prepareStatement(MemoryEntries.POINT_SELECT)) {
            keys.bindNext(select);
            Sink.consume(MemoryEntries.readValue(select));
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
