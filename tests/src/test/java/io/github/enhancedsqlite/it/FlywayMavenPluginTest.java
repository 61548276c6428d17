package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flyway's Maven plugin, run by a real {@code mvn} on a project whose only JDBC driver is the drop-in jar, given the
 * URL and nothing else: the driver's Flyway plugin, inside the jar, is what lets Flyway handle the prefix.
 */
class FlywayMavenPluginTest {

    /** A hung build must not hang this one; this bounds the wait, it asserts nothing about speed. */
    private static final long GIVE_UP_MINUTES = 5;

    private static final String POM = """
            <project xmlns="http://maven.apache.org/POM/4.0.0">
              <modelVersion>4.0.0</modelVersion>
              <groupId>example</groupId>
              <artifactId>flyway-by-url</artifactId>
              <version>1</version>
              <packaging>pom</packaging>
              <dependencies>
                <dependency>
                  <groupId>io.github.enhancedsqlite</groupId>
                  <artifactId>enhanced-sqlite-jdbc-all</artifactId>
                  <version>drop-in</version>
                  <scope>system</scope>
                  <systemPath>%s</systemPath>
                </dependency>
              </dependencies>
              <build>
                <plugins>
                  <plugin>
                    <groupId>org.flywaydb</groupId>
                    <artifactId>flyway-maven-plugin</artifactId>
                    <version>%s</version>
                    <configuration>
                      <url>jdbc:enhanced-sqlite:%s</url>
                      <locations>
                        <location>filesystem:%s</location>
                      </locations>
                    </configuration>
                  </plugin>
                </plugins>
              </build>
            </project>
            """;

    @TempDir
    Path project;

    @Test
    void flywaysMavenPluginMigratesByUrlWithTheDropInJar() throws Exception {
        Path allJar = Path.of(requiredProperty("enhancedsqlite.allJar"));
        assertThat(allJar).as("the drop-in jar (built by drop-in/ in this reactor run)").isRegularFile();
        Path migrations = Files.createDirectories(project.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__Create_memory.sql"),
                "CREATE TABLE memory (id INTEGER PRIMARY KEY, topic TEXT NOT NULL, body TEXT);\n");
        Files.writeString(migrations.resolve("V2__First_memory.sql"),
                "INSERT INTO memory (topic, body) VALUES ('greeting', 'migrated by the Maven plugin');\n");
        Path database = project.resolve("memory.db");
        Files.writeString(project.resolve("pom.xml"), POM.formatted(allJar.toAbsolutePath(),
                requiredProperty("enhancedsqlite.flywayVersion"), database, migrations));

        String output = mvn("org.flywaydb:flyway-maven-plugin:" + requiredProperty("enhancedsqlite.flywayVersion")
                + ":migrate");

        assertThat(output).contains("BUILD SUCCESS").contains("Successfully applied 2 migrations");
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement statement = plain.createStatement();
             ResultSet rows = statement.executeQuery("SELECT body FROM memory")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("migrated by the Maven plugin");
        }
        assertThat(Path.of(database + "-wal")).as("the driver closed its pool when the build ended").doesNotExist();
    }

    private String mvn(String goal) throws IOException, InterruptedException {
        // The settings and local repository of the build running this test: no other network access than it has.
        List<String> command = List.of(findOnPath("mvn"), "-B", "-ntp", "-f", project.resolve("pom.xml").toString(), goal);
        ChildJvm.Result build = ChildJvm.exec(command, project, GIVE_UP_MINUTES);
        assertThat(build.exitCode()).as(build.output()).isZero();
        return build.output();
    }

    private static String findOnPath(String name) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail("This test runs Flyway's Maven plugin through `" + name + "`, which is not on the PATH.");
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            fail(name + " is set by the Maven build of tests/ (run it with mvn verify)");
        }
        return value;
    }
}
