package io.github.enhancedsqlite.it.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.maintenance.Maintenance;
import io.github.enhancedsqlite.DatabaseMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 point 3: each open database file gets a background task that checkpoints its WAL passively every
 * maintenanceInterval, on a daemon thread that is gone once the pool closes. SQLite's own automatic checkpoint is
 * turned off here (wal_autocheckpoint=0), so a page in the database file can only have come from the task.
 */
class MaintenanceTest {

    private static final String THREAD_PREFIX = "enhanced-sqlite-maintenance ";

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    private static List<Thread> maintenanceThreads(String database) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(THREAD_PREFIX + database) && thread.isAlive())
                .toList();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theWalIsCheckpointedInTheBackgroundAndCounted() throws Exception {
        Path file = dir.resolve("checkpointed.db");
        String url = "jdbc:enhanced-sqlite:" + file + "?maintenanceInterval=20&wal_autocheckpoint=0&compress=off"; // the rows must take room
        try (Connection connection = DriverManager.getConnection(url)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            }
            DatabaseMXBean figures = Figures.of(file);
            long checkpointsBefore = figures.getCheckpoints();
            long pagesBefore = figures.getCheckpointedPages();
            long mainFileBefore = Files.size(file);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t(v) VALUES (?)")) {
                for (int i = 0; i < 100; i++) {
                    insert.setString(1, "row " + i + " " + "x".repeat(1000));
                    insert.executeUpdate();
                }
            }

            Figures.await("a checkpoint copied the rows into the database file and counted its pages",
                    () -> size(file) > mainFileBefore + 100 * 1000 && figures.getCheckpointedPages() > pagesBefore);

            assertThat(figures.getCheckpoints()).isGreaterThan(checkpointsBefore);
        }
    }

    /**
     * Writers ask for a checkpoint every wal_autocheckpoint/8 writes, whatever the interval: with an hour-long interval
     * only that request can have run the counted checkpoint, and it must have copied the rows into the file.
     */
    @Test
    void writesAskForABackgroundCheckpointLongBeforeTheInterval() throws Exception {
        Path file = dir.resolve("asked.db");
        String url = "jdbc:enhanced-sqlite:" + file + "?maintenanceInterval=3600000&wal_autocheckpoint=800&compress=off";
        try (Connection connection = DriverManager.getConnection(url)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            }
            DatabaseMXBean figures = Figures.of(file);
            assertThat(figures.getCheckpoints()).isZero();
            long mainFileBefore = Files.size(file);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t(v) VALUES (?)")) {
                for (int i = 0; i < 150; i++) { // 800 / 8 = every 100 writes; far below SQLite's own 800 pages
                    insert.setString(1, "row " + i + " " + "x".repeat(1000));
                    insert.executeUpdate();
                }
            }

            Figures.await("a checkpoint asked for by the writers copied the rows into the database file",
                    () -> figures.getCheckpoints() > 0 && size(file) > mainFileBefore + 90 * 1000);
        }
    }

    /** Optimize comes every OPTIMIZE_EVERY_RUNS runs; at a 1 ms interval that is soon, and counted. */
    @Test
    void optimizeRunsPeriodicallyInAWriteTransactionThatEnds() throws Exception {
        Path file = dir.resolve("optimized.db");
        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + file + "?maintenanceInterval=1")) {
            DatabaseMXBean figures = Figures.of(file);
            assertThat(figures.getOptimizeRuns()).isZero();

            Figures.await("maintenance ran PRAGMA optimize", () -> figures.getOptimizeRuns() > 0);

            assertThat(figures.getCheckpoints()).isGreaterThanOrEqualTo(Maintenance.OPTIMIZE_EVERY_RUNS);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE after_optimize(v)"); // the writer turn was given back
            }
        }
    }

    @Test
    void theTaskRunsOnADaemonThreadThatEndsWhenThePoolCloses() throws Exception {
        Path file = dir.resolve("stops.db");
        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + file + "?maintenanceInterval=20")) {
            String key = Figures.key(file);
            // the thread starts with the first run, one interval after the pool opened (issue 14: not per pool)
            Figures.await("the task ran once", () -> {
                try {
                    return Figures.of(key).getCheckpoints() > 0;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(maintenanceThreads(key)).hasSize(1).allSatisfy(thread -> assertThat(thread.isDaemon()).isTrue());

            EnhancedSqlite.shutdown();

            assertThat(maintenanceThreads(key)).isEmpty();
            assertThat(Figures.registered(key)).isFalse();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith(THREAD_PREFIX));
    }

    @Test
    void intervalZeroAndInMemoryDatabasesHaveNoTask() throws Exception {
        Path file = dir.resolve("off.db");
        try (Connection off = DriverManager.getConnection("jdbc:enhanced-sqlite:" + file + "?maintenanceInterval=0");
             Connection memory = DriverManager.getConnection(
                     "jdbc:enhanced-sqlite:file:kept?mode=memory&cache=shared&maintenanceInterval=20")) {
            assertThat(maintenanceThreads(Figures.key(file))).isEmpty();
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith(THREAD_PREFIX) && t.getName().contains("file:kept"));
        }
    }
}
