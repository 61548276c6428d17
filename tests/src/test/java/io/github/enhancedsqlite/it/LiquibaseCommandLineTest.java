package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code liquibase update --url=jdbc:enhanced-sqlite:…}, without {@code --driver}, by Liquibase's own command line in
 * a child JVM whose class path is Liquibase (with what it needs) and the drop-in jar: the driver's Liquibase
 * database, inside the jar, is what tells Liquibase the driver class.
 */
class LiquibaseCommandLineTest {

    /** Liquibase and its dependencies, as they sit in the local repository this build took them from. */
    private static final List<String> LIQUIBASE_JARS = List.of("/org/liquibase/", "/org/yaml/", "/com/opencsv/",
            "/javax/xml/bind/", "/org/apache/commons/", "/commons-io/", "/info/picocli/");

    private static final String CHANGELOG = """
            databaseChangeLog:
              - changeSet:
                  id: 1
                  author: test
                  changes:
                    - createTable:
                        tableName: memory
                        columns:
                          - column: {name: id, type: INTEGER, autoIncrement: true, constraints: {primaryKey: true}}
                          - column: {name: body, type: TEXT}
                    - insert:
                        tableName: memory
                        columns:
                          - column: {name: body, value: updated by the command line}
            """;

    @Test
    void liquibaseUpdateByUrlAloneWithTheDropInJar(@TempDir Path dir) throws Exception {
        String allJar = System.getProperty("enhancedsqlite.allJar");
        if (allJar == null || !Files.isRegularFile(Path.of(allJar))) {
            fail("The drop-in jar " + allJar + " does not exist: build it with `mvn verify` (package phase of drop-in/).");
        }
        String liquibase = Stream.of(ChildJvm.testClassPath().split(File.pathSeparator))
                .filter(entry -> LIQUIBASE_JARS.stream().anyMatch(entry.replace(File.separatorChar, '/')::contains))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(liquibase).as("liquibase-core on the test class path").contains("liquibase-core");
        Files.writeString(dir.resolve("changelog.yaml"), CHANGELOG);
        Path database = dir.resolve("memory.db");

        ChildJvm.Result update = ChildJvm.run(liquibase + File.pathSeparator + Path.of(allJar).toAbsolutePath(),
                "liquibase.integration.commandline.LiquibaseCommandLine", "--show-banner=false",
                "--search-path=" + dir, "update", "--url=jdbc:enhanced-sqlite:" + database,
                "--changelog-file=changelog.yaml");

        assertThat(update.exitCode()).as(update.output()).isZero();
        assertThat(update.output()).contains("Update has been successful");
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement statement = plain.createStatement();
             ResultSet rows = statement.executeQuery("SELECT body FROM memory")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("updated by the command line");
        }
    }
}
