package io.github.enhancedsqlite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** The bookkeeping behind the writer scenarios' numbers; nothing is timed and no database is opened. */
class WriterStatsTest {

    private static final long MS = 1_000_000L;

    @Test
    void percentilesAreNearestRankSoTheyAreLatenciesSomeOpHad() {
        Latencies.Log log = new Latencies.Log();
        for (int i = 1; i <= 100; i++) {
            log.record(i * MS, i * 1_000L);
        }
        Latencies latencies = Latencies.merge(List.of(log), 0);
        assertEquals(100, latencies.count());
        assertEquals(50_000, latencies.quantile(0.5));
        assertEquals(99_000, latencies.quantile(0.99));
        assertEquals(100_000, latencies.max());
        assertEquals(10, latencies.countAbove(90_000));
    }

    @Test
    void slowOpsThatOverlapAreOneEpisode() {
        Latencies.Log a = new Latencies.Log();
        Latencies.Log b = new Latencies.Log();
        a.record(1_000 * MS, 60 * MS); // 1.00 s – 1.06 s
        b.record(1_010 * MS, 80 * MS); // overlaps: same stall
        a.record(3_000 * MS, 55 * MS); // alone
        b.record(3_500 * MS, 1 * MS); // fast, ignored
        Latencies latencies = Latencies.merge(List.of(a, b), 0);
        assertEquals("3 ops over 50.0 ms in 2 episodes (longest first: at 1.00 s 2 ops up to 80.0 ms;"
                + " at 3.00 s 1 op up to 55.0 ms)", latencies.describeSlow(50 * MS, 5));
        assertEquals("none over 100 ms", latencies.describeSlow(100 * MS, 5));
    }

    @Test
    void latencyLogsSurviveTheTripFromAChildProcess() throws Exception {
        Latencies.Log log = new Latencies.Log();
        log.record(5_000, 7);
        log.record(6_000, 9);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        log.write(new DataOutputStream(bytes), 0);
        Latencies.Log read = Latencies.Log.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
                -5_000);
        Latencies latencies = Latencies.merge(List.of(read), 0);
        assertEquals(2, latencies.count());
        assertEquals(9, latencies.max());
        assertEquals("none over 1.00 µs", latencies.describeSlow(1_000, 1));
    }

    @Test
    void errorsAreCountedByExtendedCodeAndBySqlStateTheDriverRaised() {
        ErrorCounts errors = new ErrorCounts();
        errors.record(new SQLiteException("busy", SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT));
        errors.record(new SQLiteException("busy", SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT));
        errors.record(new SQLiteException("busy", SQLiteErrorCode.SQLITE_BUSY));
        errors.record(new SQLTransactionRollbackException("rolled back", "40001",
                new SQLiteException("busy", SQLiteErrorCode.SQLITE_BUSY)));
        errors.record(new SQLException("timeout", "HYT00"));
        assertEquals(5, errors.total());
        assertEquals("5 (SQLITE_BUSY_SNAPSHOT 2, 40001 ← SQLITE_BUSY 1, HYT00 SQLException 1, SQLITE_BUSY 1)",
                errors.describe());
        assertEquals("0", new ErrorCounts().describe());
    }

    @Test
    void childResultLineRoundTrips() {
        ErrorCounts errors = new ErrorCounts();
        errors.add("40001 ← SQLITE_BUSY", 3);
        errors.add("SQLITE_BUSY_SNAPSHOT", 2);
        CounterWorker.Result result = new CounterWorker.Result(995, 1_003, 123_456_789L, errors);
        String line = result.format();
        assertTrue(line.startsWith(CounterWorker.RESULT + " successes=995 attempts=1003 elapsedNanos=123456789"));
        assertFalse(line.substring(CounterWorker.RESULT.length() + 1).contains("← "), "one token per field");
        CounterWorker.Result parsed = CounterWorker.Result.parse(line);
        assertEquals(995, parsed.successes());
        assertEquals(1_003, parsed.attempts());
        assertEquals(123_456_789L, parsed.elapsedNanos());
        assertEquals(errors.byKind(), parsed.errors().byKind());
        assertEquals(0, CounterWorker.Result.parse(new CounterWorker.Result(1, 1, 1, new ErrorCounts()).format())
                .errors().total());
    }

    @Test
    void writerVerdicts() {
        assertTrue(WriterReport.throughputAtLeast("x", 0.9, new double[] {0.8, 0.95, 1.1}).met());
        assertFalse(WriterReport.throughputAtLeast("x", 0.9, new double[] {0.8, 0.85, 1.1}).met());
        assertEquals("41022 = 41022", WriterReport.sumCheck(41_022, 41_022));
        assertEquals("**41020 ≠ 41022**", WriterReport.sumCheck(41_020, 41_022));
        assertEquals("12,346", WriterReport.perSecond(12_345.6));
    }

    @Test
    void groupsSelectTheirScenarios() {
        assertEquals(Scenarios.WRITERS, Scenarios.select(List.of("writers")));
        assertEquals(Scenarios.ALL, Scenarios.select(List.of()));
        assertEquals(List.of(Scenarios.READS.get(1), Scenarios.WRITERS.get(0)),
                Scenarios.select(List.of("prepared-select", "autocommit-writers")));
    }
}
