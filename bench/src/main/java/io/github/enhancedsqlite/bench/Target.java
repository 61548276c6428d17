package io.github.enhancedsqlite.bench;

import java.util.Locale;
import java.util.function.BiFunction;

/**
 * A performance goal stated by an issue, checked against one comparison. Kept as data (label + rule) so the
 * report can say in the issue's own words whether the goal held, next to the measured number.
 */
final class Target {

    private final String label;
    private final BiFunction<String, Comparison, Verdict> rule;

    private Target(String label, BiFunction<String, Comparison, Verdict> rule) {
        this.label = label;
        this.rule = rule;
    }

    /** "target ≥50x": the enhanced driver's median must be at least {@code factor} times lower than raw's. */
    static Target atLeastTimesFaster(double factor) {
        return new Target("target ≥" + trim(factor) + "x", (label, comparison) -> {
            double speedup = comparison.speedup();
            return new Verdict(label, speedup >= factor,
                    "enhanced is " + Stats.formatRatio(speedup) + " faster than raw");
        });
    }

    /** "target within 5% of raw": the enhanced driver's median may be at most {@code percent}% above raw's. */
    static Target withinPercentOfRaw(double percent) {
        return new Target("target within " + trim(percent) + "% of raw", (label, comparison) -> {
            double overhead = comparison.overhead();
            // Judged at the precision printed, so "5.0% slower" never reads as a miss of a 5% target.
            double shownPercent = Math.round(overhead * 1000) / 10.0;
            String amount = Stats.formatPercent(Math.abs(overhead)).substring(1); // drop the sign, say it in words
            return new Verdict(label, shownPercent <= percent,
                    "enhanced is " + amount + (overhead >= 0 ? " slower" : " faster") + " than raw");
        });
    }

    String label() {
        return label;
    }

    Verdict check(Comparison comparison) {
        return rule.apply(label, comparison);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%s", value);
    }

    /** Whether a target held, and the measured figure that decided it. */
    record Verdict(String label, boolean met, String detail) {

        @Override
        public String toString() {
            return label + ": " + (met ? "met" : "not met") + " (" + detail + ")";
        }
    }
}
