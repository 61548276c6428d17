package io.github.enhancedsqlite.compress;

import io.github.enhancedsqlite.sql.SqlLexer;
import io.github.enhancedsqlite.sql.SqlLexer.Kind;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads of SQLite's own listings of a schema — {@code sqlite_master} (also spelt {@code sqlite_schema}, and their
 * temp twins), {@code pragma_table_list} and {@code PRAGMA table_list}, the statistics ANALYZE keeps in
 * {@code sqlite_stat1} and {@code sqlite_stat4}, and {@code sqlite_sequence} — without the driver's own tables, so a
 * statement that lists tables answers as with compress=off: a test suite that drops every table it finds, or a tool
 * that compares the schema with its model, never meets {@code _enhanced_sqlite_columns}. Each read of a listing in a
 * FROM clause becomes a subquery of the same name that leaves those rows out; its columns are the listing's, so
 * {@code *}, {@code m.name} and {@code sqlite_master.name} read as before.
 *
 * <p>Left as written, so the driver's tables show there: writes to the listing (with {@code writable_schema}), DDL
 * (a view's text is stored as written, so a view over a listing shows them), statements that name a rowid (a
 * subquery has none), that call the table-valued function with arguments (it then names a table or a schema) or
 * that define a common table under a listing's name.
 */
final class SchemaListings {

    /** Each listing, by the column that names the table a row is about. */
    private static final Map<String, String> LISTINGS = Map.of("sqlite_master", "tbl_name", "sqlite_schema",
            "tbl_name", "sqlite_temp_master", "tbl_name", "sqlite_temp_schema", "tbl_name", "pragma_table_list", "name",
            "sqlite_stat1", "tbl", "sqlite_stat4", "tbl", "sqlite_sequence", "name");
    private static final Set<String> ROWID_NAMES = Set.of("rowid", "oid", "_rowid_");
    /** Words after a table in a FROM clause that begin the next part of the statement rather than name an alias. */
    private static final Set<String> NOT_AN_ALIAS = Set.of("where", "join", "on", "using", "left", "right", "inner",
            "cross", "natural", "full", "outer", "group", "order", "limit", "union", "except", "intersect", "window",
            "having", "returning", "set", "values", "from", "select", "indexed", "not", "and", "or", "then", "else",
            "end", "when", "as", "offset", "collate", "do", "default");

    private SchemaListings() {
    }

    /** The statement with its reads of schema listings leaving the driver's tables out; {@code sql} itself if none. */
    static String withoutOwnTables(String sql) {
        if (!mayNameAListing(sql)) {
            return sql;
        }
        SqlLexer lexer = new SqlLexer(sql);
        if (lexer.next() != Kind.WORD || lexer.isWord("CREATE")) {
            return sql;
        }
        if (lexer.isWord("PRAGMA")) {
            return isPragmaTableList(lexer) ? "SELECT * FROM pragma_table_list" + withoutOwn("name") : sql;
        }
        StringBuilder edited = null;
        int copiedUpTo = 0;
        // the two tokens before the current one, and the one before those: what a listing's name follows decides
        // whether it is read (FROM, JOIN, a comma) or written (UPDATE, INTO, DELETE FROM)
        Token before = Token.NONE;
        Token beforeThat = Token.NONE;
        Token third = Token.NONE;
        for (Kind kind = lexer.kind(); kind != Kind.END; kind = lexer.next()) {
            if ((kind == Kind.WORD || kind == Kind.NAME)
                    && ROWID_NAMES.contains(lexer.name().toLowerCase(Locale.ROOT))) {
                return sql; // a subquery has no rowid
            }
            Token current = new Token(kind, lexer.start(), lexer.end(), lexer.text());
            String tableColumn = kind == Kind.WORD || kind == Kind.NAME
                    ? LISTINGS.get(lexer.name().toLowerCase(Locale.ROOT)) : null;
            if (tableColumn != null) {
                boolean qualified = before.is(".") && (beforeThat.kind == Kind.WORD || beforeThat.kind == Kind.NAME);
                Token opener = qualified ? third : before;
                Token openerBefore = qualified ? Token.NONE : beforeThat;
                int start = qualified ? beforeThat.start : current.start;
                SqlLexer ahead = new SqlLexer(sql, current.end);
                Kind next = ahead.next();
                if (ahead.is("(") || namesCommonTable(sql, ahead)) {
                    return sql; // a common table of that name (which the later reads mean), or the function's arguments
                }
                if (reads(opener, openerBefore) && !ahead.is(".") && !ahead.isWord("INDEXED") && !ahead.isWord("NOT")) {
                    if (edited == null) {
                        edited = new StringBuilder(sql.length() + 96);
                    }
                    edited.append(sql, copiedUpTo, start).append("(SELECT * FROM ").append(sql, start, current.end)
                            .append(withoutOwn(tableColumn)).append(')');
                    if (!namesAlias(ahead, next)) {
                        edited.append(" AS ").append(current.text);
                    }
                    copiedUpTo = current.end;
                }
            }
            third = beforeThat;
            beforeThat = before;
            before = current;
        }
        if (edited == null) {
            return sql;
        }
        return edited.append(sql, copiedUpTo, sql.length()).toString();
    }

