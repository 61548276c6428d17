package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue point 5, first half: one pool per database file whatever the spelling, and its size limit. */
class PoolSharingTest {

    /** Small settings that make "the pool is exhausted" an error in a quarter of a second. */
    private static final String ONE_CONNECTION = "maximumPoolSize=1&connectionTimeout=1000";

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    /** Holds the only connection through one spelling; another spelling must wait for that same connection. */
    private static void assertSharesTheSinglePooledConnection(String firstUrl, String otherUrl) throws SQLException {
        Connection first = DriverManager.getConnection(firstUrl);
        try {
            assertThatThrownBy(() -> Db.borrowPastTheLimit(1, () -> DriverManager.getConnection(otherUrl)).close())
                    .as("%s must share the pool of %s", otherUrl, firstUrl)
                    .isInstanceOf(SQLTransientConnectionException.class);
        } finally {
            first.close();
        }
        try (Connection other = DriverManager.getConnection(otherUrl)) {
            assertThat(Db.queryLong(other, "SELECT count(*) FROM t")).isEqualTo(1);
        }
    }

    @Test
    void absoluteAndRelativeSpellingsShareOnePool() throws Exception {
        Path database = dir.resolve("shared.db");
        String absolute = Db.url(database, ONE_CONNECTION);
        String relative = "jdbc:enhanced-sqlite:" + Path.of("").toAbsolutePath().relativize(database) + "?" + ONE_CONNECTION;
        try (Connection connection = DriverManager.getConnection(absolute)) {
            Db.execute(connection, "CREATE TABLE t(x)", "INSERT INTO t VALUES (1)");
        }

        assertSharesTheSinglePooledConnection(absolute, relative);
        assertThat(EnhancedSqlite.openDatabases()).containsExactly(database.toRealPath().toString());
    }

    @Test
    void aSymlinkedDirectoryAndAFileUriShareOnePool() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        Path database = real.resolve("linked.db");
        String direct = Db.url(database, ONE_CONNECTION);
        String throughLink = Db.url(link.resolve("linked.db"), ONE_CONNECTION);
        String uri = "jdbc:enhanced-sqlite:file:" + database.toAbsolutePath() + "?" + ONE_CONNECTION;
        try (Connection connection = DriverManager.getConnection(throughLink)) {
            Db.execute(connection, "CREATE TABLE t(x)", "INSERT INTO t VALUES (1)");
        }

        assertSharesTheSinglePooledConnection(direct, throughLink);
        assertSharesTheSinglePooledConnection(throughLink, uri);
        assertThat(EnhancedSqlite.openDatabases()).containsExactly(database.toRealPath().toString());
    }

    @Test
    void conflictingSettingsForOneFileAreAClearError() throws Exception {
        Path database = dir.resolve("conflict.db");
        try (Connection connection = Db.open(database)) {
            Db.execute(connection, "CREATE TABLE t(x)");
        }

        assertThatThrownBy(() -> Db.open(database, "synchronous=FULL"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(database.toRealPath().toString())
                .hasMessageContaining("already open")
                .hasMessageContaining("FULL");
        String otherSpelling = "jdbc:enhanced-sqlite:file:" + database.toAbsolutePath() + "?maximumPoolSize=2";
        assertThatThrownBy(() -> DriverManager.getConnection(otherSpelling))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("already open")
                .hasMessageContaining("maximumPoolSize")
                .hasMessageContaining("2");

        // the open pool is unharmed, and once it is closed the new settings are taken
        try (Connection connection = Db.open(database)) {
            assertThat(Db.pragma(connection, "synchronous")).isEqualTo("1");
        }
        EnhancedSqlite.shutdown();
        try (Connection connection = Db.open(database, "synchronous=FULL")) {
            assertThat(Db.pragma(connection, "synchronous")).isEqualTo("2");
        }
    }

    @Test
    void aPoolHoldsTenConnectionsByDefault() throws SQLException {
        String url = Db.url(dir.resolve("ten.db"), "connectionTimeout=1000");
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                held.add(DriverManager.getConnection(url));
            }
            assertThatThrownBy(() -> Db.borrowPastTheLimit(10, () -> DriverManager.getConnection(url)).close())
                    .isInstanceOf(SQLTransientConnectionException.class);

            held.remove(0).close();
            held.add(DriverManager.getConnection(url));
            assertThat(held).hasSize(10).allSatisfy(connection -> assertThat(connection.isValid(1)).isTrue());
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
    }

    @Test
    void maximumPoolSizeIsHonoured() throws SQLException {
        String url = Db.url(dir.resolve("three.db"), "maximumPoolSize=3&connectionTimeout=1000");
        try (Connection a = DriverManager.getConnection(url);
             Connection b = DriverManager.getConnection(url);
             Connection c = DriverManager.getConnection(url)) {
            assertThat(List.of(a, b, c)).allSatisfy(connection -> assertThat(connection.isClosed()).isFalse());
            assertThatThrownBy(() -> Db.borrowPastTheLimit(3, () -> DriverManager.getConnection(url)).close())
                    .isInstanceOf(SQLTransientConnectionException.class);
        }
    }

    /**
     * Code that never closes its connections (which sqlite-jdbc alone never stopped) is told so when the pool runs
     * dry: HikariCP's own message counts only the connections it holds ("total=1, active=1" with three lent).
     */
    @Test
    void aPoolRunDryNamesItsSizeAndWhatGivesAConnectionBack() throws SQLException {
        String url = Db.url(dir.resolve("dry.db"), "maximumPoolSize=3&connectionTimeout=1000");
        List<Connection> leaked = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                leaked.add(DriverManager.getConnection(url));
            }
            assertThatThrownBy(() -> Db.borrowPastTheLimit(3, () -> DriverManager.getConnection(url)).close())
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("connectionTimeout=1000 ms")
                    .hasMessageContaining("all 3 (maximumPoolSize=3) stayed borrowed, and so did 3 more opened beyond it")
                    .hasMessageContaining("only at close()");
            leaked.remove(0).close();
            try (Connection next = DriverManager.getConnection(url)) {
                assertThat(next.isValid(1)).isTrue();
            }
        } finally {
            for (Connection connection : leaked) {
                connection.close();
            }
        }
    }
}
