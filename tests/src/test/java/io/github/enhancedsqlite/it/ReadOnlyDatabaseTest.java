package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * Issue 11 point 11: a database this process may not write (a backup, a restored replica, read-only media) opens
 * and reads; the profile applies only what a reader can apply, and a write fails with SQLite's read-only error.
 */
class ReadOnlyDatabaseTest {

    /** Compressible: long enough to be stored as a zstd envelope, so reading it back decodes. */
    private static final String LONG_TEXT = "a value long enough to be compressed, ".repeat(20);

    @TempDir
    Path dir;

    private final List<Path> frozen = new ArrayList<>();

    @AfterEach
    void thaw() throws Exception {
        EnhancedSqlite.shutdown();
        for (int i = frozen.size() - 1; i >= 0; i--) {
            chattr("-i", frozen.get(i));
        }
    }

    /**
     * Makes a file or directory unwritable even for root (these tests run as root locally and in CI, where
     * permission bits stop nothing): the immutable attribute. A missing chattr or a file system without the
     * attribute fails the test rather than skipping it.
     */
    private void freeze(Path path) throws Exception {
        chattr("+i", path);
        frozen.add(path);
        if (Files.isDirectory(path)) {
            assertThatThrownBy(() -> Files.createFile(path.resolve("probe")))
                    .as("the directory refuses new files").isInstanceOf(IOException.class);
        } else {
            assertThatThrownBy(() -> {
                try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.APPEND)) {
                    out.write(0);
                }
            }).as("the file refuses writes").isInstanceOf(IOException.class);
        }
    }

    private static void chattr(String flag, Path path) throws Exception {
        Process process = new ProcessBuilder("chattr", flag, path.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("chattr " + flag + " " + path + " (needs chattr, root and a file system"
                + " with the immutable attribute, such as ext4): " + output).isZero();
    }

    /** A database written through the driver (WAL, or a rollback journal with profile=off), closed cleanly. */
    private Path database(String name, String query) throws Exception {
        Path database = dir.resolve(name);
        try (Connection connection = Db.open(database, query)) {
            Db.execute(connection, "CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t(body) VALUES (?)")) {
                insert.setString(1, LONG_TEXT);
                insert.executeUpdate();
                insert.setString(1, "short");
                insert.executeUpdate();
            }
        }
        EnhancedSqlite.shutdown();
        assertThat(Db.sidecars(database)).isEmpty();
        return database;
    }

    private static void assertReadsButRefusesWrites(Connection connection) throws SQLException {
        assertThat(Db.queryStrings(connection, "SELECT body FROM t ORDER BY id")).containsExactly(LONG_TEXT, "short");
        assertThat(Db.queryStrings(connection, "SELECT id FROM t WHERE body LIKE 'a value%'")).containsExactly("1");
        assertThatThrownBy(() -> Db.execute(connection, "INSERT INTO t(body) VALUES ('more')"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("readonly");
    }

    /** Opened by its path, and by a URI asking {@code mode=ro}, which the file system already imposes. */
    @Test
    void aWalDatabaseWhoseFileCannotBeWrittenOpensAndReads() throws Exception {
        Path database = database("wal.db", "compress=auto");
        byte[] before = Files.readAllBytes(database);
        freeze(database);

        for (String url : new String[] {Db.url(database), "jdbc:enhanced-sqlite:file:" + database + "?mode=ro"}) {
            try (Connection connection = DriverManager.getConnection(url)) {
                assertThat(Db.pragma(connection, "journal_mode")).as(url).isEqualTo("wal");
                // what a reader can apply is applied
                assertThat(Db.pragma(connection, "cache_size")).as(url).isEqualTo("-1048576");
                assertThat(Db.pragma(connection, "busy_timeout")).as(url).isEqualTo("5000");
                assertReadsButRefusesWrites(connection);
            }
            EnhancedSqlite.shutdown();
            assertThat(Files.readAllBytes(database)).as(url).isEqualTo(before);
        }
    }

    /**
     * The profile says at DEBUG what it skipped on a database it may only read (a child JVM, whose logging is set
     * from its command line), and nothing above DEBUG: a reader is no reason to warn.
     */
    @Test
    void theProfileSaysAtDebugWhatItSkippedOnADatabaseItMayOnlyRead() throws Exception {
        Path database = database("logged.db", "compress=auto");
        freeze(database);
        String url = "jdbc:enhanced-sqlite:file:" + database + "?mode=ro";

        ChildJvm.Result debug = ChildJvm.run(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.log.io.github.enhancedsqlite.pool=debug"), ChildJvm.testClassPath(),
                ReadRowsMain.class.getName(), url);
        assertThat(debug.exitCode()).as(debug.output()).isZero();
        assertThat(debug.output()).contains("rows=2", "opens read-only", "skipped what only a writer can apply");

        ChildJvm.Result info = ChildJvm.run(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info"),
                ChildJvm.testClassPath(), ReadRowsMain.class.getName(), url);
        assertThat(info.exitCode()).as(info.output()).isZero();
        assertThat(info.output()).contains("rows=2").doesNotContain("read-only", "WARN");
    }

    @Test
    void aRollbackJournalDatabaseOnReadOnlyStorageOpensWithTheDefaultProfile() throws Exception {
        Path database = database("journal.db", "profile=off");
        freeze(database);
        freeze(dir);

        try (Connection connection = Db.open(database)) {
            assertThat(Db.pragma(connection, "journal_mode")).as("the file keeps its journal mode").isEqualTo("delete");
            assertThat(Db.pragma(connection, "cache_size")).isEqualTo("-1048576");
            assertReadsButRefusesWrites(connection);
        }
        EnhancedSqlite.shutdown();
        assertThat(Db.files(dir)).containsExactly("journal.db");
    }

    /**
     * SQLite reads a WAL database only through its -shm file; on storage where that cannot be created it can read
     * the file only as immutable. The error says so, and the immutable URI then works.
     */
    @Test
    void aWalDatabaseOnReadOnlyStorageWithoutItsShmFileNamesTheWayToReadIt() throws Exception {
        Path database = database("media.db", "compress=auto");
        freeze(database);
        freeze(dir);

        assertThatThrownBy(() -> Db.open(database).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(database.toString())
                .hasMessageContaining("-shm")
                .hasMessageContaining("immutable=1");
        assertThat(EnhancedSqlite.openDatabases()).isEmpty();

        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:file:" + database + "?immutable=1")) {
            assertReadsButRefusesWrites(connection);
        }
        EnhancedSqlite.shutdown();
        assertThat(Db.files(dir)).containsExactly("media.db");
    }

    @Test
    void readOnlyUrisOpenAWritableFileForReading() throws Exception {
        Path database = database("uri.db", "compress=auto");
        byte[] before = Files.readAllBytes(database);

        for (String query : new String[] {"mode=ro", "immutable=1", "mode=ro&immutable=1"}) {
            try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:file:" + database + "?" + query)) {
                assertThat(Db.pragma(connection, "cache_size")).as(query).isEqualTo("-1048576");
                assertReadsButRefusesWrites(connection);
            }
            EnhancedSqlite.shutdown();
            assertThat(Arrays.equals(Files.readAllBytes(database), before)).as(query + " left the file as it was").isTrue();
        }
    }

    /**
     * sqlite-jdbc's ConnectionTest#readOnly: a database opened read-only through sqlite-jdbc's open mode
     * ({@code SQLiteConfig.setReadOnly(true)}) has no connection that can write, so {@code setReadOnly(false)} is
     * refused with sqlite-jdbc's words, also once the connection is closed, rather than accepted and ignored.
     */
    @Test
    void setReadOnlyFalseIsRefusedOnADatabaseOpenedReadOnlyThroughTheOpenMode() throws Exception {
        Path database = database("open-mode.db", "compress=auto");
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        String refusal = "Cannot change read-only flag after establishing a connection.";

        Connection connection = DriverManager.getConnection(Db.url(database), config.toProperties());
        assertThat(connection.isReadOnly()).isTrue();
        assertThatThrownBy(() -> connection.setReadOnly(false)).isInstanceOf(SQLException.class)
                .hasMessageContaining(refusal).hasMessageContaining("open_mode");
        assertThat(connection.isReadOnly()).isTrue();
        connection.setReadOnly(true);
        assertReadsButRefusesWrites(connection);
        connection.close();
        assertThatThrownBy(() -> connection.setReadOnly(false)).isInstanceOf(SQLException.class)
                .hasMessageContaining(refusal);
        assertThatThrownBy(() -> connection.setReadOnly(true)).isInstanceOf(SQLException.class)
                .hasMessage("Connection is closed");
    }
}
