package io.github.enhancedsqlite.config;

import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What text one setting accepts and its canonical form. Every value from a URL or property passes through a
 * rule before it is used, so what later reaches SQL is a number, one of a fixed set of words or a quoted string
 * literal, never the caller's text.
 */
final class ValueRule {

    private final String accepted;
    /** The canonical form of a value, or null when the rule does not accept it; spaces around words and numbers do not count. */
    private final UnaryOperator<String> canonicalizer;

    private ValueRule(String accepted, UnaryOperator<String> canonicalizer) {
        this.accepted = accepted;
        this.canonicalizer = canonicalizer;
    }

    static ValueRule integer(long min, long max) {
        return new ValueRule("an integer from " + min + " to " + max, text -> {
            Long value = parseLong(text.trim());
            return value == null || value < min || value > max ? null : Long.toString(value);
        });
    }

    static ValueRule powerOfTwo(long min, long max) {
        return new ValueRule("a power of two from " + min + " to " + max, text -> {
            Long value = parseLong(text.trim());
            return value == null || value < min || value > max || Long.bitCount(value) != 1 ? null : Long.toString(value);
        });
    }

    /**
     * One of the given words, case-insensitive. A word's position is also its numeric code, which is how SQLite
     * reads some pragmas back (temp_store=MEMORY reads back as 2), so the code is accepted too.
     */
    static ValueRule oneOf(String... words) {
        return new ValueRule("one of " + String.join(", ", words), text -> {
            String word = word(text.trim(), words);
            if (word != null) {
                return word;
            }
            Long code = parseLong(text.trim());
            return code != null && code >= 0 && code < words.length ? words[code.intValue()] : null;
        });
    }

    /**
     * One of the given words, case-insensitive, and nothing else: for pragmas SQLite reads back by name, where a
     * number is no spelling of a value (SQLite would take journal_mode=1 as a request it does not document).
     */
    static ValueRule names(String... words) {
        return new ValueRule("one of " + String.join(", ", words), text -> word(text.trim(), words));
    }

    static ValueRule bool() {
        return oneOf("false", "true");
    }

    /** One of the given words, case-insensitive, written as the SQL string literal SQLite expects ('UTF-8'). */
    static ValueRule quotedName(String... words) {
        return new ValueRule("one of " + String.join(", ", words), text -> {
            String word = word(unquote(text.trim()), words);
            return word == null ? null : sqlString(word);
        });
    }

    /**
     * Text a check accepts, kept exactly as given (a password keeps its spaces).
     * Only for values sqlite-jdbc reads in Java or quotes itself.
     */
    static ValueRule text(String accepted, Predicate<String> valid) {
        return new ValueRule(accepted, text -> valid.test(text) ? text : null);
    }

    /**
     * Text a check accepts, turned into an SQL string literal so that sqlite-jdbc, which writes the value into a
     * PRAGMA as it is, receives one literal however the text is quoted. A value already in quotes is unquoted first.
     */
    static ValueRule sqlStringOf(String accepted, Predicate<String> valid) {
        return new ValueRule(accepted, text -> {
            String plain = unquote(text.trim());
            return valid.test(plain) ? sqlString(plain) : null;
        });
    }

    /** Either rule: the first that accepts the text gives its canonical form. */
    static ValueRule anyOf(ValueRule first, ValueRule second) {
        return new ValueRule(first.accepted + " or " + second.accepted, text -> {
            String canonical = first.canonical(text);
            return canonical != null ? canonical : second.canonical(text);
        });
    }

    /** The canonical form of {@code text}, or null when the rule does not accept it. */
    String canonical(String text) {
        return canonicalizer.apply(text);
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
