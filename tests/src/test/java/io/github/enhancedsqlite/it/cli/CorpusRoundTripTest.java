package io.github.enhancedsqlite.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * On every real agent-memory database: migrate compresses values, verify finds nothing wrong, export gives back
 * exactly the original rows in a plain file, and rollback restores exactly the original database.
 */
class CorpusRoundTripTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @TestFactory
    Stream<DynamicTest> migrateThenExportAndRollbackGiveBackTheOriginalRows() throws IOException {
        List<Path> databases = Toolkit.corpus();
        assertThat(databases).isNotEmpty();
        return databases.stream().map(source -> DynamicTest.dynamicTest(source.getFileName().toString(),
                () -> roundTrip(source, Files.createTempDirectory(dir, "copy"))));
    }

    private static void roundTrip(Path source, Path directory) throws Exception {
        Path db = Toolkit.copy(source, directory);
        List<String> original = Toolkit.dump(db);
        assertThat(original).isNotEmpty();

        Toolkit.Run migrate = Toolkit.run("migrate", db);
        assertThat(migrate.exitCode()).as(migrate.all()).isZero();
        assertThat(Toolkit.number(db, "SELECT count(*) FROM _enhanced_sqlite_columns")).isPositive();
        String column = valueColumn(db);
        assertThat(Toolkit.number(db, "SELECT count(*) FROM memory_entries WHERE typeof(" + column + ") = 'blob'"
                + " AND substr(" + column + ", 1, 4) = x'EC45535A'")).as("compressed values in memory_entries").isPositive();
        assertThat(Toolkit.dump(db)).as("the stored rows changed: values are compressed").isNotEqualTo(original);
        assertThat(Toolkit.run("verify", db).exitCode()).isZero();

        Path exported = directory.resolve("exported.db");
        Toolkit.Run export = Toolkit.run("export", db, exported);
        assertThat(export.exitCode()).as(export.all()).isZero();
        assertThat(Toolkit.dump(exported)).isEqualTo(original);
        assertThat(Toolkit.number(exported, "SELECT count(*) FROM sqlite_schema WHERE name LIKE '\\_enhanced%' ESCAPE '\\'"))
                .isZero();

        Toolkit.Run rollback = Toolkit.run("rollback", db);
        assertThat(rollback.exitCode()).as(rollback.all()).isZero();
        assertThat(Toolkit.dump(db)).isEqualTo(original);
        assertThat(Toolkit.number(db, "SELECT count(*) FROM sqlite_schema WHERE name LIKE '\\_enhanced%' ESCAPE '\\'"))
                .isZero();
        assertThat(directory.resolve(db.getFileName() + "-wal")).doesNotExist();
        assertThat(directory.resolve(db.getFileName() + "-shm")).doesNotExist();
    }

    private static String valueColumn(Path db) throws Exception {
        return Toolkit.number(db, "SELECT count(*) FROM pragma_table_info('memory_entries') WHERE name = 'value'") > 0
                ? "value" : "content";
    }
}
