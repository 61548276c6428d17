package io.github.enhancedsqlite.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration killed (SIGKILL, no shutdown hook) while it compresses leaves a database that is intact, and running
 * migrate again finishes it; export and rollback then both give back exactly the original rows. Wherever the kill
 * lands — mid-chunk, between chunks, or even after the last one — these hold.
 */
class MigrateKilledTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void aKilledMigrationResumesAndStillRoundTrips() throws Exception {
        String jar = System.getProperty("enhancedsqlite.allJar");
        Assumptions.assumeTrue(jar != null && Files.isRegularFile(Path.of(jar)), "the -all jar is built by mvn verify");
        Path db = dir.resolve("memory.db");
        try (Connection connection = Toolkit.plain(db); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE memory_entries(id INTEGER PRIMARY KEY, value TEXT)");
            statement.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                    + " INSERT INTO memory_entries(value) SELECT printf('{\"n\": %d, \"pad\": \"%s\"}', i,"
                    + " printf('%.500c', 'p')) FROM n");
        }
        List<String> original = Toolkit.dump(db);

        Process migrate = new ProcessBuilder(Toolkit.javaBinary(), "-jar", jar, "migrate", db.toString(),
                "--chunk-rows", "1").redirectErrorStream(true).start();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(migrate.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null && !line.startsWith("[3/5]"); line = output.readLine()) {
                // read up to the compression phase
            }
            migrate.destroyForcibly();
            assertThat(migrate.waitFor(2, TimeUnit.MINUTES)).isTrue();
        }

        try (Connection connection = Toolkit.plain(db)) {
            assertThat(Toolkit.strings(connection, "PRAGMA integrity_check")).containsExactly("ok");
        }
        Toolkit.Run resumed = Toolkit.run("migrate", db);
        assertThat(resumed.exitCode()).as(resumed.all()).isZero();
        assertThat(resumed.out()).contains("resuming");
        assertThat(Toolkit.number(db, "SELECT count(*) FROM memory_entries WHERE typeof(value) = 'text'")).isZero();

        Path exported = dir.resolve("plain.db");
        assertThat(Toolkit.run("export", db, exported).exitCode()).isZero();
        assertThat(Toolkit.dump(exported)).isEqualTo(original);
        assertThat(Toolkit.run("rollback", db).exitCode()).isZero();
        assertThat(Toolkit.dump(db)).isEqualTo(original);
    }
}
