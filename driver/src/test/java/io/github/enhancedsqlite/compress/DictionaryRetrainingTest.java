package io.github.enhancedsqlite.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, the upsert target: a column whose rows are rewritten in place with values of the same character asks
 * for a dictionary again and again (as many values again as its last training read, then twice as many…), and each
 * ask used to train a candidate from up to 4 MiB of values — a background thread busy most of the time under a
 * steady upsert load, for candidates that were never adopted. Now the trainer first judges the current dictionary on
 * the recent values and trains only when they drifted from it or there are more of them to train from. Driven here
 * as the pool drives it (encode on bind, {@code writesCommitted} after each auto-commit write, the training run when
 * asked), but synchronously, on a real SQLite file.
 */
class DictionaryRetrainingTest {

    private static final ColumnRef COLUMN = new ColumnRef("memory_entries", "value");
    private static final int KEYS = 300;

    @TempDir
    Path dir;

    private Connection sqlite;
    private DatabaseMetrics metrics;
    private Compression compression;
    private Codec codec;
    private PreparedStatement upsert;
    private boolean asked;
    private int asks;

    @BeforeEach
    void open() throws SQLException {
        sqlite = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("retrain.db"));
        try (Statement statement = sqlite.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
            statement.execute("CREATE TABLE memory_entries (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
                    + " value TEXT NOT NULL)");
        }
        metrics = new DatabaseMetrics("retrain.db");
        compression = new Compression(Compression.Mode.AUTO, Set.of(), 256, 64, Levels.uniform(3), 64, metrics);
        codec = compression.attach(sqlite);
        compression.onDictionaryWanted(() -> asked = true);
        compression.beforeCompressedWrite(sqlite, Set.of(COLUMN), false);
        upsert = sqlite.prepareStatement("INSERT INTO memory_entries (key, value) VALUES (?, ?)"
                + " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    }

    @AfterEach
    void close() throws SQLException {
        upsert.close();
        codec.close();
        sqlite.close();
        compression.close();
    }

    @Test
    void rowsRewrittenInPlaceWithAlikeValuesTrainNoNewCandidate() throws Exception {
        SplittableRandom random = new SplittableRandom(13);
        for (int pass = 0; pass < 2; pass++) { // the table reaches its size; its dictionary is judged on all of it
            writeAll(random, DictionaryRetrainingTest::record);
        }
        int dictionary = currentDictionary();
        assertThat(dictionary).as("a dictionary trained and adopted").isNotZero();
        long trainings = metrics.getDictionaryTrainings();
        int asksBefore = asks;

        for (int pass = 0; pass < 60 && asks < asksBefore + 2; pass++) {
            writeAll(random, DictionaryRetrainingTest::record);
        }

        assertThat(asks - asksBefore).as("the column still asked for a dictionary").isGreaterThanOrEqualTo(2);
        assertThat(metrics.getDictionaryTrainings()).as("candidates trained for values alike the current dictionary's")
                .isEqualTo(trainings);
        assertThat(currentDictionary()).isEqualTo(dictionary);
    }

    @Test
    void valuesThatChangeCharacterStillGetANewDictionary() throws Exception {
        SplittableRandom random = new SplittableRandom(17);
        for (int pass = 0; pass < 2; pass++) {
            writeAll(random, DictionaryRetrainingTest::record);
        }
        int dictionary = currentDictionary();
        long trainings = metrics.getDictionaryTrainings();

        for (int pass = 0; pass < 20 && currentDictionary() == dictionary; pass++) {
            writeAll(random, DictionaryRetrainingTest::logLine);
        }

        assertThat(metrics.getDictionaryTrainings()).as("trained again").isGreaterThan(trainings);
        assertThat(currentDictionary()).as("a new dictionary for the new values").isGreaterThan(dictionary);
    }

    @Test
    void aTableThatGrowsIsTrainedAgainFromItsLargerSample() throws Exception {
        SplittableRandom random = new SplittableRandom(19);
        for (int pass = 0; pass < 2; pass++) {
            writeAll(random, DictionaryRetrainingTest::record);
        }
        long trainings = metrics.getDictionaryTrainings();

        // each judgment that kept the dictionary doubled the values until the column asks again: grow until it does
        for (int key = KEYS; key < 10 * KEYS && metrics.getDictionaryTrainings() == trainings; key++) {
            write("k" + key, record(random, key));
        }

        assertThat(metrics.getDictionaryTrainings()).as("trained from the grown table").isGreaterThan(trainings);
    }

    /**
     * A column loaded row by row is trained at 64, 128, 256, 512… values; from 256 on, a candidate is judged on the
     * 256 most recent values only. Judged so, the larger dictionary trained from 512 values saved less than its own
     * bytes on them and was refused, although the repack moves all 512 onto it and it saves more than that over
     * them: the column kept the dictionary of its first 256 values (as an import in one transaction does not).
     */
    @Test
    void aColumnLoadedRowByRowAdoptsTheLargerDictionaryThatPaysOverAllItsValues() throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        String[] lines = new String[600];
        for (int i = 0; i < lines.length; i++) {
            StringBuilder line = new StringBuilder("{\"step\":" + i + ",\"tool\":\"");
            for (int word = 0; word < 14; word++) {
                for (int letter = 0; letter < 3; letter++) {
                    line.append((char) ('a' + random.nextInt(26)));
                }
                line.append(' ');
            }
            lines[i] = line.append("\"}\n").toString();
        }
        int adoptedAt = 0;
        int dictionary = 0;
        for (int key = 0; key < 700; key++) {
            // a session snapshot: 40 of the steps, the common ones far more often
            StringBuilder snapshot = new StringBuilder();
            for (int step = 0; step < 40; step++) {
                snapshot.append(lines[(int) Math.abs(random.nextGaussian() * 150) % lines.length]);
            }
            write("k" + key, snapshot.toString());
            if (currentDictionary() != dictionary) {
                dictionary = currentDictionary();
                adoptedAt = key + 1;
            }
        }

        assertThat(dictionary).as("a dictionary trained and adopted").isNotZero();
        assertThat(adoptedAt).as("values written when the dictionary in use was adopted").isGreaterThan(256);
    }

