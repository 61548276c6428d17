package io.github.enhancedsqlite.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Locale;

/** Order statistics and the number formats every report uses, kept in one place so all scenarios read alike. */
final class Stats {

    private Stats() {
    }

    /**
     * Median of the samples: unlike the mean, one round disturbed by a neighbour on this shared machine cannot
     * move it.
     */
    static double median(double[] samples) {
        return quantile(samples, 0.5);
    }

    /** Quantile with linear interpolation between the two nearest ranks (q in [0, 1]). */
    static double quantile(double[] samples, double q) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("quantile out of [0, 1]: " + q);
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        double rank = q * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = (int) Math.ceil(rank);
        return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
    }

    /**
     * Half the interquartile range relative to the median, e.g. 0.03 for "±3%": how much the rounds of one side
     * disagreed, so a reader can tell a real difference from this machine's noise.
     */
    static double relativeSpread(double[] samples) {
        double median = median(samples);
        if (median == 0) {
            return 0;
        }
        return (quantile(samples, 0.75) - quantile(samples, 0.25)) / 2 / median;
    }

    /** A duration given in nanoseconds, in the unit that shows it with three significant digits. */
    static String formatNanos(double unrounded) {
        double nanos = roundToThreeDigits(unrounded); // before choosing the unit: 999.7 ns is "1.00 µs"
        double abs = Math.abs(nanos);
        if (abs < 1_000) {
            return String.format(Locale.ROOT, "%.0f ns", nanos);
        }
        if (abs < 1_000_000) {
            return String.format(Locale.ROOT, "%s µs", threeDigits(nanos / 1_000));
        }
        if (abs < 1_000_000_000) {
            return String.format(Locale.ROOT, "%s ms", threeDigits(nanos / 1_000_000));
        }
        return String.format(Locale.ROOT, "%s s", threeDigits(nanos / 1_000_000_000));
    }

    /** A ratio such as a speed-up: "64.1x", "1.02x", "312x". */
    static String formatRatio(double ratio) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return "n/a";
        }
        return threeDigits(ratio) + "x";
    }

    /** A relative change with its sign: 0.021 → "+2.1%", -0.004 → "-0.4%". */
    static String formatPercent(double fraction) {
        return String.format(Locale.ROOT, "%+.1f%%", fraction * 100);
    }

    /** "±2.1%" for a relative spread. */
    static String formatSpread(double fraction) {
        return String.format(Locale.ROOT, "±%.1f%%", fraction * 100);
    }

    /** A size in bytes with binary units and three significant digits: "812 B", "4.87 KiB", "1.23 MiB". */
    static String formatBytes(long bytes) {
        double value = bytes;
        String[] units = {"B", "KiB", "MiB", "GiB"};
        int unit = 0;
        while (unit < units.length - 1 && Math.abs(value) >= 1024) {
            value /= 1024;
            unit++;
        }
        return (unit == 0 ? Long.toString(bytes) : threeDigits(value)) + " " + units[unit];
    }

    /** Three significant digits without scientific notation: 312, 64.1, 4.87, 0.982. */
    private static String threeDigits(double value) {
        double rounded = roundToThreeDigits(value); // first, so 9.9996 becomes "10.0" rather than "10.00"
        double abs = Math.abs(rounded);
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.0f", rounded);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", rounded);
        }
        if (abs >= 1) {
            return String.format(Locale.ROOT, "%.2f", rounded);
        }
        return String.format(Locale.ROOT, "%.3f", rounded);
    }

    private static double roundToThreeDigits(double value) {
        if (value == 0 || Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        return new BigDecimal(value).round(new MathContext(3)).doubleValue();
    }
}
