package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent-memory databases (read-only inputs, copied first): the driver reads exactly what plain
 * sqlite-jdbc reads from an identical copy, and leaves the file a clean, intact SQLite database.
 */
class AgentMemoryCorpusTest {

    private static final String[] SEARCHES = {"%task%", "%TASK%", "%\"status\"%", "%error%", "%session%", "%ü%"};

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    /** One test per corpus database; one skipped test where the corpus is not present (it is not in the repository). */
    @TestFactory
    Stream<DynamicTest> eachCorpusDatabaseReadsTheSameThroughTheDriver() throws IOException {
        String property = System.getProperty("enhancedsqlite.corpus");
        Path corpus = property == null ? null : Path.of(property);
        if (corpus == null || !Files.isDirectory(corpus)) {
            return Stream.of(DynamicTest.dynamicTest("corpus not present", () ->
                    Assumptions.abort("the agent-memory corpus is not part of the repository; enhancedsqlite.corpus=" + property)));
        }
        List<Path> databases;
        try (Stream<Path> files = Files.list(corpus)) {
            databases = files.filter(file -> file.getFileName().toString().endsWith(".db")).sorted().toList();
        }
        assertThat(databases).as("databases in " + corpus).isNotEmpty();
        return databases.stream().map(source -> DynamicTest.dynamicTest(source.getFileName().toString(), () -> {
            try {
                theDriverReadsWhatSqliteJdbcReads(source, Files.createTempDirectory(dir, "copy"));
            } finally {
                EnhancedSqlite.shutdown();
            }
        }));
    }

    /** Copies the database and whichever -wal/-shm it came with, as a user's directory would hold them. */
    private static Path copy(Path source, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path target = directory.resolve(source.getFileName());
        Files.copy(source, target);
        for (String suffix : new String[] {"-wal", "-shm"}) {
            Path sidecar = source.resolveSibling(source.getFileName() + suffix);
            if (Files.exists(sidecar)) {
                Files.copy(sidecar, directory.resolve(sidecar.getFileName()));
            }
        }
        return target;
    }

    private static String textColumn(Connection connection) throws SQLException {
        List<String> columns = Db.queryStrings(connection, "SELECT name FROM pragma_table_info('memory_entries')");
        return columns.contains("value") ? "value" : "content";
    }

    private static List<String> search(Connection connection, String column, String pattern) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT id, namespace, key, " + column
                + " FROM memory_entries WHERE " + column + " LIKE ? OR key LIKE ? ORDER BY namespace, key")) {
            statement.setString(1, pattern);
            statement.setString(2, pattern);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getString(1) + "|" + result.getString(2) + "|" + result.getString(3) + "|"
                            + result.getString(4));
                }
            }
        }
        return rows;
    }

    private static void theDriverReadsWhatSqliteJdbcReads(Path source, Path work) throws Exception {
        Path ours = copy(source, work.resolve("ours"));
        Path reference = copy(source, work.resolve("reference"));

        long expectedRows;
        String column;
        List<List<String>> expectedSearches = new ArrayList<>();
        try (Connection plain = Db.plain(reference)) {
            column = textColumn(plain);
            expectedRows = Db.queryLong(plain, "SELECT count(*) FROM memory_entries");
            for (String pattern : SEARCHES) {
                expectedSearches.add(search(plain, column, pattern));
            }
        }
        assertThat(expectedRows).isPositive();
        assertThat(expectedSearches.get(0)).as("the %task% search finds something to compare").isNotEmpty();

        try (Connection connection = Db.open(ours)) {
            assertThat(Db.pragma(connection, "journal_mode")).isEqualTo("wal");
            assertThat(textColumn(connection)).isEqualTo(column);
            assertThat(Db.queryLong(connection, "SELECT count(*) FROM memory_entries")).isEqualTo(expectedRows);
            for (int i = 0; i < SEARCHES.length; i++) {
                assertThat(search(connection, column, SEARCHES[i])).as(SEARCHES[i]).isEqualTo(expectedSearches.get(i));
            }
        }
        EnhancedSqlite.shutdown();

        assertThat(Db.sidecars(ours)).isEmpty();
        try (Connection plain = Db.plain(ours)) {
            assertThat(Db.pragma(plain, "integrity_check")).isEqualTo("ok");
            assertThat(Db.queryLong(plain, "SELECT count(*) FROM memory_entries")).isEqualTo(expectedRows);
            assertThat(search(plain, column, SEARCHES[0])).isEqualTo(expectedSearches.get(0));
        }
    }
}
