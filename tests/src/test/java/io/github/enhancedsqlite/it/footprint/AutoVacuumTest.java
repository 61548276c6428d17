package io.github.enhancedsqlite.it.footprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.it.metrics.Figures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 point 4: databases the driver creates can give freed space back to the disk (auto_vacuum=INCREMENTAL), an
 * existing database keeps its own auto_vacuum, and the background maintenance returns free pages in small steps once
 * they exceed a tenth of the file.
 */
class AutoVacuumTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void aDatabaseTheDriverCreatesIsIncremental() throws SQLException {
        Path file = dir.resolve("new.db");
        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + file)) {
            assertThat(number(connection, "PRAGMA auto_vacuum")).isEqualTo(2);
            assertThat(number(connection, "PRAGMA journal_mode = wal")).as("still WAL").isZero();
        }
        EnhancedSqlite.shutdown();
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(number(plain, "PRAGMA auto_vacuum")).as("written into the file").isEqualTo(2);
        }
    }

    /**
     * Issue 14: a new file is written by one rollback-journal transaction (the switch to WAL), as plain sqlite-jdbc
     * writes it, not two (auto_vacuum's own, then the switch's), each with four fsyncs. SQLite counts those
     * transactions in the header's change counter; nothing writes the first page afterwards here.
     */
    @Test
    void aNewDatabaseIsWrittenByOneRollbackJournalTransaction() throws Exception {
        for (String vacuum : new String[] {"", "?auto_vacuum=full"}) {
            Path file = dir.resolve("created" + vacuum.length() + ".db");
            DriverManager.getConnection("jdbc:enhanced-sqlite:" + file + vacuum).close();
            EnhancedSqlite.shutdown();

            byte[] header = Files.readAllBytes(file);
            assertThat(bigEndian(header, 24)).as("transactions that wrote " + file.getFileName()).isEqualTo(1);
            assertThat(header[18]).as("WAL").isEqualTo((byte) 2);
            assertThat(bigEndian(header, 52)).as("auto_vacuum on").isNotZero();
            assertThat(bigEndian(header, 64)).as("incremental").isEqualTo(vacuum.isEmpty() ? 1 : 0);
        }
    }

    /**
     * Issue 14: opening a new file creates one rollback journal on disk, the switch to WAL's, as plain sqlite-jdbc
     * does. The rolled-back transaction that gives the connection auto_vacuum keeps its journal in memory: a journal
     * file created and removed for it cost an inode on every file a test suite creates. Seen through inotify, whose
     * events arrive in order: the marker created after the open is the last one to wait for.
     */
    @Test
    void aNewDatabaseCreatesOneJournalFileAsPlainSqliteJdbcDoes() throws Exception {
        Path file = dir.resolve("watched.db");
        Path marker = dir.resolve("marker");
        try (WatchService watcher = dir.getFileSystem().newWatchService()) {
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            DriverManager.getConnection("jdbc:enhanced-sqlite:" + file).close();
            Files.createFile(marker);
            int journals = 0;
            boolean markerSeen = false;
            while (!markerSeen) {
                WatchKey key = watcher.poll(30, TimeUnit.SECONDS); // a hang guard, not a statement about speed
                assertThat(key).as("inotify's events for " + dir).isNotNull();
                for (WatchEvent<?> event : key.pollEvents()) {
                    assertThat(event.kind()).as("no event lost").isNotEqualTo(StandardWatchEventKinds.OVERFLOW);
                    Path name = (Path) event.context();
                    if (name.toString().equals("watched.db-journal")) {
                        journals += event.count();
                    }
                    markerSeen |= name.equals(marker.getFileName());
                }
                key.reset();
            }
            assertThat(journals).as("rollback journal files created for the new database").isEqualTo(1);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + file)) {
            assertThat(number(connection, "PRAGMA auto_vacuum")).isEqualTo(2);
        }
    }

    private static int bigEndian(byte[] bytes, int offset) {
        return java.nio.ByteBuffer.wrap(bytes, offset, 4).getInt();
    }

    @Test
    void theOffProfileAndAnExplicitValueAreHonoured() throws SQLException {
        try (Connection off = DriverManager.getConnection("jdbc:enhanced-sqlite:" + dir.resolve("off.db")
                + "?profile=off")) {
            assertThat(number(off, "PRAGMA auto_vacuum")).isZero();
        }
        try (Connection none = DriverManager.getConnection("jdbc:enhanced-sqlite:" + dir.resolve("none.db")
                + "?auto_vacuum=none")) {
            assertThat(number(none, "PRAGMA auto_vacuum")).isZero();
        }
    }

    @Test
    void anExistingDatabaseKeepsItsOwnAndAnImpossibleOverrideIsExplained() throws SQLException {
        Path file = dir.resolve("existing.db");
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = plain.createStatement()) {
            statement.execute("CREATE TABLE t(v TEXT)");
        }
        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + file)) {
            assertThat(number(connection, "PRAGMA auto_vacuum")).isZero();
        }
        EnhancedSqlite.shutdown();

        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:enhanced-sqlite:" + file
                + "?auto_vacuum=full").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("auto_vacuum=FULL did not take")
                .hasMessageContaining("migrate or compact");
    }

    /**
     * Deleting most rows leaves most pages free; maintenance (every 20 ms here) returns them in steps until at most a
     * tenth of the file is free, and the file on disk shrinks with them. Every row kept reads back.
     */
    @Test
    void maintenanceReturnsFreePagesWhenTheyExceedATenth() throws Exception {
        Path file = dir.resolve("ttl.db");
        String url = "jdbc:enhanced-sqlite:" + file + "?maintenanceInterval=20&compress=off";
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE memory_entries(id INTEGER PRIMARY KEY, value TEXT)");
            statement.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                    + " INSERT INTO memory_entries(value) SELECT printf('%.3000c', 'v') || i FROM n");
            // the database's own size rather than the file's: a checkpoint of the background maintenance may be
            // copying the WAL into the file right now, and a checkpoint asked for here would then return busy
            long grown = number(connection, "PRAGMA page_count") * number(connection, "PRAGMA page_size");
            statement.execute("DELETE FROM memory_entries WHERE id % 10 <> 0"); // a TTL clean-up

            long[] seen = new long[3];
            try {
                Figures.await("free pages returned to a tenth of the file or less", () -> {
                    seen[0] = number(connection, "PRAGMA freelist_count");
                    seen[1] = number(connection, "PRAGMA page_count");
                    seen[2] = size(file);
                    return seen[0] * 10 <= seen[1] && seen[2] < grown / 2;
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": " + seen[0] + " free pages of " + seen[1] + ", file "
                        + seen[2] + " bytes, " + grown + " bytes before the delete", e);
            }

            assertThat(number(connection, "SELECT count(*) FROM memory_entries WHERE length(value) > 3000"))
                    .isEqualTo(300);
            assertThat(number(connection, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"))
                    .isEqualTo(1);
        }
    }

    private static long number(Connection connection, String sql) {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
