package io.github.enhancedsqlite.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rows and verdicts every writer scenario prints, so (a), (b) and (c) read alike: throughput with its paired
 * ratio, the latency tail, how many ops were slow, errors by kind, and whether the file adds up.
 */
final class WriterReport {

    /** Ratio column of writer tables: every ratio is oriented so that above 1 means the enhanced side did better. */
    static final String HEADING = "ratio (above 1 = enhanced better)";

    /** The latency bound for a single write. */
    static final long SLOW_NANOS = 50_000_000L;

    private WriterReport() {
    }

    /** Throughput (paired over segments) and latency rows for one raw-vs-enhanced pair of sides. */
    static List<ScenarioResult.Row> rows(String unit, String suffix, Segments.Tally raw, Segments.Tally enhanced,
                                         long epochNanos) {
        List<ScenarioResult.Row> rows = new ArrayList<>();
        double[] ratios = enhanced.ratiosTo(raw);
        rows.add(new ScenarioResult.Row(
                unit + "/s" + suffix + " (median of " + ratios.length + " segments)",
                perSecond(Stats.median(raw.perSecond)) + " " + Stats.formatSpread(Stats.relativeSpread(raw.perSecond)),
                perSecond(Stats.median(enhanced.perSecond)) + " "
                        + Stats.formatSpread(Stats.relativeSpread(enhanced.perSecond)),
                pairedRatio(ratios, Stats.median(enhanced.perSecond) / Stats.median(raw.perSecond))));
        rows.addAll(latencyRows(suffix, raw.latencies(epochNanos), enhanced.latencies(epochNanos)));
        rows.add(new ScenarioResult.Row("errors seen by the application" + suffix, raw.errors.describe(),
                enhanced.errors.describe(), "—"));
        return rows;
    }

    /** p50, p99 and max of successful units, each with raw/enhanced (above 1 = enhanced lower), and slow ops. */
    static List<ScenarioResult.Row> latencyRows(String suffix, Latencies raw, Latencies enhanced) {
        List<ScenarioResult.Row> rows = new ArrayList<>();
        String[] names = {"p50", "p99", "max"};
        double[] quantiles = {0.5, 0.99, 1.0};
        for (int i = 0; i < names.length; i++) {
            double r = raw.quantile(quantiles[i]);
            double e = enhanced.quantile(quantiles[i]);
            rows.add(new ScenarioResult.Row("latency " + names[i] + suffix + " (" + raw.count() + " raw, "
                    + enhanced.count() + " enhanced successes)", Stats.formatNanos(r), Stats.formatNanos(e),
                    Stats.formatRatio(r / e)));
        }
        rows.add(new ScenarioResult.Row("successes over " + Stats.formatNanos(SLOW_NANOS) + suffix,
                Long.toString(raw.countAbove(SLOW_NANOS)), Long.toString(enhanced.countAbove(SLOW_NANOS)), "—"));
        return rows;
    }

    /** "1.02x (IQR 0.97x–1.05x; of medians 1.01x)". */
    static String pairedRatio(double[] ratios, double ofMedians) {
        return Stats.formatRatio(Stats.median(ratios)) + " (IQR " + Stats.formatRatio(Stats.quantile(ratios, 0.25))
                + "–" + Stats.formatRatio(Stats.quantile(ratios, 0.75)) + "; of medians "
                + Stats.formatRatio(ofMedians) + ")";
    }

    /** "counter sum 41022 = 41022 successes" or a loud mismatch: the file must hold every acknowledged write. */
    static ScenarioResult.Row sumRow(String suffix, long rawSum, long rawExpected, long enhancedSum,
                                     long enhancedExpected) {
        return new ScenarioResult.Row("final counter sum vs successes" + suffix, sumCheck(rawSum, rawExpected),
                sumCheck(enhancedSum, enhancedExpected), "—");
    }

    static String sumCheck(long sum, long expected) {
        return sum == expected ? sum + " = " + expected : "**" + sum + " ≠ " + expected + "**";
    }

    static Target.Verdict throughputAtLeast(String what, double factor, double[] ratios) {
        double ratio = Stats.median(ratios);
        return new Target.Verdict("target " + what + " ≥" + trim(factor) + "x raw", ratio >= factor,
                "enhanced/raw = " + Stats.formatRatio(ratio) + ", median of " + ratios.length + " paired segments");
    }

    static Target.Verdict noErrors(String what, ErrorCounts errors) {
        return new Target.Verdict("target 0 errors" + what, errors.total() == 0, "enhanced: " + errors.describe());
    }

    static Target.Verdict maxLatencyAtMost(String what, Latencies enhanced) {
        return new Target.Verdict("target max latency ≤" + Stats.formatNanos(SLOW_NANOS) + what,
                enhanced.max() <= SLOW_NANOS, "enhanced max " + Stats.formatNanos(enhanced.max()) + ", "
                        + enhanced.countAbove(SLOW_NANOS) + " of " + enhanced.count() + " over");
    }

    static Target.Verdict exactCount(String what, long sum, long expected) {
        return new Target.Verdict("target exact final count" + what, sum == expected,
                "enhanced counter sum " + sum + ", expected " + expected);
    }

    /** "12,345" — a rate needs no more than whole units per second. */
    static String perSecond(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
