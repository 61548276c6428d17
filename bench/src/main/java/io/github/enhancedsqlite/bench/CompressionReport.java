package io.github.enhancedsqlite.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows and verdicts the timed compression scenarios print, so they read alike: one column per side of
 * {@link CompressionSides}, then auto compared with off from rounds run back to back (see {@link Comparison}).
 */
final class CompressionReport {

    /** Columns of a timed compression table. */
    static final List<String> TIME_HEADINGS = List.of("raw sqlite-jdbc", "compress=off", "compress=auto",
            "compress=auto vs off");

    private CompressionReport() {
    }

    /** Off as the baseline and auto as the candidate, from {@code samples[side][round]} of the three sides. */
    static Comparison autoAgainstOff(double[][] samples) {
        return new Comparison(samples[CompressionSides.OFF], samples[CompressionSides.AUTO]);
    }

    /** Time per operation of each side; the last cell is auto's time over off's, paired (above 1 = auto slower). */
    static ScenarioResult.Row timeRow(String metric, double[][] samples) {
        Comparison comparison = autoAgainstOff(samples);
        double[] ratios = new double[comparison.rounds()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = samples[CompressionSides.AUTO][i] / samples[CompressionSides.OFF][i];
        }
        List<String> cells = new ArrayList<>();
        for (double[] side : samples) {
            cells.add(Stats.formatNanos(Stats.median(side)) + " " + Stats.formatSpread(Stats.relativeSpread(side)));
        }
        cells.add("time " + WriterReport.pairedRatio(ratios, 1 / comparison.ratioOfMedians()));
        return new ScenarioResult.Row(metric + " (median of " + comparison.rounds() + " rounds)", cells);
    }

    /** Operations per second of each side; the last cell is auto's rate over off's, paired (below 1 = auto slower). */
    static ScenarioResult.Row rateRow(String metric, double[][] samples) {
        Comparison comparison = autoAgainstOff(samples);
        List<String> cells = new ArrayList<>();
        for (double[] side : samples) {
            double[] rates = new double[side.length];
            for (int i = 0; i < side.length; i++) {
                rates[i] = 1e9 / side[i];
            }
            cells.add(WriterReport.perSecond(Stats.median(rates)) + " " + Stats.formatSpread(Stats.relativeSpread(rates)));
        }
        cells.add("rate " + WriterReport.pairedRatio(comparison.pairRatios(), comparison.ratioOfMedians()));
        return new ScenarioResult.Row(metric + " (median of " + comparison.rounds() + " rounds)", cells);
    }

    /** "target auto ≥0.75x off": auto's rate over off's, the median of paired rounds. */
    static Target.Verdict rateAtLeast(String what, double factor, double[][] samples) {
        double ratio = autoAgainstOff(samples).speedup();
        return new Target.Verdict("target " + what + " with compress=auto ≥" + factor + "x compress=off",
                ratio >= factor, "auto/off = " + Stats.formatRatio(ratio) + ", median of "
                        + samples[CompressionSides.OFF].length + " paired rounds");
    }

    /** "target LIKE search with compress=auto at most 2x compress=off's time": the median of paired rounds. */
    static Target.Verdict timeAtMost(String what, double factor, double[][] samples) {
        double ratio = 1 / autoAgainstOff(samples).speedup();
        return new Target.Verdict("target " + what + " with compress=auto at most " + factor + "x compress=off's time",
                ratio <= factor, "auto/off = " + Stats.formatRatio(ratio) + " the time, median of "
                        + samples[CompressionSides.OFF].length + " paired rounds");
    }

    /** "target p50 at most 20 µs slower": judged on the difference of the pooled medians. */
    static Target.Verdict p50AtMostSlower(long limitNanos, Latencies off, Latencies auto) {
        double difference = auto.quantile(0.5) - off.quantile(0.5);
        return new Target.Verdict("target p50 with compress=auto at most " + Stats.formatNanos(limitNanos)
                + " slower than compress=off", difference <= limitNanos,
                "p50 " + Stats.formatNanos(auto.quantile(0.5)) + " vs " + Stats.formatNanos(off.quantile(0.5)) + ": "
                        + signed(difference));
    }

    /** Latency quantile of each side; the last cell is auto minus off, and auto over off. */
    static ScenarioResult.Row latencyRow(String name, double q, List<Latencies> sides) {
        List<String> cells = new ArrayList<>();
        for (Latencies side : sides) {
            cells.add(Stats.formatNanos(side.quantile(q)));
        }
        double off = sides.get(CompressionSides.OFF).quantile(q);
        double auto = sides.get(CompressionSides.AUTO).quantile(q);
        cells.add(signed(auto - off) + " (" + Stats.formatRatio(auto / off) + ")");
        return new ScenarioResult.Row(name + " (" + sides.get(CompressionSides.OFF).count() + " reads per side)",
                cells);
    }

    /** "+3.21 µs" / "-812 ns": a difference with its sign. */
    static String signed(double nanos) {
        return (nanos < 0 ? "-" : "+") + Stats.formatNanos(Math.abs(nanos));
    }

    /**
     * "compress=auto side afterwards: 1158 of 1859 rows stored compressed", counted through raw sqlite-jdbc once the
     * side's pool is closed: shows that the auto side really timed compressed values.
     */
    static String storedOnAuto(Path autoFile) throws SQLException {
        try (Connection plain = DriverManager.getConnection(Workspace.RAW_PREFIX + autoFile)) {
            long[] counted = ValueStorage.count(plain, AgentMemory.TABLE, AgentMemory.VALUE_COLUMN);
            return "compress=auto side afterwards: " + counted[2] + " of " + counted[0] + " rows stored compressed";
        }
    }
}
