package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.SqlNames.quote;
import static io.github.enhancedsqlite.compress.SqlNames.tableName;
import static io.github.enhancedsqlite.compress.SqlNames.unbracket;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.CollateExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * The result columns of a SELECT (or a RETURNING clause), for {@link SqlRewriter}: a bare compressed column of the
 * outermost SELECT is left as written and decoded by the result set's getters ({@link RewrittenSql#decodes}), which
 * keeps point reads cheap; wherever SQLite itself compares, sorts or de-duplicates result columns (DISTINCT, GROUP
 * BY, ORDER BY naming a result, a reused alias, a {@code *} that cannot be counted) they are decompressed in SQL,
 * {@code *} spelled out with each compressed column wrapped. Unaliased rewritten expressions keep their label.
 */
final class ResultColumns {

    private final SqlRewriter rewriter;
    /** By 1-based result column, the compressed column its getters decode; null when none is. */
    private ColumnRef[] decodedResults;

    ResultColumns(SqlRewriter rewriter) {
        this.rewriter = rewriter;
    }

    /** The result columns the getters decode, by 1-based index; null when none. */
    ColumnRef[] decoded() {
        return decodedResults;
    }

    /**
     * Whether the outermost SELECT's bare compressed result columns can be left to the getters: nothing in SQL
     * compares, sorts or de-duplicates them, and every result column can be counted.
     */
    boolean decodedInGetters(PlainSelect select, Scope scope, boolean outermost, Set<String> resultNames) {
        return outermost && select.getDistinct() == null && select.getGroupBy() == null
                && select.getHaving() == null && !ordersByResultColumn(select, resultNames) && !aliasesReused(select)
                && starsCountable(select, scope);
    }

