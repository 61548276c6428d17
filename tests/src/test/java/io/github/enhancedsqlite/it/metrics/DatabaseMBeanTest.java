package io.github.enhancedsqlite.it.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.DatabaseMXBean;
import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 point 2: one MXBean per open database, named after it, registered when its pool opens and gone when it
 * closes, whose figures follow the workload.
 */
class DatabaseMBeanTest {

    private static final String PREFIX = "jdbc:enhanced-sqlite:";

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void eachPoolHasItsOwnMBeanFromOpenToClose() throws Exception {
        Path first = dir.resolve("first.db");
        Path second = dir.resolve("second db, \"quoted\".db"); // a path JMX must quote
        String memoryOne = "file:one?mode=memory&cache=shared";
        String memoryTwo = "file:two?mode=memory&cache=shared";
        try (Connection a = DriverManager.getConnection(PREFIX + first);
             Connection b = DriverManager.getConnection(PREFIX + second);
             Connection c = DriverManager.getConnection(PREFIX + memoryOne);
             Connection d = DriverManager.getConnection(PREFIX + memoryTwo)) {
            String[] keys = {Figures.key(first), Figures.key(second), "jdbc:sqlite:" + memoryOne,
                    "jdbc:sqlite:" + memoryTwo};
            for (String key : keys) {
                assertThat(Figures.registered(key)).as("MBean of %s", key).isTrue();
                assertThat(Figures.of(key).getDatabase()).isEqualTo(key);
            }
            assertThat(Figures.allRegistered()).hasSizeGreaterThanOrEqualTo(4);
            assertThat(a.unwrap(DatabaseMXBean.class).getDatabase()).isEqualTo(keys[0]);
            assertThat(d.unwrap(DatabaseMXBean.class).getDatabase()).isEqualTo(keys[3]);

            EnhancedSqlite.shutdown();

            for (String key : keys) {
                assertThat(Figures.registered(key)).as("MBean of %s after shutdown", key).isFalse();
            }
            assertThat(Figures.allRegistered()).isEmpty();
        }
    }

    @Test
    void closingOneDataSourceUnregistersOnlyItsDatabase() throws Exception {
        Path kept = dir.resolve("kept.db");
        Path closed = dir.resolve("closed.db");
        try (Connection connection = DriverManager.getConnection(PREFIX + kept)) {
            try (var dataSource = new io.github.enhancedsqlite.EnhancedSqliteDataSource(PREFIX + closed)) {
                dataSource.getConnection().close();
                assertThat(Figures.registered(Figures.key(closed))).isTrue();
            }
            assertThat(Figures.registered(Figures.key(closed))).isFalse();
            assertThat(Figures.registered(Figures.key(kept))).isTrue();
        }
    }

    /** :memory: gives every connection its own database and keeps no pool: there is nothing lasting to name. */
    @Test
    void privateMemoryDatabasesRegisterNothing() throws Exception {
        var before = Figures.allRegistered();
        try (Connection one = DriverManager.getConnection(PREFIX + ":memory:");
             Connection two = DriverManager.getConnection(PREFIX)) {
            assertThat(Figures.allRegistered()).isEqualTo(before);
            assertThat(one.unwrap(DatabaseMXBean.class).getTotalConnections()).isZero();
            assertThat(two.isWrapperFor(DatabaseMXBean.class)).isTrue();
        }
    }

    @Test
    void poolFiguresFollowTheLeases() throws Exception {
        Path file = dir.resolve("pool.db");
        String url = PREFIX + file + "?maximumPoolSize=2";
        try (Connection first = DriverManager.getConnection(url)) {
            DatabaseMXBean figures = Figures.of(file);
            assertThat(figures.getActiveConnections()).isEqualTo(1);
            try (Connection second = DriverManager.getConnection(url)) {
                assertThat(figures.getActiveConnections()).isEqualTo(2);
                assertThat(figures.getTotalConnections()).isEqualTo(2);
                assertThat(figures.getIdleConnections()).isZero();
            }
            assertThat(figures.getActiveConnections()).isEqualTo(1);
            assertThat(figures.getIdleConnections()).isEqualTo(1);
            assertThat(figures.getThreadsAwaitingConnection()).isZero();
        }
    }

    @Test
    void compressedWritesAndRewrittenReadsAreCounted() throws Exception {
        Path file = dir.resolve("compressed.db");
        String url = PREFIX + file + "?compress=auto";
        int values = 20;
        try (Connection connection = DriverManager.getConnection(url)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)");
            }
            DatabaseMXBean figures = Figures.of(file);
            assertThat(figures.getCompressedValues()).isZero();
            assertThat(figures.getCompressionRatio()).isZero();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notes(body) VALUES (?)")) {
                for (int i = 0; i < values; i++) {
                    insert.setString(1, ("note " + i + " says the same thing again. ").repeat(40));
                    insert.executeUpdate();
                }
            }
            assertThat(figures.getCompressedValues()).isEqualTo(values);
            assertThat(figures.getCompressionBytesIn()).isGreaterThan(figures.getCompressionBytesOut());
            assertThat(figures.getCompressionBytesOut()).isPositive();
            assertThat(figures.getCompressionRatio()).isGreaterThan(1.0);

            long rewrittenBefore = figures.getRewrittenStatements();
            try (PreparedStatement search = connection.prepareStatement("SELECT count(*) FROM notes WHERE body LIKE ?")) {
                search.setString(1, "note 3 %");
                try (ResultSet result = search.executeQuery()) {
                    assertThat(result.next()).isTrue();
                    assertThat(result.getInt(1)).isEqualTo(1);
                }
            }
            assertThat(figures.getRewrittenStatements()).isEqualTo(rewrittenBefore + 1);
        }
    }

    /** As when a second copy of the driver, in another class loader, has the same file open. */
    @Test
    void aNameAlreadyTakenGetsAnInstanceKeyAndStaysUnique() throws Exception {
        Path file = java.nio.file.Files.createFile(dir.resolve("taken.db"));
        String key = Figures.key(file);
        var server = ManagementFactory.getPlatformMBeanServer();
        server.registerMBean(new DatabaseMetrics("the other copy's"), Figures.name(key));
        try {
            ObjectName second = new ObjectName(Figures.name(key) + ",instance=2");
            try (Connection connection = DriverManager.getConnection(PREFIX + file)) {
                assertThat(server.isRegistered(second)).isTrue();
                assertThat(server.getAttribute(second, "Database")).isEqualTo(key);
                assertThat(server.getAttribute(second, "ActiveConnections")).isEqualTo(1);
            }
            EnhancedSqlite.shutdown();
            assertThat(server.isRegistered(second)).isFalse();
            assertThat(server.getAttribute(Figures.name(key), "Database")).isEqualTo("the other copy's");
        } finally {
            server.unregisterMBean(Figures.name(key));
        }
    }

    @Test
    void theMBeanAnswersThroughThePlatformServerByAttributeName() throws Exception {
        Path file = dir.resolve("attributes.db");
        try (Connection connection = DriverManager.getConnection(PREFIX + file)) {
            ObjectName name = Figures.name(Figures.key(file));
            var server = ManagementFactory.getPlatformMBeanServer();
            assertThat(server.getAttribute(name, "ActiveConnections")).isEqualTo(1);
            assertThat(server.getAttribute(name, "WriterWaits")).isEqualTo(0L);
            assertThat(server.getAttribute(name, "Database")).isEqualTo(Figures.key(file));
        }
    }
}
