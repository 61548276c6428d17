package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.EnhancedSqliteDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue point 2: the driver is found as a user's DriverManager finds it, and takes every path form sqlite-jdbc takes. */
class DriverRegistrationTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void driverManagerFindsTheDriverThroughMetaInfServices() throws SQLException {
        Driver driver = DriverManager.getDriver("jdbc:enhanced-sqlite:" + dir.resolve("app.db"));

        assertThat(driver).isInstanceOf(EnhancedSqliteDriver.class).isSameAs(EnhancedSqliteDriver.registered());
        assertThat(StreamSupport.stream(ServiceLoader.load(Driver.class).spliterator(), false))
                .anyMatch(EnhancedSqliteDriver.class::isInstance);
    }

    @Test
    void urlsOfOtherDriversAreLeftToThem() throws SQLException {
        Driver driver = EnhancedSqliteDriver.registered();
        String plainUrl = "jdbc:sqlite:" + dir.resolve("plain.db");

        assertThat(driver.acceptsURL(plainUrl)).isFalse();
        assertThat(driver.connect(plainUrl, new java.util.Properties())).isNull();
        assertThat(DriverManager.getDriver(plainUrl)).isNotInstanceOf(EnhancedSqliteDriver.class);
        assertThat(Files.exists(dir.resolve("plain.db"))).isFalse();
    }

    /** Runs in its own JVM: deregistering is global and must not take the driver away from the other tests. */
    @Test
    void deregisteringTheDriverClosesItsPoolsAndLeavesNoSidecarFiles() throws Exception {
        Path database = dir.resolve("deregister.db");

        ChildJvm.Result child = ChildJvm.runWithTestClassPath(DeregisterMain.class, database.toString());

        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output())
                .as("the pool was open and in WAL mode before deregistering")
                .contains("openBefore=[" + database.toRealPath() + "]")
                .contains("sidecarsBefore=[deregister.db-wal, deregister.db-shm]")
                .as("deregistering closed the pool and checkpointed the WAL away")
                .contains("openAfter=[]")
                .contains("sidecarsAfter=[]")
                .as("the driver is gone from DriverManager, and comes back when registered again")
                .contains("driverAfter=none")
                .contains("driverReregistered=EnhancedSqliteDriver")
                .contains("rowsAfterReregister=3")
                .contains("sidecarsAtEnd=[]");
    }

    @Test
    void acceptsARelativePath() throws Exception {
        Path database = dir.resolve("relative.db");
        Path relative = Path.of("").toAbsolutePath().relativize(database);
        assertThat(relative.isAbsolute()).isFalse();

        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + relative)) {
            Db.execute(connection, "CREATE TABLE t(x)", "INSERT INTO t VALUES (42)");
        }
        EnhancedSqlite.shutdown();

        try (Connection plain = Db.plain(database)) {
            assertThat(Db.queryLong(plain, "SELECT x FROM t")).isEqualTo(42);
        }
        assertThat(Db.files(dir)).containsExactly("relative.db");
    }

    @Test
    void acceptsAnAbsolutePath() throws Exception {
        Path database = dir.resolve("absolute.db");

        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + database.toAbsolutePath())) {
            Db.execute(connection, "CREATE TABLE t(x)", "INSERT INTO t VALUES (7)");
        }
        EnhancedSqlite.shutdown();

        try (Connection plain = Db.plain(database)) {
            assertThat(Db.queryLong(plain, "SELECT x FROM t")).isEqualTo(7);
        }
    }

    @Test
    void acceptsMemoryAndTheEmptyPath() throws SQLException {
        for (String url : new String[] {"jdbc:enhanced-sqlite::memory:", "jdbc:enhanced-sqlite:"}) {
            try (Connection connection = DriverManager.getConnection(url)) {
                Db.execute(connection, "CREATE TABLE t(x)", "INSERT INTO t VALUES (1), (2)");
                assertThat(Db.queryLong(connection, "SELECT sum(x) FROM t")).as(url).isEqualTo(3);
            }
        }
        assertThat(EnhancedSqlite.openDatabases()).as("private memory databases are not pooled").isEmpty();
    }

    @Test
    void acceptsAFileUri() throws Exception {
        Path database = dir.resolve("uri.db");

        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:file:" + database.toAbsolutePath())) {
            Db.execute(connection, "CREATE TABLE t(x)", "INSERT INTO t VALUES (5)");
            assertThat(Db.pragma(connection, "journal_mode")).isEqualTo("wal");
        }
        EnhancedSqlite.shutdown();

        try (Connection plain = Db.plain(database)) {
            assertThat(Db.queryLong(plain, "SELECT x FROM t")).isEqualTo(5);
        }
        assertThat(Db.files(dir)).containsExactly("uri.db");
    }

    @Test
    void fileUriWithItsOwnQueryOpensAnExistingWalDatabaseReadOnly() throws Exception {
        Path database = dir.resolve("ro.db");
        try (Connection connection = Db.open(database)) {
            Db.execute(connection, "CREATE TABLE t(x)", "INSERT INTO t VALUES (1), (2)");
        }
        EnhancedSqlite.shutdown();

        String url = "jdbc:enhanced-sqlite:file:" + database.toAbsolutePath() + "?mode=ro";
        try (Connection connection = DriverManager.getConnection(url)) {
            assertThat(Db.queryLong(connection, "SELECT count(*) FROM t")).isEqualTo(2);
            assertThat(Db.pragma(connection, "journal_mode")).isEqualTo("wal");
            assertThatThrownBy(() -> Db.execute(connection, "INSERT INTO t VALUES (3)"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("readonly");
        }
        EnhancedSqlite.shutdown();

        // A read-only connection cannot checkpoint, so SQLite leaves -wal/-shm behind (plain sqlite-jdbc does too);
        // the next writable pool takes them over and removes them when it closes.
        try (Connection writable = Db.open(database)) {
            Db.execute(writable, "INSERT INTO t VALUES (3)");
        }
        EnhancedSqlite.shutdown();
        assertThat(Db.sidecars(database)).isEmpty();
        try (Connection plain = Db.plain(database)) {
            assertThat(Db.queryLong(plain, "SELECT count(*) FROM t")).isEqualTo(3);
        }
    }

    /**
     * A read-only connection cannot switch to the profile's WAL: it opens with the file's own journal mode (issue 11
     * point 11), while a journal_mode the application asks for itself is still applied and fails with the reason.
     */
    @Test
    void readOnlyUriOnARollbackJournalDatabaseKeepsItsJournalModeUnlessOneIsAskedFor() throws Exception {
        Path database = dir.resolve("delete-mode.db");
        try (Connection plain = Db.plain(database)) {
            Db.execute(plain, "CREATE TABLE t(x)", "INSERT INTO t VALUES (1)");
            assertThat(Db.pragma(plain, "journal_mode")).isEqualTo("delete");
        }
        String uri = "jdbc:enhanced-sqlite:file:" + database.toAbsolutePath() + "?mode=ro";

        try (Connection connection = DriverManager.getConnection(uri)) {
            assertThat(Db.queryLong(connection, "SELECT x FROM t")).isEqualTo(1);
            assertThat(Db.pragma(connection, "journal_mode")).isEqualTo("delete");
        }
        EnhancedSqlite.shutdown();

        assertThatThrownBy(() -> DriverManager.getConnection(uri + "&profile=off&journal_mode=wal").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("journal_mode");

        try (Connection connection = DriverManager.getConnection(uri + "&profile=off")) {
            assertThat(Db.queryLong(connection, "SELECT x FROM t")).isEqualTo(1);
            assertThat(Db.pragma(connection, "journal_mode")).isEqualTo("delete");
        }
    }

    @Test
    void acceptsASharedCacheMemoryUri() throws SQLException {
        String url = "jdbc:enhanced-sqlite:file::memory:?cache=shared";
        try (Connection first = DriverManager.getConnection(url)) {
            Db.execute(first, "CREATE TABLE shared_t(x)", "INSERT INTO shared_t VALUES (11)");
            try (Connection second = DriverManager.getConnection(url)) {
                assertThat(Db.queryLong(second, "SELECT x FROM shared_t")).isEqualTo(11);
            }
        }
        assertThat(EnhancedSqlite.openDatabases()).hasSize(1);
    }
}
