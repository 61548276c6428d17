package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.io.Closeable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue point 7: the DataSource a framework is given. */
class DataSourceTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void settersConfigureTheConnections() throws SQLException {
        EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource();
        dataSource.setUrl(Db.url(dir.resolve("ds.db")));
        dataSource.setProfile("durable");
        dataSource.setProperty("cache_size", "-8192");
        dataSource.setProperty("foreign_keys", "true");
        dataSource.setMaximumPoolSize(2);
        dataSource.setConnectionTimeout(1000);

        try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection()) {
            for (Connection connection : new Connection[] {first, second}) {
                assertThat(Db.pragma(connection, "synchronous")).isEqualTo("2");
                assertThat(Db.pragma(connection, "cache_size")).isEqualTo("-8192");
                assertThat(Db.pragma(connection, "foreign_keys")).isEqualTo("1");
                assertThat(Db.pragma(connection, "journal_mode")).isEqualTo("wal");
            }
            assertThatThrownBy(() -> Db.borrowPastTheLimit(2, dataSource::getConnection).close())
                    .as("maximumPoolSize=2")
                    .isInstanceOf(SQLTransientConnectionException.class);
        }
    }

    @Test
    void dataSourceSettingsWinOverTheUrlQuery() throws SQLException {
        EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(Db.url(dir.resolve("q.db"), "synchronous=OFF"));
        dataSource.setProperty("synchronous", "EXTRA");
        try (Connection connection = dataSource.getConnection()) {
            assertThat(Db.pragma(connection, "synchronous")).isEqualTo("3");
        }
    }

    @Test
    void aPlainSqliteUrlIsUpgraded() throws SQLException {
        EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("upgraded.db").toAbsolutePath());
        try (Connection connection = dataSource.getConnection()) {
            assertThat(Db.pragma(connection, "journal_mode")).isEqualTo("wal");
            assertThat(Db.pragma(connection, "mmap_size")).isEqualTo("8589934592");
        }
    }

    @Test
    void closeClosesThePoolAndCheckpointsTheWal() throws Exception {
        Path database = dir.resolve("closeable.db");
        EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(Db.url(database));
        assertThat(dataSource).isInstanceOf(Closeable.class);
        try (Connection connection = dataSource.getConnection()) {
            Db.execute(connection, "CREATE TABLE t(x)", "INSERT INTO t VALUES (1), (2)");
        }
        assertThat(Db.sidecars(database)).contains("closeable.db-wal");

        dataSource.close();

        assertThat(Db.sidecars(database)).isEmpty();
        assertThat(EnhancedSqlite.openDatabases()).isEmpty();
        try (Connection plain = Db.plain(database)) {
            assertThat(Db.queryLong(plain, "SELECT count(*) FROM t")).isEqualTo(2);
        }
        // a closed DataSource opens a new pool on the next getConnection
        try (Connection connection = dataSource.getConnection()) {
            assertThat(Db.queryLong(connection, "SELECT count(*) FROM t")).isEqualTo(2);
        }
        dataSource.close();
        assertThat(Db.sidecars(database)).isEmpty();
    }

    @Test
    void aBadSettingSurfacesOnGetConnection() {
        EnhancedSqliteDataSource typo = new EnhancedSqliteDataSource(Db.url(dir.resolve("typo.db")));
        typo.setProperty("cahce_size", "-1000");
        assertThatThrownBy(typo::getConnection)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("cahce_size")
                .hasMessageContaining("cache_size");

        EnhancedSqliteDataSource badProfile = new EnhancedSqliteDataSource(Db.url(dir.resolve("profile.db")));
        badProfile.setProfile("turbo");
        assertThatThrownBy(badProfile::getConnection)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("turbo")
                .hasMessageContaining("profile");

        EnhancedSqliteDataSource badSize = new EnhancedSqliteDataSource(Db.url(dir.resolve("size.db")));
        badSize.setMaximumPoolSize(0);
        assertThatThrownBy(badSize::getConnection)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("maximumPoolSize");

        assertThatThrownBy(() -> new EnhancedSqliteDataSource().getConnection())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("url");
    }

    @Test
    void aDataSourceAndDriverManagerShareOnePool() throws Exception {
        Path database = dir.resolve("together.db");
        EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(Db.url(database));
        dataSource.setMaximumPoolSize(1);
        dataSource.setConnectionTimeout(1000);
        String url = Db.url(database, "maximumPoolSize=1&connectionTimeout=1000");

        try (Connection connection = dataSource.getConnection()) {
            Db.execute(connection, "CREATE TABLE t(x)");
            assertThatThrownBy(() -> Db.borrowPastTheLimit(1, () -> DriverManager.getConnection(url)).close())
                    .isInstanceOf(SQLTransientConnectionException.class);
        }
        try (Connection connection = DriverManager.getConnection(url)) {
            assertThat(Db.tableExists(connection, "main", "t")).isTrue();
        }
        assertThat(EnhancedSqlite.openDatabases()).containsExactly(database.toRealPath().toString());
    }

    @Test
    void unwrapsToItselfOnly() throws SQLException {
        EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(Db.url(dir.resolve("w.db")));
        assertThat(dataSource.unwrap(DataSource.class)).isSameAs(dataSource);
        assertThat(dataSource.isWrapperFor(EnhancedSqliteDataSource.class)).isTrue();
        assertThatThrownBy(() -> dataSource.unwrap(String.class)).isInstanceOf(SQLException.class);
    }
}
