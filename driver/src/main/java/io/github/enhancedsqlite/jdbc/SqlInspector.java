package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.exec.StatementEffects;
import io.github.enhancedsqlite.sql.SqlLexer;

/**
 * Reads the leading keywords of a SQL string to tell what running it does to the connection: whether it may
 * write (and so must wait for the database's writer turn), whether it opens or ends a transaction by hand, and
 * whether it changes per-connection state that closing a pooled connection cannot reset (a pragma set, ATTACH,
 * DETACH, a temporary object; such a connection is evicted on close). Reads the statement with the driver's one
 * lexer, a cursor that allocates no token objects: it runs on every statement. When in doubt it answers "writes", which only costs waiting for a turn.
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
    /** sqlite-jdbc's own {@code restore [db] from FILE}: the content is replaced, what was known of it is stale. */
    static final int REPLACES_CONTENT = StatementEffects.REPLACES_CONTENT;

    /** Pragmas that only report or act on the file; calling them with an argument changes no session state. */
    private static final String[] HARMLESS_PRAGMAS = {
        "table_info", "table_xinfo", "table_list", "index_info", "index_xinfo", "index_list", "foreign_key_list",
        "foreign_key_check", "integrity_check", "quick_check", "wal_checkpoint", "optimize", "incremental_vacuum",
        "database_list", "collation_list", "function_list", "module_list", "pragma_list", "compile_options",
        "shrink_memory"
    };
    /**
     * Pragmas that write the database (ANALYZE's statistics, pages given back): they take the writer turn like any
     * write, and a transaction they begin is a writer's, never a reader's.
     */
    private static final String[] DATABASE_WRITING_PRAGMAS = {"optimize", "incremental_vacuum"};
    private static final String[] DATA_CHANGING_WORDS = {"INSERT", "UPDATE", "DELETE", "REPLACE"};
    private static final String[] ROLLBACK_TO = {"TO"};

    private SqlInspector() {
    }

    static int inspect(String sql) {
        if (sql == null || startsWithSelect(sql)) {
            return 0;
        }
        SqlLexer lexer = new SqlLexer(sql);
        lexer.next();
        if (lexer.isWord("SELECT") || lexer.isWord("VALUES") || lexer.isWord("EXPLAIN")) {
            return 0;
        }
        if (lexer.isWord("WITH")) {
            return containsWord(lexer, DATA_CHANGING_WORDS) ? WRITES : 0;
        }
        if (lexer.isWord("PRAGMA")) {
            return pragmaEffects(lexer);
        }
        if (lexer.isWord("ATTACH") || lexer.isWord("DETACH")) {
            return ALTERS_SESSION;
        }
        if (lexer.isWord("CREATE")) {
            return (createsTemporaryObject(lexer) ? ALTERS_SESSION : 0) | WRITES | CHANGES_SCHEMA;
        }
        if (lexer.isWord("ALTER") || lexer.isWord("DROP")) {
            return WRITES | CHANGES_SCHEMA;
        }
        if (lexer.isWord("BEGIN") || lexer.isWord("SAVEPOINT")) {
            return OPENS_TRANSACTION;
        }
        if (lexer.isWord("COMMIT") || lexer.isWord("END")) {
            return ENDS_TRANSACTION;
        }
        if (lexer.isWord("ROLLBACK")) {
            return containsWord(lexer, ROLLBACK_TO) ? 0 : ENDS_TRANSACTION;
        }
        if (lexer.isWord("RELEASE")) {
            return RELEASES_SAVEPOINT;
        }
        if (lexer.isWord("RESTORE")) {
            return WRITES | CHANGES_SCHEMA | REPLACES_CONTENT;
        }
        return WRITES;
    }

    /** Whether one of the words follows as a bare word (quoted text and names are not words). */
    /**
     * The common case read without a lexer (no allocation for a point read prepared per request): SELECT first,
     * after white space only, and followed by something that ends the word.
     */
    private static boolean startsWithSelect(String sql) {
        int i = 0;
        int length = sql.length();
        while (i < length && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        return sql.regionMatches(true, i, "SELECT", 0, 6)
                && (i + 6 == length || !Character.isLetterOrDigit(sql.charAt(i + 6)) && sql.charAt(i + 6) != '_'
                && sql.charAt(i + 6) != '$');
    }

    private static boolean containsWord(SqlLexer lexer, String[] words) {
        while (lexer.next() != SqlLexer.Kind.END) {
            for (String word : words) {
                if (lexer.isWord(word)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A pragma with '=' always sets session state; one with '(' sets it unless it is a reporting pragma. Either way,
     * optimize and incremental_vacuum write the database.
     */
    private static int pragmaEffects(SqlLexer lexer) {
        lexer.next(); // the pragma's name, or its schema's
        boolean reports = isOneOf(lexer, HARMLESS_PRAGMAS);
        boolean writesDatabase = isOneOf(lexer, DATABASE_WRITING_PRAGMAS);
        if (lexer.next() == SqlLexer.Kind.OPERATOR && lexer.is(".")) {
            lexer.next();
            reports = isOneOf(lexer, HARMLESS_PRAGMAS);
            writesDatabase = isOneOf(lexer, DATABASE_WRITING_PRAGMAS);
            lexer.next();
        }
        int writes = writesDatabase ? WRITES : 0;
        if (lexer.kind() == SqlLexer.Kind.END || lexer.is(";") || (lexer.is("(") && reports)) {
            return writes;
        }
        return ALTERS_SESSION | WRITES;
    }

    private static boolean isOneOf(SqlLexer lexer, String[] words) {
        for (String word : words) {
            if (lexer.isWord(word)) {
                return true;
            }
        }
        return false;
    }

    /** CREATE TEMP/TEMPORARY ..., or an object created in the temp schema by name ("temp.x"). */
    private static boolean createsTemporaryObject(SqlLexer lexer) {
        lexer.next();
        if (lexer.isWord("TEMP") || lexer.isWord("TEMPORARY")) {
            return true;
        }
        boolean temp = false;
        do {
            if (temp && lexer.is(".")) {
                return true;
            }
            temp = lexer.names("temp");
        } while (lexer.next() != SqlLexer.Kind.END);
        return false;
    }
}