    /** Whether ORDER BY names a result column by position or alias: then result columns are decompressed in SQL. */
    private static boolean ordersByResultColumn(PlainSelect select, Set<String> resultNames) {
        if (select.getOrderByElements() == null) {
            return false;
        }
        for (OrderByElement element : select.getOrderByElements()) {
            Expression expression = element.getExpression();
            while (expression instanceof CollateExpression) { // ORDER BY 1 COLLATE NOCASE still names column 1
                expression = ((CollateExpression) expression).getLeftExpression();
            }
            if (expression instanceof LongValue || named(element, resultNames) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The names a bare ORDER BY identifier takes as a result column before any table's column, lower-case: the
     * AS aliases and the columns {@code *} and {@code t.*} expand to (SQLite names those as if aliased).
     */
    static Set<String> names(PlainSelect select, Scope scope) {
        Set<String> names = new HashSet<>();
        for (SelectItem<?> item : select.getSelectItems()) {
            Expression expression = item.getExpression();
            List<Source> expanded = List.of();
            if (item.getAlias() != null) {
                names.add(unbracket(item.getAlias().getUnquotedName()).toLowerCase(Locale.ROOT));
            } else if (expression instanceof AllTableColumns) {
                Source source = scope.local(tableName(((AllTableColumns) expression).getTable()));
                expanded = source == null ? List.of() : List.of(source);
            } else if (expression instanceof AllColumns) {
                expanded = scope.sources;
            }
            for (Source source : expanded) {
                if (source.table != null) {
                    source.table.columns().forEach(column -> names.add(column.toLowerCase(Locale.ROOT)));
                }
            }
        }
        return names;
    }

    /** The result column an ORDER BY term names by its bare name ({@code ORDER BY v COLLATE NOCASE}), or null. */
    static String named(OrderByElement element, Set<String> resultNames) {
        Expression expression = element.getExpression();
        while (expression instanceof CollateExpression || expression instanceof Parenthesis
                || (expression instanceof ExpressionList && ((ExpressionList<?>) expression).size() == 1)) {
            expression = expression instanceof Parenthesis ? ((Parenthesis) expression).getExpression()
                    : expression instanceof ExpressionList ? (Expression) ((ExpressionList<?>) expression).get(0)
                    : ((CollateExpression) expression).getLeftExpression(); // (x): a list of one to this parser
        }
        if (expression instanceof Column && ((Column) expression).getTable() == null) {
            String name = unbracket(((Column) expression).getUnquotedColumnName()).toLowerCase(Locale.ROOT);
            return resultNames.contains(name) ? name : null;
        }
        return null;
    }

    /**
     * Whether a result column's alias is used elsewhere in the statement (SQLite lets WHERE and expressions name
     * result aliases): then the aliased expressions must be decompressed in SQL.
     */
    private boolean aliasesReused(PlainSelect select) {
        for (SelectItem<?> item : select.getSelectItems()) {
            if (item.getAlias() != null) {
                String alias = item.getAlias().getUnquotedName();
                if (Schema.mentions(rewriter.sql, alias) > 1) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Result columns can be counted for getter decoding only when no {@code *} covers a derived table. */
    private static boolean starsCountable(PlainSelect select, Scope scope) {
        for (SelectItem<?> item : select.getSelectItems()) {
            Expression expression = item.getExpression();
            if (expression instanceof AllTableColumns) {
                Source source = scope.local(tableName(((AllTableColumns) expression).getTable()));
                if (source == null || source.table == null) {
                    return false;
                }
            } else if (expression instanceof AllColumns) {
                for (Source source : scope.sources) {
                    if (source.table == null || scope.starUnsure) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    void project(List<SelectItem<?>> items, Scope scope, boolean decodeInGetters) throws SQLException {
        List<ColumnRef> decoded = new ArrayList<>();
        for (SelectItem<?> item : items) {
            Expression expression = item.getExpression();
            if (expression instanceof AllTableColumns) {
                Source source = scope.local(tableName(((AllTableColumns) expression).getTable()));
                star(expression, source == null ? List.of() : List.of(source), false, decodeInGetters, decoded);
            } else if (expression instanceof AllColumns) {
                if (scope.starUnsure && scope.sources.stream().anyMatch(Source::hasCompressed)) {
                    throw SqlRewriter.cannotRewrite("* over a USING or NATURAL join (RIGHT, FULL or with a sub-query)"
                            + " beside " + Source.describeFirstCompressed(scope.sources) + "; list the columns instead");
                }
                star(expression, scope.sources, true, decodeInGetters, decoded);
            } else if (expression instanceof Column) {
                ResolvedColumn resolved = scope.resolve((Column) expression);
                boolean compressed = resolved != null && resolved.compressed();
                if (compressed && !decodeInGetters) {
                    String name = item.getAlias() != null ? null : unbracket(((Column) expression).getUnquotedColumnName());
                    rewriter.wrap((Column) expression, resolved, name);
                }
                decoded.add(compressed && decodeInGetters
                        ? new ColumnRef(resolved.source().table.name(), resolved.column()) : null);
            } else {
                int editsBefore = rewriter.edits.size();
                rewriter.read(expression, scope);
                if (item.getAlias() == null && rewriter.edits.size() > editsBefore) {
                    keepLabel(item);
                }
                decoded.add(null);
            }
        }
        if (decodeInGetters && decoded.stream().anyMatch(java.util.Objects::nonNull)) {
            decodedResults = new ColumnRef[decoded.size() + 1];
            for (int i = 0; i < decoded.size(); i++) {
                decodedResults[i + 1] = decoded.get(i);
            }
        }
    }

    /**
     * SQLite labels an unaliased result expression with its text as written; the rewritten text must not show
     * through, so the expression is named after its original text.
     */
    private void keepLabel(SelectItem<?> unaliased) {
        int[] span = rewriter.span(unaliased.getASTNode() != null ? unaliased : unaliased.getExpression());
        // the parser's last token of X'…' reaches one character past it: SQLite's label never ends in a space
        rewriter.edits.name(span[1], " AS " + quote(rewriter.sql.substring(span[0], span[1]).stripTrailing()));
    }

    /** {@code *} or {@code t.*}: counted out for getter decoding, or spelled out with each compressed column wrapped. */
    private void star(Expression star, List<Source> sources, boolean joined, boolean decodeInGetters,
                      List<ColumnRef> decoded) throws SQLException {
        boolean anyCompressed = false;
        for (Source source : sources) {
            anyCompressed |= source.hasCompressed();
        }
        if (decodeInGetters) { // starsCountable: every source is a table
            for (Source source : sources) {
                for (String column : source.columnsOfStar(joined)) {
                    decoded.add(source.isCompressed(column) ? new ColumnRef(source.table.name(), column) : null);
                }
            }
            return;
        }
        if (!anyCompressed) {
            return;
        }
        StringBuilder spelled = new StringBuilder();
        for (Source source : sources) {
            if (source.table == null && source.name != null) {
                // a derived table, CTE or table function: its own result columns were decompressed in SQL already
                spelled.append(spelled.length() == 0 ? "" : ", ").append(quote(source.name)).append(".*");
                continue;
            }
            if (source.table == null) {
                throw SqlRewriter.cannotRewrite("* mixes a sub-query with " + Source.describeFirstCompressed(sources)
                        + "; list the columns instead");
            }
            for (String column : source.columnsOfStar(joined)) {
                String qualified = quote(source.qualifier()) + "." + quote(column);
                spelled.append(spelled.length() == 0 ? "" : ", ");
                // every column named as * names it, so ORDER BY can still use the bare name
                spelled.append(source.isCompressed(column)
                        ? DecompressCall.of(qualified, source, column) : qualified).append(" AS ").append(quote(column));
            }
        }
        rewriter.replace(star, spelled.toString());
    }
}
