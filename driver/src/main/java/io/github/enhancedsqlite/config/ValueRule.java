package io.github.enhancedsqlite.config;

import java.util.Locale;
import java.util.function.Predicate;

/**
 * What text one setting accepts and its canonical form. Every value from a URL or property passes through a
 * rule before it is used, so what later reaches SQL is a number, one of a fixed set of words or a quoted string
 * literal, never the caller's text.
 */
final class ValueRule {

    private static final int INTEGER = 0;
    private static final int POWER_OF_TWO = 1;
    private static final int ONE_OF = 2;
    private static final int NAMES = 3;
    private static final int QUOTED_NAME = 4;
    private static final int TEXT = 5;
    private static final int SQL_STRING_OF = 6;
    private static final int ANY_OF = 7;

    private final String accepted;
    /**
     * Which of the shapes below the rule is. A kind and its parameters rather than a function per rule: the rules
     * are built as a process starts, where each lambda costs more than a small class (docs/ARCHITECTURE.md,
     * "Start-up cost").
     */
    private final int kind;
    private final long min;
    private final long max;
    private final String[] words;
    private final Predicate<String> valid;
    private final ValueRule first;
    private final ValueRule second;

    private ValueRule(String accepted, int kind, long min, long max, String[] words, Predicate<String> valid,
                      ValueRule first, ValueRule second) {
        this.accepted = accepted;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.words = words;
        this.valid = valid;
        this.first = first;
        this.second = second;
    }

    static ValueRule integer(long min, long max) {
        return new ValueRule("an integer from " + min + " to " + max, INTEGER, min, max, null, null, null, null);
    }

    static ValueRule powerOfTwo(long min, long max) {
        return new ValueRule("a power of two from " + min + " to " + max, POWER_OF_TWO, min, max, null, null, null,
                null);
    }

    /**
     * One of the given words, case-insensitive. A word's position is also its numeric code, which is how SQLite
     * reads some pragmas back (temp_store=MEMORY reads back as 2), so the code is accepted too.
     */
    static ValueRule oneOf(String... words) {
        return new ValueRule("one of " + String.join(", ", words), ONE_OF, 0, 0, words, null, null, null);
    }

    /**
     * One of the given words, case-insensitive, and nothing else: for pragmas SQLite reads back by name, where a
     * number is no spelling of a value (SQLite would take journal_mode=1 as a request it does not document).
     */
    static ValueRule names(String... words) {
        return new ValueRule("one of " + String.join(", ", words), NAMES, 0, 0, words, null, null, null);
    }

    static ValueRule bool() {
        return oneOf("false", "true");
    }

    /** One of the given words, case-insensitive, written as the SQL string literal SQLite expects ('UTF-8'). */
    static ValueRule quotedName(String... words) {
        return new ValueRule("one of " + String.join(", ", words), QUOTED_NAME, 0, 0, words, null, null, null);
    }

    /**
     * Text a check accepts, kept exactly as given (a password keeps its spaces).
     * Only for values sqlite-jdbc reads in Java or quotes itself.
     */
    static ValueRule text(String accepted, Predicate<String> valid) {
        return new ValueRule(accepted, TEXT, 0, 0, null, valid, null, null);
    }

    /**
     * Text a check accepts, turned into an SQL string literal so that sqlite-jdbc, which writes the value into a
     * PRAGMA as it is, receives one literal however the text is quoted. A value already in quotes is unquoted first.
     */
    static ValueRule sqlStringOf(String accepted, Predicate<String> valid) {
        return new ValueRule(accepted, SQL_STRING_OF, 0, 0, null, valid, null, null);
    }

    /** Either rule: the first that accepts the text gives its canonical form. */
    static ValueRule anyOf(ValueRule first, ValueRule second) {
        return new ValueRule(first.accepted + " or " + second.accepted, ANY_OF, 0, 0, null, null, first, second);
    }

    /**
     * The canonical form of {@code text}, or null when the rule does not accept it; spaces around words and numbers
     * do not count.
     */
    String canonical(String text) {
        switch (kind) {
            case INTEGER: {
                Long value = parseLong(text.trim());
                return value == null || value < min || value > max ? null : Long.toString(value);
            }
            case POWER_OF_TWO: {
                Long value = parseLong(text.trim());
                return value == null || value < min || value > max || Long.bitCount(value) != 1 ? null
                        : Long.toString(value);
            }
            case ONE_OF: {
                String word = word(text.trim(), words);
                if (word != null) {
                    return word;
                }
                Long code = parseLong(text.trim());
                return code != null && code >= 0 && code < words.length ? words[code.intValue()] : null;
            }
            case NAMES:
                return word(text.trim(), words);
            case QUOTED_NAME: {
                String word = word(unquote(text.trim()), words);
                return word == null ? null : sqlString(word);
            }
            case TEXT:
                return valid.test(text) ? text : null;
            case SQL_STRING_OF: {
                String plain = unquote(text.trim());
                return valid.test(plain) ? sqlString(plain) : null;
            }
            case ANY_OF: {
                String canonical = first.canonical(text);
                return canonical != null ? canonical : second.canonical(text);
            }
            default:
                throw new IllegalStateException("no rule of kind " + kind);
        }
    }

    /** Whether a value SQLite reports back means the same as the canonical value we set. */
    boolean sameValue(String canonical, String reported) {
        if (reported == null) {
            return false;
        }
        if (reported.equalsIgnoreCase(canonical)) {
            return true; // as SQLite mostly reports it: no need to read it again (a new connection checks a dozen)
        }
        String reportedCanonical = canonical(reported);
        return reportedCanonical != null && reportedCanonical.equalsIgnoreCase(canonical);
    }

    String accepted() {
        return accepted;
    }

    private static String word(String text, String[] words) {
        for (String word : words) {
            if (word.equalsIgnoreCase(text)) {
                return word;
            }
        }
        return null;
    }

    private static String unquote(String text) {
        return text.length() >= 2 && text.startsWith("'") && text.endsWith("'")
                ? text.substring(1, text.length() - 1).replace("''", "'") : text;
    }

    private static String sqlString(String text) {
        return "'" + text.replace("'", "''") + "'";
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
