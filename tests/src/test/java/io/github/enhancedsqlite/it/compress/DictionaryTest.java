package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.it.metrics.Figures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-column zstd dictionaries: trained in the background once a column has enough committed values, stored in
 * {@code _enhanced_sqlite_dictionaries}, used by later values and by the earlier ones, moved onto it (the envelope
 * names the dictionary), and found again by a new pool that knows nothing but the file. Closing the pool finishes
 * training asked for before, so the tests read the file once the pools are shut down.
 */
class DictionaryTest {

    static final String SETTINGS = "compressThreshold=32&compressDictionarySamples=20";

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    private Path databaseWithValues(int count) throws SQLException {
        return databaseWithValues("memory.db", SETTINGS, count);
    }

    private Path databaseWithValues(String name, String settings, int count) throws SQLException {
        return databaseWithValues(name, settings, count, false);
    }

    /**
     * @param awaitDictionary wait, after the 20 samples that ask for the dictionary, until they are moved onto it:
     *                        a value bound while it is being adopted, committed after the move passed its row, keeps
     *                        the form it was bound in until the next dictionary (DESIGN's limits)
     */
    private Path databaseWithValues(String name, String settings, int count, boolean awaitDictionary)
            throws SQLException {
        Path file = dir.resolve(name);
        try (Connection connection = CompressDb.open(file, settings)) {
            CompressDb.execute(connection, CompressDb.MEMORY_SCHEMA);
            for (int i = 0; i < count; i++) {
                insert(connection, i);
                if (awaitDictionary && i == 19) {
                    Figures.await("the first 20 values were moved onto the new dictionary",
                            () -> onFirstDictionary(file) == 20);
                }
            }
        }
        EnhancedSqlite.shutdown(); // finishes the training the writes asked for
        return file;
    }

    private static void insert(Connection connection, int i) throws SQLException {
        CompressDb.update(connection, "INSERT INTO memory_entries (key, value, namespace) VALUES (?, ?, 'default')",
                "k" + i, CompressDb.hookRecord(i));
    }

    private static long onFirstDictionary(Path file) {
        try {
            return dictionaryIds(file).values().stream().filter(id -> id == 1).count();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The dictionary id in each stored envelope (bytes 7–10), by row id; -1 for a value stored as it is. */
    private static Map<Integer, Integer> dictionaryIds(Path file) throws SQLException {
        Map<Integer, Integer> ids = new LinkedHashMap<>();
        try (Connection plain = CompressDb.plain(file); Statement statement = plain.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, typeof(value), value FROM memory_entries ORDER BY id")) {
            while (rows.next()) {
                if (!rows.getString(2).equals("blob")) {
                    ids.put(rows.getInt(1), -1);
                    continue;
                }
                byte[] stored = rows.getBytes(3);
                ids.put(rows.getInt(1), ((stored[6] & 0xFF) << 24) | ((stored[7] & 0xFF) << 16)
                        | ((stored[8] & 0xFF) << 8) | (stored[9] & 0xFF));
            }
        }
        return ids;
    }

    private static List<String> dictionaries(Path file) throws SQLException {
        try (Connection plain = CompressDb.plain(file)) {
            return CompressDb.rows(plain, "SELECT id, table_name, column_name, length(dictionary) > 0"
                    + " FROM _enhanced_sqlite_dictionaries ORDER BY id");
        }
    }

    private static void assertEveryValueReadsBack(Connection connection, int count) throws SQLException {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add("text:k" + i + " | text:" + CompressDb.hookRecord(i));
        }
        assertThat(CompressDb.rows(connection, "SELECT key, value FROM memory_entries ORDER BY id"))
                .containsExactlyElementsOf(expected);
        // and where the value is read inside SQL, through esq_decompress
        assertThat(CompressDb.queryLong(connection, "SELECT count(*) FROM memory_entries WHERE value LIKE"
                + " '%\"hookType\":\"pre-bash\"%' AND json_extract(value, '$.n') = CAST(substr(key, 2) AS INTEGER)"))
                .isEqualTo(count);
    }

    @Test
    void aDictionaryIsTrainedAfterEnoughSamplesAndEveryValueUsesIt() throws Exception {
        Path file = databaseWithValues("memory.db", SETTINGS, 60, true);
        assertThat(dictionaries(file)).containsExactly("integer:1 | text:memory_entries | text:value | integer:1");
        Map<Integer, Integer> ids = dictionaryIds(file);
        assertThat(ids.values()).as("every value compressed with the dictionary, those written before it moved onto"
                + " it").containsOnly(1);
        Path without = databaseWithValues("without.db", SETTINGS.replace("Samples=20", "Samples=0"), 60);
        try (Connection plain = CompressDb.plain(file); Connection other = CompressDb.plain(without)) {
            String sum = "SELECT sum(length(value)) FROM memory_entries";
            assertThat(CompressDb.queryLong(plain, sum)).as("stored bytes with the dictionary vs without")
                    .isLessThan(CompressDb.queryLong(other, sum));
        }
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            assertEveryValueReadsBack(connection, 60);
        }
    }

