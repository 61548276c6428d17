package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.SqlNames.tableName;
import static io.github.enhancedsqlite.compress.SqlNames.unbracket;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * Sub-queries and common tables as the sources of a statement, for {@link SqlRewriter}: the names of its common
 * tables (a CTE hides a table of the same name), and which result columns of each carry a compressed TEXT column's
 * affinity, or none because an expression computes them. Their own SELECTs decompress in SQL; what SQLite's affinity
 * would have made of the column as written is kept here, so comparisons with them convert as they would have.
 */
final class DerivedTables {

    private final SqlRewriter rewriter;
    /** The statement's common table names, lower-case. */
    private final Set<String> commonTableNames = new HashSet<>();
    /** By CTE name, its result columns that read a compressed TEXT column (lower-case): they have TEXT affinity. */
    private final Map<String, Set<String>> commonTableTextResults = new HashMap<>();
    private final Map<String, Set<String>> commonTableComputedResults = new HashMap<>();

    DerivedTables(SqlRewriter rewriter) {
        this.rewriter = rewriter;
    }

    /** A WITH clause names a common table; from here on the name means it. */
    void declare(String name) {
        commonTableNames.add(name.toLowerCase(Locale.ROOT));
    }

    /** Whether the name is one of the statement's common tables. */
    boolean isCommonTable(String name) {
        return commonTableNames.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Remembers the result columns of a common table's SELECT, named as its column list renames them (or null). */
    void describe(String name, Select select, List<String> renamed, Scope outer) {
        String key = name.toLowerCase(Locale.ROOT);
        commonTableTextResults.put(key, textResults(select, renamed, outer));
        commonTableComputedResults.put(key, computedResults(select, renamed));
    }

    /** A reference to a common table, as a source whose columns carry what its SELECT gives them. */
    Source commonTable(Table table) {
        Source common = new Source(SqlNames.alias(table), null, false, rewriter.catalogue);
        String key = tableName(table).toLowerCase(Locale.ROOT);
        common.textResults.addAll(commonTableTextResults.getOrDefault(key, Set.of()));
        common.computedResults.addAll(commonTableComputedResults.getOrDefault(key, Set.of()));
        return common;
    }

    /** A sub-query in FROM, named {@code name} (or not), as a source whose columns carry what its SELECT gives them. */
    Source derived(String name, Select select, Scope outer) {
        Source derived = new Source(name, null, false, rewriter.catalogue);
        derived.textResults.addAll(textResults(select, null, outer));
        derived.computedResults.addAll(computedResults(select, null));
        return derived;
    }

    /**
     * The result columns of a sub-query or CTE that are a compressed TEXT column as written (lower-case names):
     * SQLite gives such a column that column's TEXT affinity, which the decompressed value no longer carries, so
     * comparisons with it convert numbers as comparisons with the column itself do.
     */
    private Set<String> textResults(Select select, List<String> renamed, Scope outer) {
        Set<String> names = new HashSet<>();
        PlainSelect plain = simple(select);
        if (plain == null) {
            return names;
        }
        Scope tables = rewriter.sources.tablesOf(plain, outer);
        if (tables == null) {
            return names;
        }
        ExpressionReader reader = new ExpressionReader(rewriter, tables);
        List<SelectItem<?>> items = plain.getSelectItems();
        for (int i = 0; i < items.size(); i++) {
            Expression expression = items.get(i).getExpression();
            if (expression instanceof Column && reader.compressedTextOperand(expression) != null) {
                String name = renamed != null && i < renamed.size() ? renamed.get(i)
                        : items.get(i).getAlias() != null ? items.get(i).getAlias().getUnquotedName()
                        : ((Column) expression).getUnquotedColumnName();
                names.add(unbracket(name.replace("\"", "")).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** The result columns of a simple sub-query or CTE computed by an expression (no column, no CAST): no affinity. */
    private static Set<String> computedResults(Select select, List<String> renamed) {
        Set<String> names = new HashSet<>();
        PlainSelect plain = simple(select);
        if (plain == null) {
            return names;
        }
        List<SelectItem<?>> items = plain.getSelectItems();
        for (int i = 0; i < items.size(); i++) {
            Expression expression = items.get(i).getExpression();
            String name = renamed != null && i < renamed.size() ? renamed.get(i)
                    : items.get(i).getAlias() != null ? items.get(i).getAlias().getUnquotedName() : null;
            if (name != null && computed(expression)) {
                names.add(unbracket(name.replace("\"", "")).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /**
     * Whether a result column is computed by an expression, which gives it no affinity: not a column, a CAST, a
     * star, a parenthesised expression or a sub-query (those may carry one).
     */
    static boolean computed(Expression expression) {
        return !(expression instanceof Column) && !(expression instanceof CastExpression)
                && !(expression instanceof AllColumns) && !(expression instanceof Parenthesis)
                && !(expression instanceof ExpressionList) && !(expression instanceof Select);
    }

    /** The simple SELECT inside any parentheses, or null for a compound one or VALUES: only its columns are named. */
    private static PlainSelect simple(Select select) {
        Select inner = select;
        while (inner instanceof ParenthesedSelect) {
            inner = ((ParenthesedSelect) inner).getSelect();
        }
        return inner instanceof PlainSelect ? (PlainSelect) inner : null;
    }
}
