package io.github.enhancedsqlite.examples.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import io.github.enhancedsqlite.examples.flyway.Tasks.Task;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flyway 13 migrating a real file through the driver's DataSource (default profile, compress=auto). */
class FlywayExampleTest {

    @TempDir
    Path dir;

    private Path file;
    private EnhancedSqliteDataSource dataSource;

    @BeforeEach
    void open() {
        file = dir.resolve("tasks.db");
        dataSource = new EnhancedSqliteDataSource("jdbc:enhanced-sqlite:" + file + "?compress=auto");
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void migratesThroughTheDataSourceOnceAndRecognisesSqlite() {
        Flyway flyway = Migrations.flyway(dataSource);
        MigrateResult first = flyway.migrate();
        // Recognised from the connection's metadata (product name "SQLite"), not from the URL.
        assertThat(first.databaseType).isEqualTo("SQLite");
        assertThat(first.migrationsExecuted).isEqualTo(3);
        assertThat(Arrays.stream(flyway.info().all()).map(MigrationInfo::getState))
                .containsOnly(MigrationState.SUCCESS);
        assertThat(flyway.info().current().getVersion().getVersion()).isEqualTo("3");

        assertThat(Migrations.flyway(dataSource).migrate().migrationsExecuted).isZero();
        assertThat(Migrations.flyway(dataSource).validateWithResult().validationSuccessful).isTrue();
    }

    @Test
    void aFailingMigrationIsRolledBackWhole() throws SQLException {
        Migrations.flyway(dataSource).migrate();

        Flyway withBroken = Migrations.flyway(dataSource, "classpath:db/migration", "classpath:db/broken");
        assertThatThrownBy(withBroken::migrate).isInstanceOf(FlywayException.class)
                .hasMessageContaining("no_such_table");

        // SQLite runs DDL in transactions: the table V4 created and the row it inserted are gone, and Flyway
        // recorded no V4 in its history.
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema WHERE name = 'labels'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            List<String> versions = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(
                    "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
                while (rs.next()) {
                    versions.add(rs.getString(1));
                }
            }
            assertThat(versions).containsExactly("1", "2", "3");
        }
        assertThat(Migrations.flyway(dataSource).info().current().getVersion().getVersion()).isEqualTo("3");
    }

    @Test
    void theMigratedSchemaTakesInsertsWithGeneratedKeysUpdatesDeletesAndQueries() throws SQLException {
        Migrations.flyway(dataSource).migrate();
        Tasks tasks = new Tasks(dataSource);

        long first = tasks.add("home", "water plants", "the big ones first");
        long second = tasks.add("home", "fix the door", null);
        assertThat(second).isEqualTo(first + 1);

        assertThat(tasks.complete(first)).isTrue();
        assertThat(tasks.find(first)).contains(new Task(first, "home", "water plants", "the big ones first", true));
        assertThat(tasks.open("home")).extracting(Task::id).containsExactly(second);

        assertThat(tasks.delete(second)).isTrue();
        assertThat(tasks.delete(second)).isFalse();
        assertThat(tasks.find(second)).isEmpty();
    }

    @Test
    void failedTransactionLeavesNoneOfItsRows() throws SQLException {
        Migrations.flyway(dataSource).migrate();
        Tasks tasks = new Tasks(dataSource);

        // The project row is inserted first; the task then breaks title NOT NULL: both must be rolled back.
        assertThatThrownBy(() -> tasks.add("new project", null, "details"))
                .isInstanceOf(SQLException.class).hasMessageContaining("NOT NULL");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM projects WHERE name = 'new project'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void readOnlyTransactionReadsAndRefusesAWrite() throws SQLException {
        Migrations.flyway(dataSource).migrate();
        Tasks tasks = new Tasks(dataSource);
        assertThat(tasks.open("inbox")).extracting(Task::title).containsExactly("Read the welcome notes");

        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("DELETE FROM tasks")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("readonly");
            }
            c.rollback();
        }
        assertThat(tasks.open("inbox")).hasSize(1);
    }

    @Test
    void theJavaMigrationsLongValueIsStoredCompressedAndReadsBackEqual() throws SQLException {
        Migrations.flyway(dataSource).migrate();
        Task welcome = new Tasks(dataSource).open("inbox").get(0);
        assertThat(welcome.details()).isEqualTo(SampleDocument.json(60));
        assertThat(new Tasks(dataSource).search("\"seq\":59,")).extracting(Task::id).containsExactly(welcome.id());

        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement ps = plain.prepareStatement("SELECT typeof(details), details FROM tasks WHERE id = ?")) {
            ps.setLong(1, welcome.id());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("blob");
                byte[] stored = rs.getBytes(2);
                assertThat(Arrays.copyOf(stored, 4)).containsExactly(0xEC, 0x45, 0x53, 0x5A);
                assertThat(stored.length).isLessThan(welcome.details().length() / 4);
            }
        }
    }

    @Test
    void flywayGivenOnlyTheUrlFindsTheDriverAndMigratesWithItsSqliteSupport() throws SQLException {
        // The driver's Flyway plugin teaches Flyway the prefix; the connection is then SQLite to Flyway.
        MigrateResult result = Flyway.configure().dataSource("jdbc:enhanced-sqlite:" + file + "?compress=auto", "", "")
                .load().migrate();

        assertThat(result.migrationsExecuted).isEqualTo(3);
        assertThat(result.databaseType).isEqualTo("SQLite");
        assertThat(Migrations.flyway(dataSource).info().applied()).hasSize(3);
        assertThat(new Tasks(dataSource).open("inbox")).extracting(Tasks.Task::title).contains("Read the welcome notes");
    }

    @Test
    void mainMigratesOnceAndThenUsesTheSchema() throws Exception {
        Main.main(new String[] {dir.resolve("main").toString()});
        Main.main(new String[] {dir.resolve("main").toString()});
        try (EnhancedSqliteDataSource again = new EnhancedSqliteDataSource(
                "jdbc:enhanced-sqlite:" + dir.resolve("main/tasks.db") + "?compress=auto")) {
            assertThat(Migrations.flyway(again).info().applied()).hasSize(3);
            assertThat(new Tasks(again).search("nothing migrate")).hasSize(2);
        }
    }
}
