package io.github.enhancedsqlite.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sqlite.SQLiteConfig;

/**
 * Every key a URL may carry besides ours: sqlite-jdbc's own (passed through to it) and SQLite's URI
 * parameters (left in a {@code file:} URI). Knowing them all is what lets an unknown key be an error:
 * sqlite-jdbc itself would quietly make an unknown key part of the file name.
 */
final class KnownKeys {

    /** sqlite-jdbc's keys mapped to the values it accepts (null: free text). Ours take precedence. */
    static final Map<String, String[]> SQLITE_JDBC = sqliteJdbcKeys();

    /** Query parameters SQLite itself reads from a {@code file:} URI. */
    static final List<String> SQLITE_URI = List.of("vfs", "mode", "cache", "psow", "nolock", "immutable", "modeof");

    private KnownKeys() {
    }

    private static Map<String, String[]> sqliteJdbcKeys() {
        Map<String, String[]> keys = new HashMap<>();
        for (SQLiteConfig.Pragma pragma : SQLiteConfig.Pragma.values()) {
            if (Pragma.forKey(pragma.pragmaName) == null && Setting.forKey(pragma.pragmaName) == null) {
                keys.put(pragma.pragmaName, pragma.choices);
            }
        }
        return Collections.unmodifiableMap(keys);
    }

    /** The known key closest to {@code unknown} by edit distance, or null when none is close enough. */
    static String nearest(String unknown, boolean uriParametersAllowed) {
        List<String> candidates = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            candidates.add(setting.key());
        }
        for (Pragma pragma : Pragma.values()) {
            candidates.add(pragma.key());
        }
        candidates.addAll(SQLITE_JDBC.keySet());
        if (uriParametersAllowed) {
            candidates.addAll(SQLITE_URI);
        }
        Collections.sort(candidates);
        String lower = unknown.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = editDistance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // half the length still catches abbreviations (maxPoolSize for maximumPoolSize) without wild guesses
        return bestDistance <= Math.max(2, unknown.length() / 2) ? best : null;
    }

    /** Levenshtein distance, two rows at a time. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
