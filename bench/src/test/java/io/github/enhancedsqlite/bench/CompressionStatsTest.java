package io.github.enhancedsqlite.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The size accounting and statistics behind the compression scenarios, on real SQLite files where bytes are
 * counted; nothing is timed.
 */
class CompressionStatsTest {

    @TempDir
    Path directory;

    @Test
    void bytesUseBinaryUnitsWithThreeSignificantDigits() {
        assertEquals("0 B", Stats.formatBytes(0));
        assertEquals("1023 B", Stats.formatBytes(1023));
        assertEquals("1.00 KiB", Stats.formatBytes(1024));
        assertEquals("44.9 KiB", Stats.formatBytes(45_986));
        assertEquals("1020 KiB", Stats.formatBytes(1_048_000));
        assertEquals("1.00 MiB", Stats.formatBytes(1_048_576));
        assertEquals("4.45 MiB", Stats.formatBytes(4_666_000));
    }

    @Test
    void storedBytesCountUtf8BytesOfTextAndRecogniseEnvelopesAndDictionaries() throws Exception {
        Path database = directory.resolve("plain.db");
        byte[] envelopeLike = {(byte) 0xEC, 'E', 'S', 'Z', 1, 0, 0, 0, 0, 0, 42};
        try (Connection connection = DriverManager.getConnection(Workspace.rawUrl(database));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, value TEXT)");
            statement.execute("CREATE TABLE " + ValueStorage.DICTIONARY_TABLE + " (id INTEGER PRIMARY KEY,"
                    + " table_name TEXT, column_name TEXT, created_at INTEGER, dictionary BLOB)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t (value) VALUES (?)")) {
                insert.setString(1, "café"); // 4 characters, 5 bytes in UTF-8
                insert.executeUpdate();
                insert.setBytes(1, envelopeLike);
                insert.executeUpdate();
                insert.setBytes(1, new byte[] {1, 2, 3}); // a BLOB, but no envelope
                insert.executeUpdate();
                insert.setString(1, null);
                insert.executeUpdate();
            }
            try (PreparedStatement dictionary = connection.prepareStatement("INSERT INTO "
                    + ValueStorage.DICTIONARY_TABLE + " (table_name, column_name, created_at, dictionary)"
                    + " VALUES (?, ?, 0, ?)")) {
                dictionary.setString(1, "t");
                dictionary.setString(2, "value");
                dictionary.setBytes(3, new byte[100]);
                dictionary.executeUpdate();
                dictionary.setString(1, "t");
                dictionary.setString(2, "other"); // another column's dictionary is not this column's cost
                dictionary.setBytes(3, new byte[7]);
                dictionary.executeUpdate();
            }
        }
        ValueStorage storage = ValueStorage.measure(database, "t", "value");
        assertEquals(4, storage.rows());
        assertEquals(5 + envelopeLike.length + 3, storage.valueBytes());
        assertEquals(1, storage.envelopes());
        assertEquals(100, storage.dictionaryBytes());
        assertEquals(storage.valueBytes() + 100, storage.valueBytesWithDictionaries());
        assertEquals(Files.size(database), storage.fileBytes());
        assertFalse(Files.exists(directory.resolve("plain.db-wal")), "the WAL is folded into the file it measures");
    }

    @Test
    void valuesWrittenThroughCompressAutoAreCountedAsStoredNotAsDecoded() throws Exception {
        Path database = directory.resolve("auto.db");
        String value = AgentMemory.snapshot(1, 4_000, 0);
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(
                Workspace.ENHANCED_PREFIX + database + "?compress=auto&maximumPoolSize=1");
                Connection connection = dataSource.getConnection()) {
            AgentMemory.create(connection);
            AgentMemory.write(connection, List.of(new AgentMemory.Entry("k", "ns", value),
                    new AgentMemory.Entry("small", "ns", "{}")));
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT value FROM memory_entries WHERE key = 'k'")) {
                rs.next();
                assertEquals(value, rs.getString(1), "the driver reads the value back unchanged");
            }
        }
        ValueStorage storage = ValueStorage.measure(database, AgentMemory.TABLE, AgentMemory.VALUE_COLUMN);
        assertEquals(2, storage.rows());
        assertEquals(1, storage.envelopes(), "the 4 KB value is stored compressed, the 2-byte one as it is");
        assertTrue(storage.valueBytes() < value.length() / 2,
                "stored " + storage.valueBytes() + " bytes for " + value.length() + " bytes written");
    }

    @Test
    void totalRatioIsTheRatioOfSummedBytesNotTheMeanOfRatios() {
        SizeComparison sizes = new SizeComparison();
        sizes.add(new SizeComparison.Entry("big", 1_000_000, storage(10, 1_000_000, 0, 0, 1_200_000),
                storage(10, 100_000, 8, 20_000, 300_000)));
        sizes.add(new SizeComparison.Entry("tiny", 1_000, storage(5, 1_000, 0, 0, 8_192),
                storage(5, 1_000, 0, 0, 8_192)));
        SizeComparison.Entry total = sizes.total();
        assertEquals(15, total.off().rows());
        assertEquals(1_001_000, total.writtenBytes());
        assertEquals(8, total.auto().envelopes());
        assertEquals(1_001_000 / 121_000.0, total.valueRatio(), 1e-12); // the mean of 8.33x and 1x would say 4.67x
        assertEquals(1_208_192 / 308_192.0, total.fileRatio(), 1e-12);
        assertEquals(1_000_000 / 120_000.0, sizes.entries().get(0).valueRatio(), 1e-12);
    }

    @Test
    void sizeRowsFillEveryHeadingAndEndWithTheTotal() {
        SizeComparison sizes = new SizeComparison();
        sizes.add(new SizeComparison.Entry("a", 2_048, storage(2, 2_048, 0, 0, 8_192), storage(2, 512, 1, 0, 4_096)));
        sizes.add(new SizeComparison.Entry("b", 1_024, storage(1, 1_024, 0, 0, 4_096), storage(1, 1_024, 0, 0, 4_096)));
        List<ScenarioResult.Row> rows = sizes.rows();
        assertEquals(3, rows.size());
        rows.forEach(row -> assertEquals(SizeComparison.HEADINGS.size(), row.cells().size()));
        assertEquals("**total**", rows.get(2).metric());
        assertEquals(List.of("3", "3.00 KiB", "3.00 KiB", "1.50 KiB (1 of 3 compressed)", "**2.00x**", "12.0 KiB",
                "8.00 KiB", "**1.50x**"), rows.get(2).cells());
        assertTrue(sizes.offSideMismatches().isEmpty());
    }

    @Test
    void anOffSideThatDidNotStoreWhatWasWrittenIsFlagged() {
        SizeComparison sizes = new SizeComparison();
        sizes.add(new SizeComparison.Entry("x", 2_000, storage(2, 1_500, 1, 0, 8_192), storage(2, 500, 1, 0, 4_096)));
        assertEquals(List.of("x: compress=off stored 1500 bytes (1 envelopes) for 2000 written"),
                sizes.offSideMismatches());
    }

    @Test
    void sidesWithDifferentRowCountsCannotBeCompared() {
        assertThrows(IllegalArgumentException.class, () -> new SizeComparison.Entry("x", 1,
                storage(2, 1, 0, 0, 1), storage(3, 1, 0, 0, 1)));
        assertThrows(IllegalStateException.class, () -> new SizeComparison().total());
    }

    @Test
    void everySideLeadsEquallyOftenAndEveryRoundRunsEachSideOnce() {
        assertArrayEquals(new int[] {0, 1}, PairedRounds.order(0, 2)); // two sides: as before, raw first in even rounds
        assertArrayEquals(new int[] {1, 0}, PairedRounds.order(1, 2));
        int[] leads = new int[3];
        for (int round = 0; round < 6; round++) {
            int[] order = PairedRounds.order(round, 3);
            leads[order[0]]++;
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            assertArrayEquals(new int[] {0, 1, 2}, sorted);
        }
        assertArrayEquals(new int[] {2, 2, 2}, leads);
    }

    @Test
    void throughputTargetIsJudgedOnPairedRoundsOfAutoAgainstOff() {
        // [side][round] in ns per op: raw, off, auto. Round 2 is disturbed for auto only in the medians' view.
        double[][] samples = {{90, 90, 90}, {100, 100, 400}, {125, 130, 500}};
        Target.Verdict verdict = CompressionReport.rateAtLeast("upserts/s", 0.75, samples);
        assertTrue(verdict.met());
        assertEquals("target upserts/s with compress=auto ≥0.75x compress=off: met (auto/off = 0.800x, median of 3"
                + " paired rounds)", verdict.toString());
        assertFalse(CompressionReport.rateAtLeast("upserts/s", 0.81, samples).met());
    }

    @Test
    void searchTimeTargetIsJudgedOnPairedRoundsOfAutoAgainstOff() {
        // [side][round] in ns per search: auto takes 2x, 2.6x and 1.5x off's time in the three rounds
        double[][] samples = {{90, 90, 90}, {100, 100, 400}, {200, 260, 600}};
        Target.Verdict verdict = CompressionReport.timeAtMost("LIKE search", 2.0, samples);
        assertTrue(verdict.met());
        assertEquals("target LIKE search with compress=auto at most 2.0x compress=off's time: met (auto/off = 2.00x"
                + " the time, median of 3 paired rounds)", verdict.toString());
        assertFalse(CompressionReport.timeAtMost("LIKE search", 1.9, samples).met());
    }

    @Test
    void latencyTargetComparesTheMediansOfBothSides() {
        Latencies off = latencies(10_000, 11_000, 12_000);
        Latencies justWithin = latencies(29_000, 31_000, 90_000);
        Latencies tooSlow = latencies(31_000, 32_000, 33_000);
        Target.Verdict met = CompressionReport.p50AtMostSlower(20_000, off, justWithin);
        assertTrue(met.met());
        assertEquals("target p50 with compress=auto at most 20.0 µs slower than compress=off: met (p50 31.0 µs vs"
                + " 11.0 µs: +20.0 µs)", met.toString());
        assertFalse(CompressionReport.p50AtMostSlower(20_000, off, tooSlow).met());
        assertEquals("-812 ns", CompressionReport.signed(-812));
    }

    @Test
    void tablesWithOtherColumnsRejectRowsThatDoNotFit() {
        Scenario scenario = new CorpusSizes(false);
        assertThrows(IllegalArgumentException.class, () -> new ScenarioResult(scenario, List.of("a", "b"),
                List.of(new ScenarioResult.Row("m", List.of("1"))), List.of(), List.of()));
    }

    @Test
    void tableCopyRecreatesSchemaAndRowsWithTheirTypes() throws Exception {
        Path source = directory.resolve("source.db");
        Path target = directory.resolve("target.db");
        try (Connection connection = DriverManager.getConnection(Workspace.rawUrl(source));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE memory_entries (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
                    + " value TEXT, score REAL, raw BLOB)");
            statement.execute("CREATE INDEX idx_score ON memory_entries (score)");
            statement.execute("INSERT INTO memory_entries (key, value, score, raw) VALUES ('a', 'x', 1.5, X'00FF'),"
                    + " ('b', NULL, NULL, NULL)");
        }
        try (Connection from = DriverManager.getConnection(Workspace.rawUrl(source));
                Connection to = DriverManager.getConnection(Workspace.rawUrl(target))) {
            assertEquals("value", CorpusSizes.textColumn(from));
            assertEquals(2, TableCopy.copy(from, "memory_entries", to, true));
        }
        try (Connection copied = DriverManager.getConnection(Workspace.rawUrl(target));
                Statement statement = copied.createStatement();
                ResultSet rs = statement.executeQuery("SELECT id, key, typeof(value), typeof(score), hex(raw),"
                        + " (SELECT count(*) FROM sqlite_schema WHERE name = 'idx_score') FROM memory_entries"
                        + " ORDER BY id")) {
            assertTrue(rs.next());
            assertEquals("1 a text real 00FF 1", rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3)
                    + " " + rs.getString(4) + " " + rs.getString(5) + " " + rs.getString(6));
            assertTrue(rs.next());
            assertEquals("2 b null null", rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                    + rs.getString(4));
            assertFalse(rs.next());
        }
        assertEquals("memory_entries", TableCopy.name("memory_entries"));
        assertEquals("\"odd name\"", TableCopy.name("odd name"));
    }

    @Test
    void corpusComesFromTheArgumentThenThePropertyThenTheDefault() throws IOException {
        assertEquals(Path.of("/x"), Corpus.locate("/x").directory());
        String property = System.getProperty(Corpus.PROPERTY);
        assertEquals(Path.of(property == null ? Corpus.DEFAULT : property), Corpus.locate(null).directory());
        Corpus missing = Corpus.locate(directory.resolve("nowhere").toString());
        IOException error = assertThrows(IOException.class, missing::databases);
        assertTrue(error.getMessage().contains("--corpus=DIR"), error.getMessage());
        Files.write(directory.resolve("b.db"), new byte[0]);
        Files.write(directory.resolve("a.db"), new byte[0]);
        Files.write(directory.resolve("README.md"), new byte[0]);
        assertEquals(List.of(directory.resolve("a.db"), directory.resolve("b.db")),
                Corpus.locate(directory.toString()).databases());
    }

    @Test
    void generatedWorkloadIsDeterministicAndShapedLikeTheCorpus() {
        List<AgentMemory.Entry> entries = AgentMemory.distinctEntries(500, 3);
        assertEquals(entries, AgentMemory.distinctEntries(500, 3));
        long snapshots = 0;
        long needles = 0;
        for (AgentMemory.Entry entry : entries) {
            int bytes = entry.value().getBytes(StandardCharsets.UTF_8).length;
            if (entry.namespace().equals("session-states")) {
                snapshots++;
                assertTrue(bytes >= 10_000 && bytes <= 41_000, "snapshot of " + bytes + " bytes");
            } else {
                assertTrue(bytes >= 200 && bytes <= 330, "record of " + bytes + " bytes");
            }
            if (entry.value().contains(AgentMemory.NEEDLE)) {
                needles++;
            }
        }
        assertEquals(500 / AgentMemory.SNAPSHOT_EVERY, snapshots);
        assertEquals(500 / AgentMemory.NEEDLE_EVERY, needles);
        assertEquals(500, entries.stream().map(AgentMemory.Entry::key).distinct().count());
        // Two snapshots of one session repeat each other: the shorter is a prefix of the longer, header aside.
        String small = AgentMemory.snapshot(4, 10_000, 0);
        String large = AgentMemory.snapshot(4, 30_000, 0);
        assertTrue(large.startsWith(small.substring(0, small.length() - 2)));
    }

    private static ValueStorage storage(long rows, long valueBytes, long envelopes, long dictionaryBytes,
                                        long fileBytes) {
        return new ValueStorage(rows, valueBytes, envelopes, dictionaryBytes, fileBytes);
    }

    private static Latencies latencies(long... nanos) {
        Latencies.Log log = new Latencies.Log();
        for (int i = 0; i < nanos.length; i++) {
            log.record(i, nanos[i]);
        }
        return Latencies.merge(List.of(log), 0);
    }
}
