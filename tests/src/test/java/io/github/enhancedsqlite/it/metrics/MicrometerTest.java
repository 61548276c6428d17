package io.github.enhancedsqlite.it.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 point 2: with Micrometer on the class path (it is on this module's test class path), every open database
 * shows its figures as meters tagged with its path, in Micrometer's global registry or the one the application
 * chose, and they go away when its pool closes.
 */
class MicrometerTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePoolsAndRestoreTheRegistry() {
        EnhancedSqlite.shutdown();
        MicrometerMetrics.useRegistry(null);
    }

    @Test
    void metersAppearInTheGlobalRegistryTaggedWithTheDatabaseAndFollowTheWorkload() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Metrics.addRegistry(registry);
        try {
            Path file = dir.resolve("global.db");
            try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + file + "?compress=auto")) {
                String db = Figures.key(file);
                assertThat(registry.find("enhancedsqlite.connections.active").tag("db", db).gauge())
                        .isNotNull()
                        .satisfies(gauge -> assertThat(gauge.value()).isEqualTo(1.0));
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)");
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notes(body) VALUES (?)")) {
                    for (int i = 0; i < 5; i++) {
                        insert.setString(1, "a value that repeats itself. ".repeat(30));
                        insert.executeUpdate();
                    }
                }
                FunctionCounter values = registry.find("enhancedsqlite.compression.values").tag("db", db)
                        .functionCounter();
                assertThat(values).isNotNull();
                assertThat(values.count()).isEqualTo(5.0);
                assertThat(registry.find("enhancedsqlite.compression.bytes.in").tag("db", db).functionCounter().count())
                        .isGreaterThan(registry.find("enhancedsqlite.compression.bytes.out").tag("db", db)
                                .functionCounter().count());
                assertThat(registry.find("enhancedsqlite.writer.waits").tag("db", db).functionTimer()).isNotNull();
                assertThat(registry.find("enhancedsqlite.checkpoints").tag("db", db).functionCounter()).isNotNull();
            }
            EnhancedSqlite.shutdown();
            assertThat(registry.find("enhancedsqlite.connections.active").tag("db", Figures.key(file)).meters())
                    .isEmpty();
        } finally {
            Metrics.removeRegistry(registry);
        }
    }

    @Test
    void aRegistryTheApplicationChoosesReceivesTheMetersOfOpenAndLaterPools() throws Exception {
        Path early = dir.resolve("early.db");
        Path late = dir.resolve("late.db");
        try (Connection first = DriverManager.getConnection("jdbc:enhanced-sqlite:" + early)) {
            SimpleMeterRegistry chosen = new SimpleMeterRegistry();
            MicrometerMetrics.useRegistry(chosen);
            try (Connection second = DriverManager.getConnection("jdbc:enhanced-sqlite:" + late)) {
                assertThat(chosen.find("enhancedsqlite.connections.active").tag("db", Figures.key(early)).gauge())
                        .as("moved from the global registry").isNotNull();
                assertThat(chosen.find("enhancedsqlite.connections.active").tag("db", Figures.key(late)).gauge())
                        .isNotNull();
                assertThat(Metrics.globalRegistry.find("enhancedsqlite.connections.active")
                        .tag("db", Figures.key(early)).meters()).isEmpty();
            }
        }
    }
}
