package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.exec.StatementEffects;

/**
 * Reads the leading keywords of a SQL string to tell what running it does to the connection: whether it may
 * write (and so must wait for the database's writer turn), whether it opens or ends a transaction by hand, and
 * whether it changes per-connection state that closing a pooled connection cannot reset (a pragma set, ATTACH,
 * DETACH, a temporary object; such a connection is evicted on close). Allocates nothing: it runs on every
 * statement. When in doubt it answers "writes", which only costs waiting for a turn.
 */
final class SqlInspector {

    /** The statement changes session state we cannot reset: evict the connection on close. */
    static final int ALTERS_SESSION = StatementEffects.ALTERS_SESSION;
    /** BEGIN or SAVEPOINT: may open a transaction by hand. */
    static final int OPENS_TRANSACTION = StatementEffects.OPENS_TRANSACTION;
    /** COMMIT, END or ROLLBACK (not ROLLBACK TO): ends a transaction opened by hand. */
    static final int ENDS_TRANSACTION = StatementEffects.ENDS_TRANSACTION;
    /** The statement may write to the database. */
    static final int WRITES = StatementEffects.WRITES;
    /** CREATE, ALTER or DROP: what is known of the schema is stale once it runs. */
    static final int CHANGES_SCHEMA = StatementEffects.CHANGES_SCHEMA;
    /** RELEASE: may end a transaction its outermost SAVEPOINT opened. */
    static final int RELEASES_SAVEPOINT = StatementEffects.RELEASES_SAVEPOINT;

    /** Pragmas that only report or act on the file; calling them with an argument changes no session state. */
    private static final String[] HARMLESS_PRAGMAS = {
        "table_info", "table_xinfo", "table_list", "index_info", "index_xinfo", "index_list", "foreign_key_list",
        "foreign_key_check", "integrity_check", "quick_check", "wal_checkpoint", "optimize", "incremental_vacuum",
        "database_list", "collation_list", "function_list", "module_list", "pragma_list", "compile_options",
        "shrink_memory"
    };
    private static final String[] DATA_CHANGING_WORDS = {"INSERT", "UPDATE", "DELETE", "REPLACE"};

    private SqlInspector() {
    }

    static int inspect(String sql) {
        if (sql == null) {
            return 0;
        }
        int start = skipSpaceAndComments(sql, 0);
        if (startsWithWord(sql, start, "SELECT") || startsWithWord(sql, start, "VALUES")
                || startsWithWord(sql, start, "EXPLAIN")) {
            return 0;
        }
        if (startsWithWord(sql, start, "WITH")) {
            return containsWord(sql, start + 4, DATA_CHANGING_WORDS) ? WRITES : 0;
        }
        if (startsWithWord(sql, start, "PRAGMA")) {
            return pragmaAltersSession(sql, start + 6) ? ALTERS_SESSION | WRITES : 0;
        }
        if (startsWithWord(sql, start, "ATTACH") || startsWithWord(sql, start, "DETACH")) {
            return ALTERS_SESSION;
        }
        if (startsWithWord(sql, start, "CREATE")) {
            return (createsTemporaryObject(sql, start + 6) ? ALTERS_SESSION : 0) | WRITES | CHANGES_SCHEMA;
        }
        if (startsWithWord(sql, start, "ALTER") || startsWithWord(sql, start, "DROP")) {
            return WRITES | CHANGES_SCHEMA;
        }
        if (startsWithWord(sql, start, "BEGIN") || startsWithWord(sql, start, "SAVEPOINT")) {
            return OPENS_TRANSACTION;
        }
        if (startsWithWord(sql, start, "COMMIT") || startsWithWord(sql, start, "END")) {
            return ENDS_TRANSACTION;
        }
        if (startsWithWord(sql, start, "ROLLBACK")) {
            return containsWord(sql, start + 8, new String[] {"TO"}) ? 0 : ENDS_TRANSACTION;
        }
        if (startsWithWord(sql, start, "RELEASE")) {
            return RELEASES_SAVEPOINT;
        }
        return WRITES;
    }

    /** Whether one of the words occurs as a whole word, outside quotes, after {@code from}. */
    private static boolean containsWord(String sql, int from, String[] words) {
        char closingQuote = 0;
        for (int i = from; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (closingQuote != 0) {
                if (c == closingQuote) {
                    closingQuote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                closingQuote = c;
            } else if (c == '[') {
                closingQuote = ']';
            } else if (isWordChar(c) && !isWordChar(sql.charAt(i - 1))) {
                for (String word : words) {
                    if (startsWithWord(sql, i, word)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** A pragma with '=' always sets; one with '(' sets unless it is a reporting pragma. */
    private static boolean pragmaAltersSession(String sql, int from) {
        int nameStart = skipSpaceAndComments(sql, from);
        int nameEnd = wordEnd(sql, nameStart);
        if (nameEnd < sql.length() && sql.charAt(nameEnd) == '.') {
            nameStart = nameEnd + 1;
            nameEnd = wordEnd(sql, nameStart);
        }
        int next = skipSpaceAndComments(sql, nameEnd);
        if (next >= sql.length() || sql.charAt(next) == ';') {
            return false;
        }
        if (sql.charAt(next) == '(') {
            for (String harmless : HARMLESS_PRAGMAS) {
                if (nameEnd - nameStart == harmless.length()
                        && sql.regionMatches(true, nameStart, harmless, 0, harmless.length())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** CREATE TEMP/TEMPORARY ..., or an object created in the temp schema by name ("temp.x"). */
    private static boolean createsTemporaryObject(String sql, int from) {
        int next = skipSpaceAndComments(sql, from);
        if (startsWithWord(sql, next, "TEMP") || startsWithWord(sql, next, "TEMPORARY")) {
            return true;
        }
        for (int i = next; i + 5 <= sql.length(); i++) {
            if (sql.regionMatches(true, i, "temp.", 0, 5) && (i == 0 || !isWordChar(sql.charAt(i - 1)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithWord(String sql, int at, String word) {
        int end = at + word.length();
        return sql.regionMatches(true, at, word, 0, word.length()) && (end >= sql.length() || !isWordChar(sql.charAt(end)));
    }

    private static int wordEnd(String sql, int at) {
        int i = at;
        while (i < sql.length() && isWordChar(sql.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '"' || c == '`' || c == '[' || c == ']';
    }

    private static int skipSpaceAndComments(String sql, int from) {
        int i = from;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                int newline = sql.indexOf('\n', i);
                i = newline < 0 ? sql.length() : newline + 1;
            } else if (c == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
            } else {
                return i;
            }
        }
        return i;
    }
}