    /** A cheap look for the words before lexing: most statements name no listing. */
    private static boolean mayNameAListing(String sql) {
        for (int i = sql.indexOf('_'); i >= 0; i = sql.indexOf('_', i + 1)) {
            if (i >= 6 && sql.regionMatches(true, i - 6, "sqlite_", 0, 7)
                    || i >= 6 && sql.regionMatches(true, i - 6, "pragma_", 0, 7)
                    || i >= 5 && sql.regionMatches(true, i - 5, "table_list", 0, 10)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The condition that leaves the driver's tables out of a listing's rows, by the column naming a row's table: in
     * the schema table {@code tbl_name}, so their indexes go too.
     */
    private static String withoutOwn(String tableColumn) {
        return " WHERE NOT (" + StoredFormat.ownTable(tableColumn) + ")";
    }

    /** {@code PRAGMA table_list} with no schema and no argument, the lexer past PRAGMA. */
    private static boolean isPragmaTableList(SqlLexer lexer) {
        if (lexer.next() != Kind.WORD || !lexer.isWord("table_list")) {
            return false;
        }
        Kind next = lexer.next();
        return next == Kind.END || lexer.is(";") && lexer.next() == Kind.END;
    }

    /** Whether the listing named after {@code opener} is read: a table of a FROM clause, not a write's target. */
    private static boolean reads(Token opener, Token openerBefore) {
        if (opener.isWord("JOIN") || opener.is(",")) {
            return true;
        }
        return opener.isWord("FROM") && !openerBefore.isWord("DELETE");
    }

    /** Whether the listing's name defines a common table ({@code , sqlite_master AS (…)}) rather than reads one. */
    private static boolean namesCommonTable(String sql, SqlLexer ahead) {
        if (!ahead.isWord("AS")) {
            return false;
        }
        SqlLexer after = new SqlLexer(sql, ahead.end());
        after.next();
        return after.is("(") || after.isWord("NOT") || after.isWord("MATERIALIZED");
    }

    /** Whether the token after the listing (already read by {@code ahead}) is an alias the statement gives it. */
    private static boolean namesAlias(SqlLexer ahead, Kind next) {
        if (next == Kind.NAME) {
            return true;
        }
        if (next != Kind.WORD) {
            return false;
        }
        return ahead.isWord("AS") || !NOT_AN_ALIAS.contains(ahead.text().toLowerCase(Locale.ROOT));
    }

    /** A token already passed: enough of it to decide what follows it. */
    private record Token(Kind kind, int start, int end, String text) {

        static final Token NONE = new Token(Kind.END, 0, 0, "");

        boolean is(String operator) {
            return kind == Kind.OPERATOR && text.equals(operator);
        }

        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }
    }
}
