package io.github.enhancedsqlite.config;

import java.util.Locale;

/**
 * What text one setting accepts and its canonical form. Every value from a URL or property passes through a
 * rule before it is used, so what later reaches SQL is a number or one of a fixed set of words, never the
 * caller's text.
 */
final class ValueRule {

    private final String accepted;
    private final long min;
    private final long max;
    private final boolean powerOfTwo;
    private final String[] words;

    private ValueRule(String accepted, long min, long max, boolean powerOfTwo, String[] words) {
        this.accepted = accepted;
        this.min = min;
        this.max = max;
        this.powerOfTwo = powerOfTwo;
        this.words = words;
    }

    static ValueRule integer(long min, long max) {
        return new ValueRule("an integer from " + min + " to " + max, min, max, false, null);
    }

    static ValueRule powerOfTwo(long min, long max) {
        return new ValueRule("a power of two from " + min + " to " + max, min, max, true, null);
    }

    /**
     * One of the given words, case-insensitive. A word's position is also its numeric code, which is how SQLite
     * reads some pragmas back (temp_store=MEMORY reads back as 2), so the code is accepted too.
     */
    static ValueRule oneOf(String... words) {
        return new ValueRule("one of " + String.join(", ", words), 0, words.length - 1, false, words);
    }

    static ValueRule bool() {
        return oneOf("false", "true");
    }

    /** The canonical form of {@code text}, or null when the rule does not accept it. */
    String canonical(String text) {
        String trimmed = text.trim();
        if (words != null) {
            for (String word : words) {
                if (word.equalsIgnoreCase(trimmed)) {
                    return word;
                }
            }
            Long code = parseLong(trimmed);
            return code != null && code >= 0 && code < words.length ? words[code.intValue()] : null;
        }
        Long value = parseLong(trimmed);
        if (value == null || value < min || value > max || (powerOfTwo && Long.bitCount(value) != 1)) {
            return null;
        }
        return Long.toString(value);
    }

    /** Whether a value SQLite reports back means the same as the canonical value we set. */
    boolean sameValue(String canonical, String reported) {
        if (reported == null) {
            return false;
        }
        String reportedCanonical = canonical(reported);
        return reportedCanonical != null && reportedCanonical.equalsIgnoreCase(canonical);
    }

    String accepted() {
        return accepted;
    }

    private static Long parseLong(String text) {
        if (text.isEmpty() || text.length() > 20) {
            return null;
        }
        try {
            return Long.parseLong(text.toLowerCase(Locale.ROOT));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
