package io.github.enhancedsqlite.compress;

import io.github.enhancedsqlite.sql.SqlLexer;
import java.util.ArrayList;
import java.util.List;

/**
 * A table's and its indexes' CREATE text (as {@code sqlite_schema} keeps it: {@code CREATE TABLE name …}, schema
 * and IF NOT EXISTS removed) restated for a copy in the temp schema ({@link ShadowTables}). Foreign keys are left
 * out: SQLite looks a temp table's parent up in the temp schema, so with {@code foreign_keys} on filling the copy
 * would fail, and a copy that is only read needs none.
 */
final class TableText {

    private TableText() {
    }

    /** {@code CREATE TEMP TABLE <name>} and the rest of the table's text, its foreign keys left out. */
    static String asTemporary(String createTable, String quotedName) {
        SqlLexer lexer = new SqlLexer(createTable);
        lexer.next(); // CREATE
        lexer.next(); // TABLE
        lexer.next(); // the name
        return "CREATE TEMP TABLE " + quotedName + withoutForeignKeys(createTable.substring(lexer.end()));
    }

    /** {@code CREATE [UNIQUE] INDEX temp.<name> …}: the same index on the copy, under the same name. */
    static String indexInTemp(String createIndex) {
        SqlLexer lexer = atIndexName(createIndex);
        return createIndex.substring(0, lexer.start()) + "temp." + createIndex.substring(lexer.start());
    }

    /** A lexer on the name of {@code CREATE [UNIQUE] INDEX name …}. */
    private static SqlLexer atIndexName(String createIndex) {
        SqlLexer lexer = new SqlLexer(createIndex);
        lexer.next(); // CREATE
        lexer.next(); // UNIQUE or INDEX
        if (lexer.isWord("UNIQUE")) {
            lexer.next();
        }
        lexer.next(); // the name
        return lexer;
    }

    /**
     * {@code CREATE [UNIQUE] INDEX temp.<renamed> ON <renamed table> …}: the same index on a copy made under another
     * name, its own name renamed likewise, so that it cannot meet an index of the same name in the temp schema.
     */
    static String indexOnCopy(String createIndex, java.util.function.UnaryOperator<String> rename) {
        SqlLexer lexer = atIndexName(createIndex);
        int nameStart = lexer.start();
        int nameEnd = lexer.end();
        String name = lexer.name();
        lexer.next(); // ON
        lexer.next(); // the table
        return createIndex.substring(0, nameStart) + "temp." + SqlNames.quote(rename.apply(name))
                + createIndex.substring(nameEnd, lexer.start()) + SqlNames.quote(rename.apply(lexer.name()))
                + createIndex.substring(lexer.end());
    }

    /**
     * The column and constraint list without its foreign-key clauses: a column's {@code [CONSTRAINT n] REFERENCES …}
     * and a table's {@code , [CONSTRAINT n] FOREIGN KEY (…) REFERENCES …}; every other constraint (a COLLATE after a
     * REFERENCES included) stays.
     */
    static String withoutForeignKeys(String definition) {
        List<int[]> tokens = new ArrayList<>(); // start, end, depth before the token
        SqlLexer lexer = new SqlLexer(definition);
        int depth = 0;
        for (SqlLexer.Kind kind = lexer.next(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
            tokens.add(new int[] {lexer.start(), lexer.end(), depth});
            if (lexer.is("(")) {
                depth++;
            } else if (lexer.is(")")) {
                depth--;
            }
        }
        StringBuilder kept = new StringBuilder();
        int copiedTo = 0;
        for (int i = 0; i < tokens.size(); i++) {
            int[] token = tokens.get(i);
            if (token[2] != 1 || !(word(definition, token, "REFERENCES") || word(definition, token, "FOREIGN"))) {
                continue;
            }
            int from = i;
            if (word(definition, token, "FOREIGN")) {
                from = constraintName(definition, tokens, from);
                if (from > 0 && text(definition, tokens.get(from - 1)).equals(",")) {
                    from--; // the comma before a table constraint goes with it
                }
                i += 2; // FOREIGN KEY
                i = skipGroup(definition, tokens, i); // (columns)
                i++; // REFERENCES
            } else {
                from = constraintName(definition, tokens, from);
            }
            i = foreignKeyClauseEnd(definition, tokens, i);
            kept.append(definition, copiedTo, tokens.get(from)[0]);
            copiedTo = tokens.get(Math.min(i, tokens.size() - 1))[1];
        }
        return kept.append(definition.substring(copiedTo)).toString();
    }

    /** The index of the first token of {@code CONSTRAINT name} right before {@code at}, or {@code at}. */
    private static int constraintName(String sql, List<int[]> tokens, int at) {
        return at >= 2 && word(sql, tokens.get(at - 2), "CONSTRAINT") ? at - 2 : at;
    }

    /**
     * From the REFERENCES token at {@code at}: the index of the clause's last token — the parent, its columns, ON
     * DELETE/UPDATE actions, MATCH, [NOT] DEFERRABLE and INITIALLY.
     */
    private static int foreignKeyClauseEnd(String sql, List<int[]> tokens, int at) {
        int i = at + 1; // the parent table
        if (i + 1 < tokens.size() && text(sql, tokens.get(i + 1)).equals("(")) {
            i = skipGroup(sql, tokens, i + 1);
        }
        while (i + 1 < tokens.size()) {
            int[] next = tokens.get(i + 1);
            if (word(sql, next, "ON")) {
                i += 2; // ON DELETE|UPDATE
                int[] action = tokens.get(Math.min(i + 1, tokens.size() - 1));
                i += word(sql, action, "SET") || word(sql, action, "NO") ? 2 : 1;
            } else if (word(sql, next, "MATCH") || word(sql, next, "INITIALLY")) {
                i += 2;
            } else if (word(sql, next, "DEFERRABLE")) {
                i += 1;
            } else if (word(sql, next, "NOT") && i + 2 < tokens.size() && word(sql, tokens.get(i + 2), "DEFERRABLE")) {
                i += 2;
            } else {
                break;
            }
        }
        return Math.min(i, tokens.size() - 1);
    }

    /** From the "(" at {@code open}: the index of its matching ")". */
    private static int skipGroup(String sql, List<int[]> tokens, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            String text = text(sql, tokens.get(i));
            if (text.equals("(")) {
                depth++;
            } else if (text.equals(")") && --depth == 0) {
                return i;
            }
        }
        return tokens.size() - 1;
    }

    private static boolean word(String sql, int[] token, String word) {
        return token[1] - token[0] == word.length() && sql.regionMatches(true, token[0], word, 0, word.length());
    }

    private static String text(String sql, int[] token) {
        return sql.substring(token[0], token[1]);
    }
}
