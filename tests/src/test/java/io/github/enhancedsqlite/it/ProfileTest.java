package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue point 4: the pragma profile, read back from the database on every physical connection. */
class ProfileTest {

    private static final Map<String, String> DEFAULT_PROFILE = new LinkedHashMap<>();

    static {
        DEFAULT_PROFILE.put("cache_size", "-1048576");
        DEFAULT_PROFILE.put("mmap_size", "8589934592");
        DEFAULT_PROFILE.put("temp_store", "2");
        DEFAULT_PROFILE.put("journal_mode", "wal");
        DEFAULT_PROFILE.put("synchronous", "1");
        DEFAULT_PROFILE.put("wal_autocheckpoint", "1000");
        DEFAULT_PROFILE.put("busy_timeout", "5000");
        DEFAULT_PROFILE.put("journal_size_limit", "67108864");
        DEFAULT_PROFILE.put("auto_vacuum", "2"); // INCREMENTAL, on a database the driver creates
    }

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    private static Map<String, String> read(Connection connection, Iterable<String> pragmas) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pragma : pragmas) {
            values.put(pragma, Db.pragma(connection, pragma));
        }
        return values;
    }

    @Test
    void defaultProfileIsInForceOnEveryPhysicalConnection() throws SQLException {
        String url = Db.url(dir.resolve("profile.db"));
        List<Connection> held = new ArrayList<>();
        try {
            // ten at once: the pool's maximum, so every one is a distinct physical connection
            for (int i = 0; i < 10; i++) {
                held.add(DriverManager.getConnection(url));
            }
            for (Connection connection : held) {
                assertThat(read(connection, DEFAULT_PROFILE.keySet())).isEqualTo(DEFAULT_PROFILE);
            }
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
    }

    @Test
    void durableProfileSynchronousFull() throws SQLException {
        try (Connection connection = Db.open(dir.resolve("durable.db"), "profile=durable")) {
            Map<String, String> expected = new LinkedHashMap<>(DEFAULT_PROFILE);
            expected.put("synchronous", "2");
            assertThat(read(connection, expected.keySet())).isEqualTo(expected);
        }
    }

    @Test
    void lowMemoryProfile() throws SQLException {
        try (Connection connection = Db.open(dir.resolve("low.db"), "profile=low-memory")) {
            Map<String, String> expected = new LinkedHashMap<>(DEFAULT_PROFILE);
            expected.put("cache_size", "-16384");
            expected.put("mmap_size", "0");
            expected.put("temp_store", "0");
            assertThat(read(connection, expected.keySet())).isEqualTo(expected);
        }
    }

    @Test
    void autoProfileIsSizedFromThisMachinesMemory() throws SQLException {
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        long cacheKib = Math.max(-1_048_576L, -(memory / 64 / 1024));
        long mmap = Math.min(8L << 30, memory / 8);

        try (Connection connection = Db.open(dir.resolve("auto.db"), "profile=auto")) {
            Map<String, String> expected = new LinkedHashMap<>(DEFAULT_PROFILE);
            expected.put("cache_size", Long.toString(cacheKib));
            expected.put("mmap_size", Long.toString(mmap));
            assertThat(read(connection, expected.keySet())).isEqualTo(expected);
        }
    }

    @Test
    void offProfileIsPlainSqliteJdbc() throws Exception {
        Path ours = dir.resolve("off.db");
        Path reference = dir.resolve("reference.db");
        List<String> pragmas = List.of("journal_mode", "synchronous", "cache_size", "mmap_size", "temp_store",
                "wal_autocheckpoint", "journal_size_limit", "auto_vacuum");
        Map<String, String> plain;
        try (Connection connection = Db.plain(reference)) {
            plain = read(connection, pragmas);
        }
        try (Connection connection = Db.open(ours, "profile=off")) {
            assertThat(read(connection, pragmas)).isEqualTo(plain);
            assertThat(Db.pragma(connection, "journal_mode")).isEqualTo("delete");
        }
    }

    @Test
    void oneOverrideInTheUrlChangesOnlyThatPragma() throws SQLException {
        try (Connection connection = Db.open(dir.resolve("override.db"), "synchronous=FULL")) {
            Map<String, String> expected = new LinkedHashMap<>(DEFAULT_PROFILE);
            expected.put("synchronous", "2");
            assertThat(read(connection, expected.keySet())).isEqualTo(expected);
        }
    }

    @Test
    void pageSizeCanBeChosenForANewDatabase() throws SQLException {
        try (Connection connection = Db.open(dir.resolve("pages.db"), "page_size=8192")) {
            Db.execute(connection, "CREATE TABLE t(x)");
            assertThat(Db.pragma(connection, "page_size")).isEqualTo("8192");
            assertThat(Db.pragma(connection, "journal_mode")).isEqualTo("wal");
        }
    }

    @Test
    void aPragmaThatCannotTakeIsAnError() throws Exception {
        Path database = dir.resolve("wal4096.db");
        try (Connection connection = Db.open(database)) {
            Db.execute(connection, "CREATE TABLE t(x)", "INSERT INTO t VALUES (1)");
            assertThat(Db.pragma(connection, "page_size")).isEqualTo("4096");
        }
        EnhancedSqlite.shutdown();

        assertThatThrownBy(() -> Db.open(database, "page_size=8192").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("page_size");
        assertThat(EnhancedSqlite.openDatabases()).as("a pool that could not apply its profile is not kept").isEmpty();

        try (Connection plain = Db.plain(database)) {
            assertThat(Db.pragma(plain, "page_size")).isEqualTo("4096");
            assertThat(Db.queryLong(plain, "SELECT x FROM t")).isEqualTo(1);
        }
    }

    /**
     * mmap_size is read back only above the largest size this JVM's SQLite already took (its cap is the build's):
     * after the profile's 8 GiB took on one file, a size above sqlite-jdbc's 1 TiB cap still fails on the next, and
     * the cap itself is taken.
     */
    @Test
    void anMmapSizeAboveTheCapFailsAfterASmallerOneTook() throws Exception {
        try (Connection connection = Db.open(dir.resolve("profile.db"))) {
            assertThat(Db.pragma(connection, "mmap_size")).isEqualTo("8589934592");
        }

        assertThatThrownBy(() -> Db.open(dir.resolve("above.db"), "mmap_size=1099511627777").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("mmap_size=1099511627777 did not take")
                .hasMessageContaining("caps mmap_size");
        try (Connection connection = Db.open(dir.resolve("cap.db"), "mmap_size=1099511627776")) {
            assertThat(Db.pragma(connection, "mmap_size")).isEqualTo("1099511627776");
        }
    }

    /**
     * The switch to WAL is read back by its own answer: a journal mode asked for in the URL that the database cannot
     * take fails the connection with what SQLite reports.
     */
    @Test
    void aJournalModeTheDatabaseCannotTakeIsAnError() {
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:enhanced-sqlite::memory:?journal_mode=wal").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("journal_mode=wal did not take")
                .hasMessageContaining("SQLite reports memory");
    }

    /**
     * In-memory databases keep journal_mode=memory, and the empty path (a private temporary database) keeps what
     * sqlite-jdbc gives it: the profile's file-only pragmas are skipped there instead of failing the connection.
     */
    @Test
    void memoryDatabasesWorkWithTheProfile() throws SQLException {
        String[] paths = {":memory:", "", "file::memory:", "file:profilemem?mode=memory&cache=shared"};
        for (String path : paths) {
            String url = "jdbc:enhanced-sqlite:" + path;
            String plainJournalMode;
            try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + path)) {
                plainJournalMode = Db.pragma(plain, "journal_mode");
            }
            try (Connection connection = DriverManager.getConnection(url)) {
                assertThat(Db.pragma(connection, "journal_mode")).as(url).isEqualTo(plainJournalMode);
                assertThat(Db.pragma(connection, "cache_size")).as(url).isEqualTo("-1048576");
                assertThat(Db.pragma(connection, "temp_store")).as(url).isEqualTo("2");
                assertThat(Db.pragma(connection, "synchronous")).as(url).isEqualTo("1");
                assertThat(Db.pragma(connection, "busy_timeout")).as(url).isEqualTo("5000");
                Db.execute(connection, "CREATE TABLE t(x)", "INSERT INTO t VALUES (1)");
                assertThat(Db.queryLong(connection, "SELECT x FROM t")).isEqualTo(1);
            }
        }
        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite::memory:")) {
            assertThat(Db.pragma(connection, "journal_mode")).isEqualTo("memory");
        }
    }

    /**
     * An existing rollback-journal database opened while another connection (another process, or another copy of the
     * driver) is writing it: the switch to WAL needs that writer to finish, and SQLite refuses it at once rather than
     * waiting (a connection that already reads may not wait for the write lock). Two processes opening such a file at
     * once met it: one switched it, the other's open failed with SQLITE_BUSY. The open waits instead.
     */
    @Test
    void anExistingRollbackJournalDatabaseOpensWhileAnotherConnectionIsWritingIt() throws Exception {
        Path file = dir.resolve("rollback.db");
        try (Connection writer = Db.plain(file)) {
            Db.execute(writer, "CREATE TABLE t(x)");
            assertThat(Db.pragma(writer, "journal_mode")).isEqualTo("delete");
            Db.execute(writer, "BEGIN IMMEDIATE", "INSERT INTO t VALUES (1)");
            List<Throwable> failure = new ArrayList<>();
            long[] rows = {-1};
            Thread opening = new Thread(() -> {
                try (Connection connection = Db.open(file)) {
                    rows[0] = Db.queryLong(connection, "SELECT count(*) FROM t");
                } catch (SQLException | RuntimeException e) {
                    failure.add(e);
                }
            }, "opening");
            opening.start();
            while (opening.isAlive() && !waitsOutTheLock(opening)) {
                Thread.onSpinWait();
            }
            assertThat(failure).as("the open waits for the writer instead of failing").isEmpty();
            assertThat(opening.isAlive()).isTrue();

            Db.execute(writer, "COMMIT");
            opening.join();

            assertThat(failure).isEmpty();
            assertThat(rows[0]).as("the writer's row, committed before the switch").isEqualTo(1);
        }
        try (Connection check = Db.plain(file)) {
            assertThat(Db.pragma(check, "journal_mode")).isEqualTo("wal");
        }
    }

    /** Whether the thread is waiting out a busy database between attempts (the driver's busy retry). */
    private static boolean waitsOutTheLock(Thread thread) {
        if (thread.getState() != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().endsWith(".BusyRetry")) {
                return true;
            }
        }
        return false;
    }
}
