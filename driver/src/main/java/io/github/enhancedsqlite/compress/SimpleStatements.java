package io.github.enhancedsqlite.compress;

import io.github.enhancedsqlite.sql.SqlLexer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The statement shapes a short-lived process runs most, recognised with the driver's own lexer so that JSqlParser
 * (loading it and its first parse cost a fresh JVM about 0.2 s of CPU, the largest single share of a one-shot
 * hook's start) is loaded only for everything else:
 * <ul>
 * <li>{@code INSERT [OR …] INTO t (c, …) VALUES (?, …)} and {@code REPLACE INTO …}, optionally followed by
 * {@code ON CONFLICT [(k, …)] DO NOTHING} or {@code … DO UPDATE SET c = excluded.c, …} after a plain INSERT;</li>
 * <li>{@code SELECT c, … FROM t [WHERE k = ? AND …] [LIMIT ?|n]};</li>
 * <li>{@code UPDATE t SET c = ?, … [WHERE k = ? AND …]} and {@code DELETE FROM t [WHERE k = ? AND …]}.</li>
 * </ul>
 * Every name must be a column of the table, every value a bare {@code ?}, and no column compared in WHERE may hold
 * compressed values. Such a statement needs no splice — each parameter is bound straight into a column or compared
 * with a plain one, bare result columns are decoded by the getters, {@code excluded.c} copies the stored form — so
 * the result is exactly what {@link SqlRewriter} gives it (checked statement by statement against the rewriter in
 * {@code SimpleStatementsTest}). Anything else, or anything in doubt, is {@code null}: the parser's business.
 */
final class SimpleStatements {

    private final String sql;
    private final SqlRewriter.Catalogue catalogue;
    private final SqlLexer lexer;
    private TableInfo table;

    private SimpleStatements(String sql, SqlRewriter.Catalogue catalogue) {
        this.sql = sql;
        this.catalogue = catalogue;
        this.lexer = new SqlLexer(sql);
    }

    /** The statement as {@link SqlRewriter} would give it, or null when it is not one of the shapes above. */
    static RewrittenSql rewrite(String sql, SqlRewriter.Catalogue catalogue) throws SQLException {
        // the rewriter cannot follow parameter numbering beside named parameters, and escapes in SQL instead
        if (sql.indexOf(':') >= 0 || sql.indexOf('@') >= 0 || sql.indexOf('$') >= 0) {
            return null;
        }
        return new SimpleStatements(sql, catalogue).statement();
    }

    private RewrittenSql statement() throws SQLException {
        lexer.next();
        if (lexer.isWord("INSERT")) {
            lexer.next();
            if (lexer.isWord("INTO")) {
                return insert(true);
            }
            if (lexer.isWord("OR")) {
                lexer.next();
                if (!(lexer.isWord("REPLACE") || lexer.isWord("IGNORE") || lexer.isWord("ABORT")
                        || lexer.isWord("FAIL") || lexer.isWord("ROLLBACK"))) {
                    return null;
                }
                lexer.next();
            }
            return lexer.isWord("INTO") ? insert(false) : null;
        }
        if (lexer.isWord("REPLACE")) {
            lexer.next();
            return lexer.isWord("INTO") ? insert(false) : null;
        }
        if (lexer.isWord("SELECT")) {
            return select();
        }
        if (lexer.isWord("UPDATE")) {
            return update();
        }
        if (lexer.isWord("DELETE")) {
            lexer.next();
            return lexer.isWord("FROM") ? delete() : null;
        }
        return null;
    }

    /** @param upsert whether an upsert clause may follow (not after OR …, which the parser reads otherwise) */
    private RewrittenSql insert(boolean upsert) throws SQLException {
        if (!table() || !lexer.is("(")) {
            return null;
        }
        List<ColumnRef> columns = new ArrayList<>();
        do {
            lexer.next();
            ColumnRef column = column();
            if (column == null) {
                return null;
            }
            columns.add(column);
        } while (lexer.is(","));
        if (!lexer.is(")") || !nextIsWord("VALUES") || !nextIs("(")) {
            return null;
        }
        for (int i = 0; i < columns.size(); i++) {
            if (!nextIsParameter() || !nextIs(i == columns.size() - 1 ? ")" : ",")) {
                return null;
            }
        }
        lexer.next();
        if (lexer.isWord("ON") && !(upsert && onConflict())) {
            return null;
        }
        return atEnd() ? written(columns) : null;
    }

    /** {@code ON CONFLICT [(k, …)] DO NOTHING | DO UPDATE SET c = excluded.c, …}; leaves the lexer after it. */
    private boolean onConflict() throws SQLException {
        if (!nextIsWord("CONFLICT")) {
            return false;
        }
        lexer.next();
        if (lexer.is("(")) {
            do {
                lexer.next();
                if (column() == null) {
                    return false;
                }
            } while (lexer.is(","));
            if (!lexer.is(")")) {
                return false;
            }
            lexer.next();
        }
        if (!lexer.isWord("DO")) {
            return false;
        }
        lexer.next();
        if (lexer.isWord("NOTHING")) {
            lexer.next();
            return true;
        }
        if (!lexer.isWord("UPDATE") || !nextIsWord("SET")) {
            return false;
        }
        do {
            lexer.next();
            ColumnRef target = column();
            if (target == null || !lexer.is("=") || !nextIsWord("excluded") || !nextIs(".")) {
                return false;
            }
            lexer.next();
            ColumnRef source = column();
            if (!target.equals(source)) {
                return false;
            }
            // the stored form moves as it is, into the column it was bound for, which the insert records when
            // it stores an envelope there: nothing to record for the copy
        } while (lexer.is(","));
        return true;
    }

    private RewrittenSql select() throws SQLException {
        List<String> names = new ArrayList<>();
        do {
            lexer.next();
            if (lexer.kind() != SqlLexer.Kind.WORD && lexer.kind() != SqlLexer.Kind.NAME) {
                return null;
            }
            names.add(lexer.name());
            lexer.next();
        } while (lexer.is(","));
        if (!lexer.isWord("FROM") || !table()) {
            return null;
        }
        ColumnRef[] decoded = new ColumnRef[names.size() + 1];
        boolean anyDecoded = false;
        for (int i = 0; i < names.size(); i++) {
            if (!table.has(names.get(i))) {
                return null;
            }
            ColumnRef column = new ColumnRef(table.name(), names.get(i));
            if (catalogue.mayHoldCompressed(column)) {
                decoded[i + 1] = column;
                anyDecoded = true;
            }
        }
        if (!where()) {
            return null;
        }
        if (lexer.isWord("LIMIT")) {
            lexer.next();
            if (!isParameter() && !(lexer.kind() == SqlLexer.Kind.LITERAL && isDigits())) {
                return null;
            }
            lexer.next();
        }
        if (!atEnd()) {
            return null;
        }
        return new RewrittenSql(sql, null, null, anyDecoded ? decoded : null, Set.of(), Set.of());
    }

    private RewrittenSql update() throws SQLException {
        if (!table() || !lexer.isWord("SET")) {
            return null;
        }
        List<ColumnRef> assigned = new ArrayList<>();
        do {
            lexer.next();
            ColumnRef column = column();
            if (column == null || !lexer.is("=") || !nextIsParameter()) {
                return null;
            }
            assigned.add(column);
            lexer.next();
        } while (lexer.is(","));
        return where() && atEnd() ? written(assigned) : null;
    }

    private RewrittenSql delete() throws SQLException {
        return table() && where() && atEnd() ? RewrittenSql.unchanged(sql) : null;
    }

    /**
     * {@code [WHERE k = ? AND …]} over columns that hold no compressed value (those the rewriter would decompress
     * in SQL); leaves the lexer after it.
     */
    private boolean where() throws SQLException {
        if (!lexer.isWord("WHERE")) {
            return true;
        }
        do {
            lexer.next();
            ColumnRef column = column();
            if (column == null || catalogue.mayHoldCompressed(column) || !lexer.is("=") || !nextIsParameter()) {
                return false;
            }
            lexer.next();
        } while (lexer.isWord("AND"));
        return true;
    }

    /** The parameters in order, each bound into the column at its position: compressed, escaped, or left alone. */
    private RewrittenSql written(List<ColumnRef> columns) {
        int last = 0; // as the rewriter sizes both: up to the highest parameter with a target
        for (int i = 0; i < columns.size(); i++) {
            if (catalogue.mayHoldCompressed(columns.get(i))) {
                last = i + 1;
            }
        }
        ColumnRef[] compressed = new ColumnRef[last + 1];
        ColumnRef[] escaped = new ColumnRef[last + 1];
        boolean anyCompressed = false;
        boolean anyEscaped = false;
        for (int i = 0; i < last; i++) {
            ColumnRef column = columns.get(i);
            if (catalogue.mayHoldCompressed(column)) {
                if (catalogue.takesCompressed(column)) {
                    compressed[i + 1] = column;
                    anyCompressed = true;
                } else {
                    escaped[i + 1] = column;
                    anyEscaped = true;
                }
            }
        }
        return new RewrittenSql(sql, anyCompressed ? compressed : null, anyEscaped ? escaped : null, null,
                Set.of(), Set.of());
    }

    /** The next token names an existing table, unqualified and without alias; leaves the lexer after it. */
    private boolean table() throws SQLException {
        lexer.next();
        if (lexer.kind() != SqlLexer.Kind.WORD && lexer.kind() != SqlLexer.Kind.NAME) {
            return false;
        }
        table = catalogue.table(lexer.name());
        lexer.next();
        return table.exists() && !lexer.is(".");
    }

    /** The current token names a column of the table: its reference, the lexer moved past it; else null. */
    private ColumnRef column() {
        if ((lexer.kind() != SqlLexer.Kind.WORD && lexer.kind() != SqlLexer.Kind.NAME) || !table.has(lexer.name())) {
            return null;
        }
        ColumnRef column = new ColumnRef(table.name(), lexer.name());
        lexer.next();
        return lexer.is(".") ? null : column;
    }

    private boolean atEnd() {
        if (lexer.is(";")) {
            lexer.next();
        }
        return lexer.kind() == SqlLexer.Kind.END;
    }

    private boolean nextIsWord(String word) {
        lexer.next();
        return lexer.isWord(word);
    }

    private boolean nextIs(String text) {
        lexer.next();
        return lexer.is(text);
    }

    private boolean nextIsParameter() {
        lexer.next();
        return isParameter();
    }

    /** A bare {@code ?}: numbered parameters are the rewriter's to follow. */
    private boolean isParameter() {
        return lexer.kind() == SqlLexer.Kind.PARAMETER && lexer.is("?");
    }

    private boolean isDigits() {
        for (int i = lexer.start(); i < lexer.end(); i++) {
            if (!Character.isDigit(sql.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
