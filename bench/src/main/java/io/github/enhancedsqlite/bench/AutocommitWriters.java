package io.github.enhancedsqlite.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue target (a): many threads writing in auto-commit mode, the commonest way an application writes. Raw
 * sqlite-jdbc leaves the waiting to SQLite's busy handler, which sleeps 1, 2, 5, 10… ms between polls and lets a
 * late comer overtake; the enhanced driver queues writers in Java, first come first served. Throughput must not
 * suffer for the fairness, and no single write may wait long.
 */
final class AutocommitWriters implements Scenario {

    static final Segments.Plan PLAN = new Segments.Plan(8, 2_000_000_000L, 7, 3_000_000_000L);

    @Override
    public String name() {
        return "autocommit-writers";
    }

    @Override
    public String title() {
        return "(a) " + PLAN.threads() + " threads of " + CounterWork.AUTOCOMMIT.description() + " over "
                + Counters.ROWS + " rows, a connection borrowed per update";
    }

    @Override
    public ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception {
        Path rawFile = workspace.newDatabase(name() + "-raw");
        Path enhancedFile = workspace.newDatabase(name() + "-enhanced");
        Counters.create(rawFile);
        Counters.create(enhancedFile);
        long epoch = System.nanoTime();
        List<Segments.Tally> tallies;
        try (PooledDatabase raw = PooledDatabase.open(Workspace.rawUrl(rawFile));
                PooledDatabase enhanced = PooledDatabase.open(workspace.enhancedUrl(enhancedFile))) {
            tallies = Segments.run(List.of(
                    new Segments.Side("raw", raw, CounterWork.AUTOCOMMIT),
                    new Segments.Side("enhanced", enhanced, CounterWork.AUTOCOMMIT)), PLAN);
        }
        Segments.Tally raw = tallies.get(0);
        Segments.Tally enhanced = tallies.get(1);
        long rawSum = Counters.total(rawFile);
        long enhancedSum = Counters.total(enhancedFile);

        List<ScenarioResult.Row> rows = new ArrayList<>(WriterReport.rows("updates", "", raw, enhanced, epoch));
        rows.add(WriterReport.sumRow("", rawSum, raw.successesIncludingWarmup, enhancedSum,
                enhanced.successesIncludingWarmup));
        Latencies enhancedLatencies = enhanced.latencies(epoch);
        List<Target.Verdict> verdicts = List.of(
                WriterReport.throughputAtLeast("throughput", 0.9, enhanced.ratiosTo(raw)),
                WriterReport.maxLatencyAtMost("", enhancedLatencies),
                WriterReport.noErrors("", enhanced.errors),
                new Target.Verdict("no lost or doubled update", rawSum == raw.successesIncludingWarmup
                        && enhancedSum == enhanced.successesIncludingWarmup,
                        "counter sums match the successes on " + (rawSum == raw.successesIncludingWarmup ? "" : "NOT ")
                                + "raw and " + (enhancedSum == enhanced.successesIncludingWarmup ? "" : "NOT ")
                                + "enhanced"));
        List<String> notes = List.of(
                "method: " + PLAN.describe() + "; times are from the start of the scenario",
                "slow raw updates: " + raw.latencies(epoch).describeSlow(WriterReport.SLOW_NANOS, 5),
                "slow enhanced updates: " + enhancedLatencies.describeSlow(WriterReport.SLOW_NANOS, 5),
                "GC time during measured segments: raw " + raw.gcMillis + " ms, enhanced " + enhanced.gcMillis + " ms");
        return new ScenarioResult(this, WriterReport.HEADING, rows, verdicts, notes);
    }
}