    @Test
    void aNewPoolReadsEverythingAndContinuesWithTheStoredDictionary() throws Exception {
        Path file = databaseWithValues(40);
        EnhancedSqlite.shutdown();
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            assertEveryValueReadsBack(connection, 40);
            for (int i = 40; i < 60; i++) {
                insert(connection, i);
            }
            assertEveryValueReadsBack(connection, 60);
        }
        assertThat(dictionaries(file)).as("no second dictionary for the same column").hasSize(1);
        assertThat(dictionaryIds(file).get(60)).isEqualTo(1);
        EnhancedSqlite.shutdown();
        try (Connection connection = CompressDb.open(file, "compress=off")) {
            assertEveryValueReadsBack(connection, 60);
        }
    }

    /**
     * sqlite-jdbc's {@code restore from FILE}, run through the driver, replaces the database's content under its pool,
     * the dictionaries included: the restored file's dictionary 1 is not the one the pool held as 1. The pool read the
     * restored values with its own (failing them as damaged) and wrote new ones with it, which no later pool could
     * read.
     */
    @Test
    void aBackupRestoredThroughTheDriverIsReadAndWrittenWithItsOwnDictionaries() throws Exception {
        Path file = databaseWithValues("memory.db", SETTINGS, 40, true);
        Path backup = dir.resolve("backup.db");
        try (Connection connection = CompressDb.open(backup, SETTINGS)) {
            CompressDb.execute(connection, CompressDb.MEMORY_SCHEMA);
            for (int i = 0; i < 40; i++) {
                CompressDb.update(connection, "INSERT INTO memory_entries (key, value, namespace) VALUES (?, ?, 'b')",
                        "k" + i, otherRecord(i));
            }
        }
        EnhancedSqlite.shutdown();
        try (Connection plain = CompressDb.plain(file); Connection other = CompressDb.plain(backup)) {
            String dictionary = "SELECT hex(dictionary) FROM _enhanced_sqlite_dictionaries WHERE id = 1";
            assertThat(CompressDb.queryString(plain, dictionary)).as("two dictionaries, both id 1")
                    .isNotEqualTo(CompressDb.queryString(other, dictionary));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 41; i++) {
            expected.add("text:k" + i + " | text:" + otherRecord(i));
        }
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            assertEveryValueReadsBack(connection, 40); // the pool holds the file's dictionary now
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("restore from " + backup);
            }
            assertThat(CompressDb.rows(connection, "SELECT key, value FROM memory_entries ORDER BY id"))
                    .containsExactlyElementsOf(expected.subList(0, 40));
            CompressDb.update(connection, "INSERT INTO memory_entries (key, value, namespace) VALUES (?, ?, 'b')",
                    "k40", otherRecord(40));
        }
        assertThat(dictionaryIds(file).get(41)).as("the new value compressed with the restored dictionary 1")
                .isEqualTo(1);
        EnhancedSqlite.shutdown();
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            assertThat(CompressDb.rows(connection, "SELECT key, value FROM memory_entries ORDER BY id"))
                    .containsExactlyElementsOf(expected);
        }
    }

    private static String otherRecord(int n) {
        return "{\"kind\":\"note\",\"author\":\"reviewer-" + (n % 3) + "\",\"text\":\""
                + "a different kind of record, with words the first file never used; ".repeat(3) + n + "\"}";
    }

    @Test
    void aRolledBackTransactionDoesNotTakeADictionaryAway() throws Exception {
        Path file = databaseWithValues(25);
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            connection.setAutoCommit(false);
            for (int i = 100; i < 130; i++) {
                insert(connection, i);
            }
            connection.rollback();
            connection.setAutoCommit(true);
            for (int i = 25; i < 50; i++) {
                insert(connection, i);
            }
        }
        EnhancedSqlite.shutdown();
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            assertEveryValueReadsBack(connection, 50);
        }
        assertThat(dictionaryIds(file).values()).contains(1);
    }

    // ---------------------------------------------------------------- regressions of bugs found and fixed

    /**
     * Small, similar values that do not shrink on their own (the common agent-memory case) must still teach the
     * column a dictionary, which then makes later ones shrink (training once ran only when some value had been
     * compressed).
     */
    @Test
    void smallSimilarValuesThatOnlyADictionaryShrinksGetOne() throws Exception {
        Path file = dir.resolve("similar.db");
        Random random = new Random(5);
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            CompressDb.execute(connection, CompressDb.MEMORY_SCHEMA);
            for (int i = 0; i < 80; i++) {
                CompressDb.update(connection, "INSERT INTO memory_entries (key, value) VALUES (?, ?)", "k" + i,
                        "{\"hookType\":\"pre-bash\",\"command\":\"npm test -- --file=" + random.nextInt(1_000_000)
                                + "\",\"safety\":\"safe\",\"exitCode\":" + random.nextInt(3) + "}");
            }
        }
        EnhancedSqlite.shutdown();
        try (Connection plain = CompressDb.plain(file)) {
            assertThat(CompressDb.queryLong(plain, "SELECT count(*) FROM sqlite_schema"
                    + " WHERE name = '_enhanced_sqlite_dictionaries'")).as("a dictionary table exists").isEqualTo(1);
            assertThat(CompressDb.queryLong(plain, "SELECT count(*) FROM memory_entries WHERE id > 40"
                    + " AND typeof(value) = 'blob'")).as("later values compressed with the dictionary").isPositive();
        }
    }
}
