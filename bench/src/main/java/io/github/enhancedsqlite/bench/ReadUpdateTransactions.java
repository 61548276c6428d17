package io.github.enhancedsqlite.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue target (b): read-then-update transactions from many threads, written as plain JDBC. On raw sqlite-jdbc a
 * transaction begins deferred, so its UPDATE fails with SQLITE_BUSY (the busy handler is not called for a reader
 * upgrading to a writer) or SQLITE_BUSY_SNAPSHOT (someone committed since its SELECT): today's users see those
 * errors, so they are counted and not retried. The enhanced driver begins IMMEDIATE after its writer turn, so
 * the same code should never fail. Also measured: the same unit through {@code EnhancedSqlite.inTransaction}.
 */
final class ReadUpdateTransactions implements Scenario {

    static final Segments.Plan PLAN = new Segments.Plan(8, 2_000_000_000L, 5, 3_000_000_000L);

    private static final String PLAIN = " — plain JDBC";
    private static final String REPLAYED = " — inTransaction";

    @Override
    public String name() {
        return "read-update-tx";
    }

    @Override
    public String title() {
        return "(b) " + PLAN.threads() + " threads of " + CounterWork.TRANSACTION.description() + " over "
                + Counters.ROWS + " rows";
    }

    @Override
    public ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception {
        Path rawFile = workspace.newDatabase(name() + "-raw");
        Path plainFile = workspace.newDatabase(name() + "-enhanced");
        Path replayedFile = workspace.newDatabase(name() + "-enhanced-intransaction");
        for (Path file : List.of(rawFile, plainFile, replayedFile)) {
            Counters.create(file);
        }
        long epoch = System.nanoTime();
        List<Segments.Tally> tallies;
        try (PooledDatabase raw = PooledDatabase.open(Workspace.rawUrl(rawFile));
                PooledDatabase plain = PooledDatabase.open(workspace.enhancedUrl(plainFile));
                PooledDatabase replayed = PooledDatabase.open(workspace.enhancedUrl(replayedFile))) {
            tallies = Segments.run(List.of(
                    new Segments.Side("raw", raw, CounterWork.TRANSACTION),
                    new Segments.Side("enhanced", plain, CounterWork.TRANSACTION),
                    new Segments.Side("enhanced inTransaction", replayed, CounterWork.IN_TRANSACTION)), PLAN);
        }
        Segments.Tally raw = tallies.get(0);
        Segments.Tally enhanced = tallies.get(1);
        Segments.Tally inTransaction = tallies.get(2);
        long rawSum = Counters.total(rawFile);
        long enhancedSum = Counters.total(plainFile);
        long inTransactionSum = Counters.total(replayedFile);

        List<ScenarioResult.Row> rows = new ArrayList<>();
        rows.addAll(WriterReport.rows("successful tx", PLAIN, raw, enhanced, epoch));
        rows.add(WriterReport.sumRow(PLAIN, rawSum, raw.successesIncludingWarmup, enhancedSum,
                enhanced.successesIncludingWarmup));
        rows.addAll(WriterReport.rows("successful tx", REPLAYED, raw, inTransaction, epoch));
        rows.add(new ScenarioResult.Row("40001 replays inside inTransaction (not seen by the application)", "—",
                Long.toString(inTransaction.attempts - inTransaction.successes - inTransaction.errors.total()), "—"));
        rows.add(WriterReport.sumRow(REPLAYED, rawSum, raw.successesIncludingWarmup, inTransactionSum,
                inTransaction.successesIncludingWarmup));

        boolean sumsMatch = rawSum == raw.successesIncludingWarmup
                && enhancedSum == enhanced.successesIncludingWarmup
                && inTransactionSum == inTransaction.successesIncludingWarmup;
        List<Target.Verdict> verdicts = List.of(
                WriterReport.noErrors(PLAIN, enhanced.errors),
                WriterReport.throughputAtLeast("successful tx/s" + PLAIN, 5, enhanced.ratiosTo(raw)),
                WriterReport.noErrors(REPLAYED, inTransaction.errors),
                WriterReport.throughputAtLeast("successful tx/s" + REPLAYED, 5, inTransaction.ratiosTo(raw)),
                new Target.Verdict("final counter = successful transactions on every side", sumsMatch,
                        "raw " + WriterReport.sumCheck(rawSum, raw.successesIncludingWarmup) + ", enhanced "
                                + WriterReport.sumCheck(enhancedSum, enhanced.successesIncludingWarmup)
                                + ", inTransaction "
                                + WriterReport.sumCheck(inTransactionSum, inTransaction.successesIncludingWarmup)));
        List<String> notes = List.of(
                "method: " + PLAN.describe() + "; the read value + 1 is written back, so a lost update would show in"
                        + " the sum; times are from the start of the scenario",
                "raw attempts: " + raw.attempts + " in measured segments, " + raw.successes + " committed ("
                        + percent(raw.successes, raw.attempts) + ")",
                "slow raw transactions: " + raw.latencies(epoch).describeSlow(WriterReport.SLOW_NANOS, 3),
                "slow enhanced transactions" + PLAIN + ": "
                        + enhanced.latencies(epoch).describeSlow(WriterReport.SLOW_NANOS, 3),
                "slow enhanced transactions" + REPLAYED + ": "
                        + inTransaction.latencies(epoch).describeSlow(WriterReport.SLOW_NANOS, 3),
                "GC time during measured segments: raw " + raw.gcMillis + " ms, enhanced " + enhanced.gcMillis
                        + " ms, inTransaction " + inTransaction.gcMillis + " ms");
        return new ScenarioResult(this, WriterReport.HEADING, rows, verdicts, notes);
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }
}
