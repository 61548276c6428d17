package io.github.enhancedsqlite.it.footprint;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 point 1: readers that never pause used to starve every checkpoint (no moment without a reader on an old
 * snapshot), so the WAL grew by the megabyte per second. Six readers in back-to-back read transactions (manual mode and
 * auto-commit queries with their result sets open while they read) and two writers upserting 2 KB values, with the
 * profile's pragmas: the -wal file must stay within about twice wal_autocheckpoint (16 MiB), every reader must see
 * one snapshot per transaction, nothing may fail and no write may be lost. Sizes are asserted, never times: the load
 * is a fixed number of writes, and the WAL's size is read by the writers right after each of their commits, which is
 * when it grows.
 */
class BoundedWalTest {

    private static final long BOUND_BYTES = 16L << 20;
    private static final int WRITERS = 2;
    private static final int READERS = 6;
    /** Enough upserts to write about 100 MiB of WAL frames: without the bound the WAL ends far above it. */
    private static final int WRITES_PER_WRITER = 6_000;
    private static final int KEYS = 200;

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void theWalStaysBoundedWhileReadersNeverPause() throws Exception {
        Path file = dir.resolve("memory.db");
        Path wal = dir.resolve("memory.db-wal");
        String url = "jdbc:enhanced-sqlite:" + file;
        try (Connection setup = DriverManager.getConnection(url); Statement statement = setup.createStatement()) {
            statement.execute("CREATE TABLE memory_entries(key TEXT PRIMARY KEY, value TEXT, version INTEGER)");
            statement.execute("CREATE TABLE writes(id INTEGER PRIMARY KEY, version INTEGER NOT NULL)");
            statement.execute("INSERT INTO writes(id, version) VALUES (1, 0), (2, 0)");
        }
        AtomicBoolean writersDone = new AtomicBoolean();
        AtomicLong walHighWater = new AtomicLong();
        AtomicLong readTransactions = new AtomicLong();
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        ExecutorService threads = Executors.newFixedThreadPool(WRITERS + READERS);
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            boolean manualMode = r % 2 == 0;
            readers.add(threads.submit(() -> {
                try (Connection connection = DriverManager.getConnection(url)) {
                    if (manualMode) {
                        connection.setReadOnly(true);
                        connection.setAutoCommit(false);
                    }
                    while (!writersDone.get()) {
                        read(connection, manualMode, problems);
                        readTransactions.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(threads.submit(() -> {
                String payload = "{\"writer\": " + writer + ", \"note\": \"" + "n".repeat(2_000) + "\"}";
                try (Connection connection = DriverManager.getConnection(url);
                     PreparedStatement upsert = connection.prepareStatement("INSERT INTO memory_entries(key, value,"
                             + " version) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value,"
                             + " version = excluded.version");
                     PreparedStatement count = connection.prepareStatement(
                             "UPDATE writes SET version = version + 1")) {
                    for (int i = 0; i < WRITES_PER_WRITER; i++) {
                        connection.setAutoCommit(false);
                        upsert.setString(1, "key-" + (i * WRITERS + writer) % KEYS);
                        upsert.setString(2, payload + i);
                        upsert.setInt(3, i);
                        upsert.executeUpdate();
                        count.executeUpdate(); // both rows in one transaction: readers must see them equal
                        connection.commit();
                        connection.setAutoCommit(true);
                        walHighWater.accumulateAndGet(size(wal), Math::max);
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> writer : writers) {
                writer.get(5, TimeUnit.MINUTES); // a hang must end the build; this asserts nothing about speed
            }
        } finally {
            writersDone.set(true);
            for (Future<?> reader : readers) {
                reader.get(1, TimeUnit.MINUTES);
            }
            threads.shutdown();
        }

        assertThat(problems).as("snapshot violations").isEmpty();
        assertThat(readTransactions.get()).as("the readers really ran").isGreaterThan(READERS);
        try (Connection check = DriverManager.getConnection(url); Statement statement = check.createStatement();
             ResultSet rows = statement.executeQuery("SELECT min(version), max(version) FROM writes")) {
            rows.next();
            assertThat(rows.getLong(1)).as("no write lost").isEqualTo((long) WRITERS * WRITES_PER_WRITER);
            assertThat(rows.getLong(2)).isEqualTo((long) WRITERS * WRITES_PER_WRITER);
        }
        assertThat(walHighWater.get()).as("the -wal high-water mark, bytes").isPositive().isLessThanOrEqualTo(BOUND_BYTES);
    }

    /**
     * One read transaction: a manual-mode one reads the two counters in separate statements around reading values,
     * which must show one snapshot; an auto-commit one keeps a query's result set open while it reads a second query.
     */
    private static void read(Connection connection, boolean manualMode, Queue<String> problems) throws SQLException {
        long first = version(connection, 1);
        readValues(connection);
        long second = version(connection, 2);
        if (manualMode) {
            if (first != second) {
                problems.add("one read transaction saw counters " + first + " and " + second);
            }
            connection.commit();
            return;
        }
        try (Statement statement = connection.createStatement();
             ResultSet pair = statement.executeQuery("SELECT min(version), max(version) FROM writes")) {
            pair.next();
            if (pair.getLong(1) != pair.getLong(2)) {
                problems.add("one query saw counters " + pair.getLong(1) + " and " + pair.getLong(2));
            }
        }
    }

    private static long version(Connection connection, int id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT version FROM writes WHERE id = ?")) {
            select.setInt(1, id);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** Reads a few values while another query's result set stays open on the same connection. */
    private static void readValues(Connection connection) throws SQLException {
        try (Statement outer = connection.createStatement();
             ResultSet keys = outer.executeQuery("SELECT key FROM memory_entries ORDER BY key LIMIT 5");
             PreparedStatement value = connection.prepareStatement("SELECT value FROM memory_entries WHERE key = ?")) {
            while (keys.next()) {
                value.setString(1, keys.getString(1));
                try (ResultSet row = value.executeQuery()) {
                    if (row.next() && row.getString(1).length() < 2_000) {
                        throw new SQLException("a value came back short");
                    }
                }
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0; // truncated away and not yet written again
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
