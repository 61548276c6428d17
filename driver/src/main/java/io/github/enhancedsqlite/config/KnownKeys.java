package io.github.enhancedsqlite.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sqlite.SQLiteConfig;
import org.sqlite.date.FastDateFormat;

/**
 * Every key a URL may carry besides ours: sqlite-jdbc's own (passed through to it) and SQLite's URI
 * parameters (left in a {@code file:} URI). Knowing them all is what lets an unknown key be an error:
 * sqlite-jdbc itself would quietly make an unknown key part of the file name.
 */
final class KnownKeys {

    /** sqlite-jdbc's keys mapped to the values it lists for them (null: free text), for getPropertyInfo. Ours take precedence. */
    static final Map<String, String[]> SQLITE_JDBC = sqliteJdbcKeys();

    /**
     * How each of sqlite-jdbc's keys is checked. sqlite-jdbc writes most of them into {@code pragma key=value} as
     * given and parses the rest with Integer.parseInt, Boolean.parseBoolean or a date pattern parser, so an
     * unchecked value is SQL injected into a PRAGMA, a value SQLite reads otherwise than meant (journal_mode=1),
     * or an IllegalArgumentException instead of an SQLException.
     */
    private static final Map<String, ValueRule> SQLITE_JDBC_RULES = sqliteJdbcRules();

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

    /**
     * The rule for one of sqlite-jdbc's keys. A key a later sqlite-jdbc adds gets the strictest reading of what it
     * lists (its words, or an integer), which a test notices so it gets a rule of its own.
     */
    static ValueRule sqliteJdbcRule(String key) {
        ValueRule rule = SQLITE_JDBC_RULES.get(key);
        if (rule != null) {
            return rule;
        }
        String[] choices = SQLITE_JDBC.get(key);
        return choices != null ? ValueRule.names(choices) : ValueRule.integer(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Whether {@link #sqliteJdbcRule} has a rule written for this key rather than a guess from its choices. */
    static boolean hasOwnRule(String key) {
        return SQLITE_JDBC_RULES.containsKey(key);
    }

    private static Map<String, ValueRule> sqliteJdbcRules() {
        Map<String, ValueRule> rules = new HashMap<>();
        ValueRule bool = ValueRule.bool();
        for (String key : List.of("shared_cache", "enable_load_extension", "automatic_index", "case_sensitive_like",
                "count_changes", "defer_foreign_keys", "empty_result_callback", "foreign_keys", "full_column_names",
                "fullsync", "legacy_alter_table", "legacy_file_format", "read_uncommitted", "recursive_triggers",
                "reverse_unordered_selects", "short_column_names", "jdbc.explicit_readonly",
                "jdbc.get_generated_keys")) {
            rules.put(key, bool);
        }
        ValueRule int32 = ValueRule.integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
        ValueRule count = ValueRule.integer(0, Integer.MAX_VALUE);
        for (String key : List.of("limit_length", "limit_sql_length", "limit_column", "limit_expr_depth",
                "limit_compound_select", "limit_vdbe_op", "limit_function_arg", "limit_attached",
                "limit_like_pattern_length", "limit_variable_number", "limit_trigger_depth", "limit_worker_threads",
                "limit_page_count")) {
            rules.put(key, count);
        }
        // SQLite's open flags as sqlite-jdbc parses them: a decimal int (e.g. 6, READWRITE | CREATE)
        rules.put("open_mode", count);
        rules.put("cache_spill", ValueRule.anyOf(bool, count));
        rules.put("default_cache_size", int32);
        rules.put("incremental_vacuum", count);
        rules.put("max_page_count", ValueRule.integer(0, 4_294_967_294L));
        rules.put("user_version", int32);
        rules.put("application_id", int32);
        rules.put("encoding", ValueRule.quotedName("UTF-8", "UTF-16", "UTF-16le", "UTF-16be"));
        rules.put("locking_mode", ValueRule.names("NORMAL", "EXCLUSIVE"));
        rules.put("secure_delete", ValueRule.anyOf(bool, ValueRule.names("fast")));
        rules.put("temp_store_directory", ValueRule.sqlStringOf("the path of an existing directory",
                KnownKeys::isDirectory));
        rules.put("date_precision", ValueRule.names("SECONDS", "MILLISECONDS"));
        rules.put("date_class", ValueRule.names("INTEGER", "TEXT", "REAL"));
        rules.put("date_string_format", ValueRule.text("a date pattern as java.text.SimpleDateFormat writes it,"
                + " e.g. yyyy-MM-dd HH:mm:ss.SSS", KnownKeys::isDatePattern));
        rules.put("hexkey_mode", ValueRule.names("NONE", "SSE", "SQLCIPHER"));
        // sqlite-jdbc quotes it itself, and only an encrypting SQLite build reads it
        rules.put("password", ValueRule.text("any text", text -> true));
        return Collections.unmodifiableMap(rules);
    }

    private static boolean isDirectory(String path) {
        try {
            return !path.isEmpty() && Files.isDirectory(Path.of(path));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** Parsed by the same class sqlite-jdbc parses it with, so what passes here cannot fail there. */
    private static boolean isDatePattern(String pattern) {
        try {
            FastDateFormat.getInstance(pattern);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
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
