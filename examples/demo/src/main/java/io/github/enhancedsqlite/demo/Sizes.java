package io.github.enhancedsqlite.demo;

import java.util.Locale;

/** Human-readable byte counts: the report is read, not parsed. */
final class Sizes {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Sizes() {
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double value = n;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        // Whole numbers print without decimals so "1 GiB" and "8 GiB" read like the pragma they explain.
        return value == Math.rint(value)
                ? String.format(Locale.ROOT, "%d %s", (long) value, UNITS[unit])
                : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