    /** One auto-commit upsert per key, as the driver writes it: encoded on binding, the commit then reported. */
    private void writeAll(SplittableRandom random, ValueShape shape) throws Exception {
        for (int key = 0; key < KEYS; key++) {
            write("k" + key, shape.value(random, key));
        }
    }

    private void write(String key, String value) throws Exception {
        byte[] stored = compression.encode(codec, COLUMN, value.getBytes(StandardCharsets.UTF_8), false);
        upsert.setString(1, key);
        if (stored == null) {
            upsert.setString(2, value);
        } else {
            upsert.setBytes(2, stored);
        }
        upsert.executeUpdate();
        compression.writesCommitted();
        if (asked) {
            asked = false;
            asks++;
            // sqlite-jdbc began the transaction at setAutoCommit(false); the first write takes its lock
            compression.trainDictionaries(sqlite, sqlite, codec, () -> { });
        }
    }

    /** The dictionary the newest value was stored with. */
    private int currentDictionary() throws SQLException {
        try (Statement statement = sqlite.createStatement();
             ResultSet row = statement.executeQuery("SELECT value FROM memory_entries ORDER BY rowid DESC LIMIT 1")) {
            row.next();
            byte[] stored = row.getBytes(1);
            return Envelope.looksLikeEnvelope(stored) ? Envelope.dictionaryId(stored) : 0;
        }
    }

    @FunctionalInterface
    private interface ValueShape {
        String value(SplittableRandom random, int key);
    }

    private static final String[] WORDS = {"user", "prefers", "dark", "mode", "short", "answers", "project",
        "deadline", "friday", "remember", "api", "key", "rotates", "monthly", "meeting", "notes", "summary", "review"};

    /** An agent-memory record: the same JSON shape every time, different words. */
    private static String record(SplittableRandom random, int key) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        return "{\"namespace\":\"agent-" + key % 5 + "\",\"key\":\"memory/" + key + "\",\"kind\":\"preference\","
                + "\"text\":\"" + text + "\",\"confidence\":0." + random.nextInt(100) + ",\"source\":\"conversation\","
                + "\"tags\":[\"" + WORDS[random.nextInt(WORDS.length)] + "\",\"" + WORDS[random.nextInt(WORDS.length)]
                + "\"],\"updatedBy\":\"memory-tool\"}";
    }

    /** Values of another character altogether: a tool's log lines. */
    private static String logLine(SplittableRandom random, int key) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            line.append("2026-12-06T10:").append(10 + random.nextInt(50)).append(':').append(10 + random.nextInt(50))
                    .append(" WARN  [worker-").append(random.nextInt(16)).append("] retrying upload of chunk ")
                    .append(random.nextInt(100_000)).append(" to bucket s3://backups-").append(key % 7)
                    .append(" after timeout (attempt ").append(1 + random.nextInt(5)).append(")\n");
        }
        return line.toString();
    }
}
