package io.github.enhancedsqlite.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * The statements of a text that holds several, as SQLite's {@code sqlite3_exec} runs them one after the other.
 * sqlite-jdbc runs a whole text so in {@code Statement.executeUpdate(String)} (every other execute method runs its
 * first statement only); the driver must see each statement as it runs, not just the first.
 *
 * <p>A statement ends at a semicolon, except inside CREATE TRIGGER, whose body holds semicolons of its own: it ends
 * at a semicolon that follows {@code ; END}, the rule of SQLite's {@code sqlite3_complete()} (a CASE's END inside the
 * body follows no semicolon). Semicolons inside quoted text, names and comments are the lexer's to skip.
 */
public final class SqlScript {

    // sqlite3_complete()'s states after a statement began
    private static final int NORMAL = 0;
    private static final int EXPLAIN = 1;
    private static final int CREATE = 2;
    private static final int TRIGGER = 3;
    private static final int TRIGGER_SEMICOLON = 4;
    private static final int TRIGGER_END = 5;

    private SqlScript() {
    }

    /**
     * The text's statements in order, each without its semicolon; a statement of no token (two semicolons in a row, a
     * comment after the last one) is left out, as SQLite skips it. Null when the text holds one statement or none: it
     * runs as it is.
     */
    public static List<String> statements(String sql) {
        if (sql == null || sql.indexOf(';') < 0) {
            return null; // the common case, answered without a lexer
        }
        List<String> statements = new ArrayList<>();
        SqlLexer lexer = new SqlLexer(sql);
        int begin = -1;
        int end = -1;
        int state = NORMAL;
        while (lexer.next() != SqlLexer.Kind.END) {
            boolean semicolon = lexer.is(";");
            if (semicolon && state != TRIGGER && state != TRIGGER_SEMICOLON) {
                if (begin >= 0) {
                    statements.add(sql.substring(begin, end));
                    begin = -1;
                }
                continue;
            }
            if (begin < 0) {
                begin = lexer.start();
                state = lexer.isWord("EXPLAIN") ? EXPLAIN : lexer.isWord("CREATE") ? CREATE : NORMAL;
            } else {
                state = next(state, lexer, semicolon);
            }
            end = lexer.end();
        }
        if (begin >= 0) {
            statements.add(sql.substring(begin, end));
        }
        return statements.size() > 1 ? statements : null;
    }

    /** sqlite3_complete()'s transition on a token after a statement's first (white space and comments skipped). */
    private static int next(int state, SqlLexer lexer, boolean semicolon) {
        switch (state) {
            case EXPLAIN:
                // EXPLAIN QUERY PLAN CREATE TRIGGER ...: any other token keeps looking for CREATE
                return lexer.isWord("CREATE") ? CREATE : lexer.isWord("EXPLAIN") || isTemp(lexer)
                        || lexer.isWord("TRIGGER") || lexer.isWord("END") ? NORMAL : EXPLAIN;
            case CREATE:
                return isTemp(lexer) ? CREATE : lexer.isWord("TRIGGER") ? TRIGGER : NORMAL;
            case TRIGGER:
                return semicolon ? TRIGGER_SEMICOLON : TRIGGER;
            case TRIGGER_SEMICOLON:
                return semicolon ? TRIGGER_SEMICOLON : lexer.isWord("END") ? TRIGGER_END : TRIGGER;
            case TRIGGER_END:
                return TRIGGER; // the semicolon that ends the statement never gets here
            default:
                return NORMAL;
        }
    }

    private static boolean isTemp(SqlLexer lexer) {
        return lexer.isWord("TEMP") || lexer.isWord("TEMPORARY");
    }
}
