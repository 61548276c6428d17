package io.github.enhancedsqlite.it.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.DatabaseMXBean;
import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.EnhancedSqliteDriver;
import io.github.enhancedsqlite.it.metrics.Figures;
import io.github.enhancedsqlite.it.metrics.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 point 1 without Litestream running: what {@code replication=litestream} changes in the driver. It leaves
 * every checkpoint to Litestream (none at pool close, none in the background, SQLite's automatic one off), refuses
 * settings that contradict that, hides Litestream's tables, and a pool that finds Litestream's state directory
 * while the setting is absent says so once.
 */
class ReplicationSettingTest {

    private static final String UNANNOUNCED = "replication=litestream is not set";

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    private static String url(Path file, String query) {
        return "jdbc:enhanced-sqlite:" + file + "?" + query;
    }

    private static String pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("PRAGMA " + name)) {
            row.next();
            return row.getString(1);
        }
    }

    private static void insertRows(Connection connection, int rows) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t(v) VALUES (?)")) {
            for (int i = 0; i < rows; i++) {
                insert.setString(1, "row " + i + " " + "x".repeat(1000));
                insert.executeUpdate();
            }
        }
    }

    @Test
    void litestreamTurnsSqlitesAutomaticCheckpointOff() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url(dir.resolve("r.db"), "replication=litestream"))) {
            assertThat(pragma(connection, "wal_autocheckpoint")).isEqualTo("0");
            assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
        }
        try (Connection connection = DriverManager.getConnection(url(dir.resolve("n.db"), "replication=none"))) {
            assertThat(pragma(connection, "wal_autocheckpoint")).isEqualTo("1000");
        }
        try (Connection connection = DriverManager.getConnection(url(dir.resolve("z.db"),
                "replication=litestream&wal_autocheckpoint=0"))) {
            assertThat(pragma(connection, "wal_autocheckpoint")).isEqualTo("0");
        }
    }

    @Test
    void settingsThatContradictItAreRefusedByName() {
        assertThatThrownBy(() -> DriverManager.getConnection(url(dir.resolve("a.db"),
                "replication=litestream&wal_autocheckpoint=500")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("wal_autocheckpoint=500 contradicts replication=litestream")
                .hasMessageContaining("set it to 0");
        assertThatThrownBy(() -> DriverManager.getConnection(url(dir.resolve("b.db"),
                "replication=litestream&journal_mode=delete")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("journal_mode=delete contradicts replication=litestream");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:enhanced-sqlite::memory:?replication=litestream"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("replication=litestream needs a database file")
                .hasMessageContaining("in-memory");
        assertThatThrownBy(() -> DriverManager.getConnection(url(dir.resolve("c.db"), "replication=rsync")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Invalid value 'rsync' for setting 'replication'")
                .hasMessageContaining("one of none, litestream");
        assertThat(dir.resolve("a.db")).doesNotExist();
        assertThat(dir.resolve("b.db")).doesNotExist();
    }

    @Test
    void getPropertyInfoListsTheSetting() throws SQLException {
        DriverPropertyInfo[] info = EnhancedSqliteDriver.registered()
                .getPropertyInfo(url(dir.resolve("x.db"), "replication=litestream"), new Properties());
        DriverPropertyInfo replication = Arrays.stream(info).filter(key -> key.name.equals("replication"))
                .findFirst().orElseThrow();
        assertThat(replication.choices).containsExactly("none", "litestream");
        assertThat(replication.description).contains("Litestream");
    }

    /**
     * A plain connection that has read the file keeps the pool's close from being the file's last (which SQLite
     * itself would checkpoint, as for any application; Litestream's connection does the same): what is left in the
     * -wal then is what the driver did.
     */
    @Test
    void closingThePoolTakesNoCheckpoint() throws Exception {
        Path replicated = dir.resolve("replicated.db");
        Path plain = dir.resolve("plain.db");
        for (Path file : List.of(replicated, plain)) {
            String query = (file == replicated ? "replication=litestream&" : "") + "compress=off";
            try (Connection holder = DriverManager.getConnection(url(file, query))) {
                insertRows(holder, 1);
            }
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement read = other.createStatement()) {
                read.executeQuery("SELECT count(*) FROM t").close();
                try (Connection connection = DriverManager.getConnection(url(file, query))) {
                    insertRows(connection, 100);
                }
                EnhancedSqlite.shutdown();
                Path wal = file.resolveSibling(file.getFileName() + "-wal");
                if (file == replicated) {
                    assertThat(Files.size(wal)).as("the WAL Litestream has still to copy").isGreaterThan(100 * 1000);
                } else {
                    assertThat(Files.size(wal)).as("truncated by the pool's closing checkpoint").isZero();
                }
            }
        }
    }

    /** At a 1 ms interval optimize comes soon; by then hundreds of runs passed, and none may have checkpointed. */
    @Test
    void backgroundMaintenanceOptimizesButNeverCheckpoints() throws Exception {
        Path file = dir.resolve("maintained.db");
        try (Connection connection = DriverManager.getConnection(url(file,
                "replication=litestream&maintenanceInterval=1&compress=off"))) {
            insertRows(connection, 1);
            long mainFileBefore = Files.size(file);
            insertRows(connection, 300); // more than wal_autocheckpoint / 8 writer turns of the default profile
            DatabaseMXBean figures = Figures.of(file);

            Figures.await("maintenance ran PRAGMA optimize", () -> figures.getOptimizeRuns() > 0);

            assertThat(figures.getCheckpoints()).isZero();
            assertThat(Files.size(file)).as("no page copied back from the WAL").isEqualTo(mainFileBefore);
        }
    }

    @Test
    void aPoolThatFindsLitestreamsStateDirectoryWithoutTheSettingWarnsOnce() throws Exception {
        Path file = dir.resolve("watched.db");
        Files.createDirectory(dir.resolve(".watched.db-litestream"));
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 3; i++) {
                try (Connection connection = DriverManager.getConnection(url(file, "compress=off"))) {
                    insertRows(connection, 1);
                }
            }
            assertThat(occurrences(log.text(), UNANNOUNCED)).isEqualTo(1);
            assertThat(log.text()).contains(".watched.db-litestream").contains("Add replication=litestream");
        }
        EnhancedSqlite.shutdown();
        try (LogCapture log = new LogCapture()) {
            try (Connection connection = DriverManager.getConnection(url(file, "replication=litestream&compress=off"))) {
                insertRows(connection, 1);
            }
            assertThat(log.text()).doesNotContain(UNANNOUNCED);
        }
    }

    @Test
    void litestreamsTablesAreHiddenFromDatabaseMetaData() throws Exception {
        Path file = dir.resolve("listed.db");
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = plain.createStatement()) {
            // what Litestream v0.3 creates in a file it replicates
            statement.execute("CREATE TABLE _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER)");
            statement.execute("CREATE TABLE _litestream_lock (id INTEGER)");
            statement.execute("CREATE TABLE memory_entries(key TEXT PRIMARY KEY, value TEXT)");
        }
        try (Connection connection = DriverManager.getConnection(url(file, "replication=litestream"));
             ResultSet tables = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString("TABLE_NAME"));
            }
            assertThat(names).containsExactly("memory_entries");
        }
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
