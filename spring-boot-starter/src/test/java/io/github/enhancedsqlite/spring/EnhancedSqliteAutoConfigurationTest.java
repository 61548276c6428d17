package io.github.enhancedsqlite.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import io.github.enhancedsqlite.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Real Spring Boot applications (Boot's own auto-configuration, Flyway, Liquibase and Actuator on the class path) on
 * real database files, configured only through properties, as a user would.
 */
class EnhancedSqliteAutoConfigurationTest {

    @TempDir
    Path dir;

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    @AfterEach
    void close() {
        contexts.forEach(ConfigurableApplicationContext::close);
        EnhancedSqlite.shutdown();
    }

    /** Flyway and Liquibase are on the class path of every test here: each runs only where a test turns it on. */
    private ConfigurableApplicationContext run(String... properties) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(StarterApplication.class)
                .properties("spring.main.banner-mode=off", "spring.flyway.enabled=false",
                        "spring.liquibase.enabled=false")
                .run(java.util.Arrays.stream(properties).map(property -> "--" + property).toArray(String[]::new));
        contexts.add(context);
        return context;
    }

    private String url(String file) {
        return "jdbc:enhanced-sqlite:" + dir.resolve(file);
    }

    @Test
    void theUrlAloneGivesExactlyOneDataSourceTheDriversOwnWithNoPoolInFront() throws Exception {
        ConfigurableApplicationContext context = run("spring.datasource.url=" + url("app.db"));

        assertThat(context.getBeansOfType(DataSource.class)).hasSize(1);
        DataSource dataSource = context.getBean(DataSource.class);
        assertThat(dataSource).isInstanceOf(EnhancedSqliteDataSource.class);
        assertThat(((EnhancedSqliteDataSource) dataSource).getUrl()).isEqualTo(url("app.db"));
        assertThat(context.getBeansOfType(HikariDataSource.class)).isEmpty();

        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        jdbc.execute("CREATE TABLE t(x)");
        jdbc.update("INSERT INTO t VALUES (1)");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM t", Integer.class)).isEqualTo(1);
        assertThat(EnhancedSqlite.openDatabases()).containsExactly(dir.resolve("app.db").toRealPath().toString());
    }

    @Test
    void driverSettingsComeFromSpringDatasourceEnhancedInSpringsRelaxedNames() {
        ConfigurableApplicationContext context = run("spring.datasource.url=" + url("settings.db"),
                "spring.datasource.enhanced.busy-timeout=4321",
                "spring.datasource.enhanced.maximum-pool-size=3",
                "spring.datasource.enhanced.compress=auto");

        EnhancedSqliteDataSource dataSource = context.getBean(EnhancedSqliteDataSource.class);
        assertThat(dataSource.getProperties()).containsEntry("busy_timeout", "4321")
                .containsEntry("maximumPoolSize", "3").containsEntry("compress", "auto").hasSize(3);
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject("PRAGMA busy_timeout", Integer.class)).isEqualTo(4321);
    }

    @Test
    void anUnknownSettingStopsTheApplicationNamingItAndWhatIsAccepted() {
        assertThatThrownBy(() -> run("spring.datasource.url=" + url("unknown.db"),
                "spring.datasource.enhanced.compresion=auto"))
                .hasStackTraceContaining("Unknown setting spring.datasource.enhanced.compresion")
                .hasStackTraceContaining("compressThreshold");
    }

    @Test
    void anotherUrlLeavesBootsOwnDataSourceAlone() {
        ConfigurableApplicationContext context = run("spring.datasource.url=jdbc:sqlite:" + dir.resolve("plain.db"));

        assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
        assertThat(context.getBeansOfType(EnhancedSqliteDataSource.class)).isEmpty();
    }

    @Test
    void bootsFlywayMigratesTheDriversDataSource() {
        ConfigurableApplicationContext context = run("spring.datasource.url=" + url("flyway.db"),
                "spring.flyway.enabled=true");

        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success = 1", Integer.class))
                .isEqualTo(1);
        assertThat(jdbc.update("INSERT INTO memory(topic, body) VALUES ('t', 'b')")).isEqualTo(1);
    }

    @Test
    void bootsFlywayMigratesAFileGivenByItsOwnUrl() {
        Path other = dir.resolve("flyway-own.db");
        run("spring.datasource.url=" + url("main.db"), "spring.flyway.enabled=true",
                "spring.flyway.url=jdbc:enhanced-sqlite:" + other);

        JdbcTemplate otherFile = new JdbcTemplate(new EnhancedSqliteDataSource("jdbc:enhanced-sqlite:" + other));
        assertThat(otherFile.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success = 1",
                Integer.class)).isEqualTo(1);
    }

    @Test
    void bootsLiquibaseUpdatesTheDriversDataSource() {
        ConfigurableApplicationContext context = run("spring.datasource.url=" + url("liquibase.db"),
                "spring.liquibase.enabled=true", "spring.liquibase.change-log=classpath:db/changelog/changelog.yaml");

        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM DATABASECHANGELOG", Integer.class)).isEqualTo(1);
        assertThat(jdbc.update("INSERT INTO memory(topic, body) VALUES ('t', 'b')")).isEqualTo(1);
    }

    @Test
    void bootsLiquibaseUpdatesAFileGivenByItsOwnUrl() {
        Path other = dir.resolve("liquibase-own.db");
        run("spring.datasource.url=" + url("main.db"), "spring.liquibase.enabled=true",
                "spring.liquibase.change-log=classpath:db/changelog/changelog.yaml",
                "spring.liquibase.url=jdbc:enhanced-sqlite:" + other);

        JdbcTemplate otherFile = new JdbcTemplate(new EnhancedSqliteDataSource("jdbc:enhanced-sqlite:" + other));
        assertThat(otherFile.queryForObject("SELECT count(*) FROM DATABASECHANGELOG", Integer.class)).isEqualTo(1);
    }

    @Test
    void aReadOnlyTransactionRunsOnAConnectionThatRefusesWrites() {
        ConfigurableApplicationContext context = run("spring.datasource.url=" + url("readonly.db"));
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        jdbc.execute("CREATE TABLE t(x)");
        TransactionTemplate readOnly = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
        readOnly.setReadOnly(true);

        Boolean readOnlyConnection = readOnly.execute(status -> jdbc.execute((java.sql.Connection c) -> c.isReadOnly()));
        assertThat(readOnlyConnection).isTrue();
        assertThatThrownBy(() -> readOnly.executeWithoutResult(status -> jdbc.update("INSERT INTO t VALUES (1)")))
                .isInstanceOf(DataAccessException.class).hasStackTraceContaining("readonly");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM t", Integer.class)).isZero();
        assertThat(jdbc.update("INSERT INTO t VALUES (2)")).isEqualTo(1);
    }

    @Test
    void actuatorHasAHealthIndicatorWithTheDatabasesFigures() throws Exception {
        ConfigurableApplicationContext context = run("spring.datasource.url=" + url("health.db"));

        Health health = context.getBean("enhancedSqliteHealthIndicator", HealthIndicator.class).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("database", dir.resolve("health.db").toRealPath().toString())
                .containsKeys("activeConnections", "idleConnections", "writerWaits", "busyRollbacks");
    }

    @Test
    void theDriversMetersAreInTheApplicationsRegistry() throws Exception {
        ConfigurableApplicationContext context = run("spring.datasource.url=" + url("meters.db"));
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        jdbc.execute("CREATE TABLE t(x)");
        MeterRegistry registry = context.getBean(MeterRegistry.class);

        assertThat(MicrometerMetrics.registry()).isSameAs(registry);
        assertThat(registry.find("enhancedsqlite.connections.total")
                .tag(MicrometerMetrics.TAG, dir.resolve("meters.db").toRealPath().toString()).gauge()).isNotNull();

        context.close();
        assertThat(MicrometerMetrics.registry()).isNotSameAs(registry);
    }
}
