package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flyway's command line, as its users download it (the distribution unpacked by the Maven build of tests/), with
 * the drop-in jar in its {@code drivers/} directory as README tells, run through its own {@code flyway} script in a
 * child process given the URL and nothing else: {@code migrate} and {@code info} by
 * {@code -url=jdbc:enhanced-sqlite:…}. A migration of the command line also works on a column holding compressed
 * values (its WHERE reads them through the driver's rewriting), and those values read back.
 */
class FlywayCommandLineTest {

    /** A hung command must not hang the build; this bounds the wait, it asserts nothing about speed. */
    private static final long GIVE_UP_MINUTES = 3;

    /** Well above compressThreshold, and repetitive as agent memories are: stored compressed. */
    private static final String LONG_MEMORY = "{\"note\":\"" + "the user prefers short answers; ".repeat(120) + "\"}";

    @TempDir
    Path dir;

    @Test
    void flywaysCommandLineMigratesAndReportsByUrlWithTheDropInJar() throws Exception {
        Path flyway = installedWithTheDropInJar();
        Path migrations = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__Create_memory.sql"),
                "CREATE TABLE memory (id INTEGER PRIMARY KEY, topic TEXT NOT NULL, body TEXT);\n");
        Files.writeString(migrations.resolve("V2__First_memory.sql"),
                "INSERT INTO memory (topic, body) VALUES ('greeting', 'migrated by the command line');\n");
        Path database = dir.resolve("memory.db");

        ChildJvm.Result first = flyway(flyway, database, migrations, "migrate");

        assertThat(first.output()).contains("Successfully applied 2 migrations");
        writeCompressed(database);
        Files.writeString(migrations.resolve("V3__Tag_long_memories.sql"),
                "UPDATE memory SET topic = 'long ' || topic WHERE length(body) > 1000;\n");

        ChildJvm.Result second = flyway(flyway, database, migrations, "migrate");
        ChildJvm.Result info = flyway(flyway, database, migrations, "info");

        assertThat(second.output()).contains("Successfully applied 1 migration");
        assertThat(info.output().lines().filter(line -> line.contains("| Versioned |")))
                .hasSize(3).allMatch(line -> line.contains("| Success "));
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement statement = plain.createStatement();
             ResultSet rows = statement.executeQuery("SELECT topic, typeof(body) FROM memory ORDER BY id")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("greeting");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).as("V3 found the long memory through its compressed column")
                    .isEqualTo("long memory");
            assertThat(rows.getString(2)).as("still stored compressed").isEqualTo("blob");
        }
        try (EnhancedSqliteDataSource driver = dataSource(database);
             Connection connection = driver.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT body FROM memory WHERE topic = 'long memory'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo(LONG_MEMORY);
        }
        assertThat(Path.of(database + "-wal")).as("each command closed the driver's pool as it ended").doesNotExist();
    }

    /**
     * The unpacked distribution with the drop-in jar in {@code drivers/}, and without the sqlite-jdbc jar Flyway
     * ships there, as README says: the drop-in jar carries the sqlite-jdbc it was built with, and of two copies on
     * one class path the JVM takes whichever its directory listing names first.
     */
    private static Path installedWithTheDropInJar() throws IOException {
        Path home = Path.of(requiredProperty("enhancedsqlite.flywayCommandLine"));
        Path script = home.resolve("flyway");
        if (!Files.isRegularFile(script)) {
            fail("Flyway's command line is not at " + home + ": the Maven build of tests/ unpacks it (generate-test-resources).");
        }
        Path allJar = Path.of(requiredProperty("enhancedsqlite.allJar"));
        assertThat(allJar).as("the drop-in jar (built by drop-in/ in this reactor run)").isRegularFile();
        Path drivers = home.resolve("drivers");
        try (DirectoryStream<Path> bundled = Files.newDirectoryStream(drivers, "sqlite-jdbc-*.jar")) {
            for (Path jar : bundled) {
                Files.delete(jar);
            }
        }
        Files.copy(allJar, drivers.resolve(allJar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        return script;
    }

    private ChildJvm.Result flyway(Path script, Path database, Path migrations, String command)
            throws IOException, InterruptedException {
        // the script as a user runs it (it is a bash script, executable as unpacked)
        List<String> line = List.of(script.toString(), "-url=jdbc:enhanced-sqlite:" + database,
                "-locations=filesystem:" + migrations, command);
        // the JDK running this test, not whichever java the PATH finds
        ChildJvm.Result run = ChildJvm.exec(line, Map.of("JAVA_HOME", System.getProperty("java.home")), dir,
                GIVE_UP_MINUTES);
        assertThat(run.exitCode()).as(run.output()).isZero();
        return run;
    }

    /** A long memory written through the driver, as the application would: a bound value, stored compressed. */
    private static void writeCompressed(Path database) throws SQLException {
        try (EnhancedSqliteDataSource driver = dataSource(database);
             Connection connection = driver.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO memory (topic, body) VALUES ('memory', ?)")) {
            insert.setString(1, LONG_MEMORY);
            insert.executeUpdate();
        }
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement statement = plain.createStatement();
             ResultSet stored = statement.executeQuery("SELECT typeof(body) FROM memory WHERE topic = 'memory'")) {
            assertThat(stored.next()).isTrue();
            assertThat(stored.getString(1)).as("the long memory is stored compressed").isEqualTo("blob");
        }
    }

    private static EnhancedSqliteDataSource dataSource(Path database) {
        EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource();
        dataSource.setUrl("jdbc:enhanced-sqlite:" + database);
        return dataSource;
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            fail(name + " is set by the Maven build of tests/ (run it with mvn verify)");
        }
        return value;
    }
}
