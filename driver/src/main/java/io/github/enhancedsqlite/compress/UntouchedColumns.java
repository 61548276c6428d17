package io.github.enhancedsqlite.compress;

import io.github.enhancedsqlite.sql.SqlLexer;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;

/**
 * Statements that can neither read nor write a column that may hold compressed values, told from their tokens alone,
 * so that they run as written without being parsed. Such a statement needs no rewrite, and parsing it could cost far
 * more than running it: JSqlParser's time grows exponentially with nested parentheses (sqllogictest's WHERE clauses of
 * ten nested AND/OR groups, on a table that merely has a TEXT column, took it minutes each).
 *
 * <p>A statement qualifies when no word of it names such a column of a table it names, and it reads no column without
 * naming it: no {@code *} or {@code t.*}, no NATURAL join, no {@code x IN t}, and no INSERT or REPLACE (whose column
 * list may be left out). Anything in doubt is the rewriter's.
 */
final class UntouchedColumns {

    private UntouchedColumns() {
    }

    /**
     * @param words  the statement's words, lower-case ({@code main.t} gives {@code main} and {@code t})
     * @param tables the tables of interest among them
     */
    static boolean cannotTouch(String sql, Set<String> words, Set<String> tables, SqlRewriter.Catalogue catalogue)
            throws SQLException {
        if (words.contains("insert") || words.contains("replace") || words.contains("natural")) {
            return false;
        }
        for (String name : tables) {
            TableInfo table = catalogue.table(name);
            for (String column : table.columns()) {
                if (mentioned(column, words) && catalogue.mayHoldCompressed(new ColumnRef(table.name(), column))) {
                    return false;
                }
            }
        }
        return !readsUnnamedColumns(sql);
    }

    /**
     * Whether the words may name the column. The words are split at every character but ASCII letters, digits and
     * '_', so a name with any other character in it always may.
     */
    private static boolean mentioned(String column, Set<String> words) {
        for (int i = 0; i < column.length(); i++) {
            char c = column.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return true;
            }
        }
        return words.contains(column.toLowerCase(Locale.ROOT));
    }

    /** A star ({@code *}, {@code t.*}; not {@code count(*)}), or {@code IN} followed by a table name. */
    private static boolean readsUnnamedColumns(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        boolean starMayFollow = false; // after SELECT, DISTINCT, ALL, RETURNING, ',' or '.'
        boolean afterOpening = false;
        boolean afterIn = false;
        for (SqlLexer.Kind kind = lexer.next(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
            boolean operator = kind == SqlLexer.Kind.OPERATOR;
            if (afterIn && !(operator && lexer.is("("))) {
                return true;
            }
            if (operator && lexer.is("*")) {
                if (starMayFollow) {
                    return true;
                }
                if (afterOpening) {
                    int after = SqlLexer.skipSpaceAndComments(sql, lexer.end());
                    if (after >= sql.length() || sql.charAt(after) != ')') {
                        return true;
                    }
                }
            }
            boolean word = kind == SqlLexer.Kind.WORD;
            afterIn = word && lexer.isWord("in");
            afterOpening = operator && lexer.is("(");
            starMayFollow = (operator && (lexer.is(",") || lexer.is(".")))
                    || (word && (lexer.isWord("select") || lexer.isWord("distinct") || lexer.isWord("all")
                            || lexer.isWord("returning")));
        }
        return afterIn;
    }
}
