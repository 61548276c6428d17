package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.SqlNames.alias;
import static io.github.enhancedsqlite.compress.SqlNames.tableName;
import static io.github.enhancedsqlite.compress.SqlNames.unbracket;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.TableFunction;

/**
 * The tables a statement's names resolve to, for {@link SqlRewriter}: a FROM clause with its joins (parenthesised
 * ones included; a USING or NATURAL join that would compare a compressed column is refused), the tables of a simple
 * SELECT looked at without rewriting it, and the target table of a write. Each becomes a {@link Scope} of
 * {@link Source}s; a sub-query or table function in FROM is read (rewritten) on the way.
 */
final class Sources {

    private final SqlRewriter rewriter;

    Sources(SqlRewriter rewriter) {
        this.rewriter = rewriter;
    }

    /** A scope of the tables a simple SELECT reads, or null when it reads anything but named tables. */
    Scope tablesOf(PlainSelect plain, Scope outer) {
        List<FromItem> items = new ArrayList<>();
        if (plain.getFromItem() != null) {
            items.add(plain.getFromItem());
        }
        if (plain.getJoins() != null) {
            plain.getJoins().forEach(join -> items.add(join.getRightItem()));
        }
        Scope inner = new Scope(outer);
        try {
            for (FromItem item : items) {
                if (item instanceof ParenthesedSelect || item instanceof TableFunction) {
                    // looked at, not rewritten (that happens on its own): what its columns are, by name
                    String name = item.getAlias() != null ? item.getAlias().getUnquotedName()
                            : item instanceof TableFunction ? ((TableFunction) item).getFunction().getName() : null;
                    inner.add(item instanceof ParenthesedSelect
                            ? rewriter.derivedTables.derived(name, (ParenthesedSelect) item, inner)
                            : new Source(name, null, false, rewriter.catalogue));
                    continue;
                }
                if (!(item instanceof Table)) {
                    return null;
                }
                Table table = (Table) item;
                boolean common = rewriter.derivedTables.isCommonTable(tableName(table));
                TableInfo info = common ? null : rewriter.catalogue.table(tableName(table));
                inner.add(new Source(alias(table), info, false, rewriter.catalogue));
            }
        } catch (SQLException e) {
            return null;
        }
        return inner;
    }

    /**
     * Adds a FROM clause's tables to the scope, those of a parenthesised join ({@code a JOIN (b JOIN c ON …) ON …})
     * included, and collects every join whose ON must be read once all of them are known.
     */
    void from(FromItem first, List<Join> following, Scope scope, List<Join> joins) throws SQLException {
        if (first instanceof ParenthesedFromItem && first.getAlias() == null) {
            ParenthesedFromItem nested = (ParenthesedFromItem) first;
            from(nested.getFromItem(), nested.getJoins(), scope, joins);
        } else {
            // a table function's arguments may name the tables before it (json_each(m.value))
            scope.add(source(first, scope));
        }
        if (following == null) {
            return;
        }
        for (Join join : following) {
            List<Source> left = List.copyOf(scope.sources);
            from(join.getRightItem(), null, scope, joins);
            joins.add(join);
            List<Source> right = List.copyOf(scope.sources.subList(left.size(), scope.sources.size()));
            if (join.isNatural() || (join.getUsingColumns() != null && !join.getUsingColumns().isEmpty())) {
                implicitJoin(join, left, right, scope);
            }
        }
    }

    /**
     * A USING or NATURAL join compares its columns without an expression the rewrite could wrap: refused when one
     * of them may hold compressed values (or, for NATURAL beside a sub-query, when which ones cannot be told).
     * Otherwise it runs as written, and {@code *} leaves out the right side's copies of the compared columns.
     */
    private void implicitJoin(Join join, List<Source> left, List<Source> right, Scope scope) throws SQLException {
        List<Source> both = new ArrayList<>(left);
        both.addAll(right);
        Set<String> compared = new HashSet<>();
        boolean known = true;
        if (!join.isNatural()) {
            for (Column column : join.getUsingColumns()) {
                compared.add(unbracket(column.getUnquotedColumnName()).toLowerCase(Locale.ROOT));
            }
        } else {
            for (Source source : both) {
                known &= source.table != null;
            }
            for (Source r : right) {
                for (String column : known ? r.table.columns() : List.<String>of()) {
                    for (Source l : left) {
                        if (l.table.has(column)) {
                            compared.add(column.toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
        }
        for (Source source : both) {
            for (String column : source.table == null ? List.<String>of() : source.table.columns()) {
                if (compared.contains(column.toLowerCase(Locale.ROOT)) && source.isCompressed(column)) {
                    throw SqlRewriter.cannotRewrite("a NATURAL or USING join compares compressed column "
                            + source.table.name() + "." + column + " without an expression to decompress; join with ON instead");
                }
            }
            if (!known && source.hasCompressed()) {
                throw SqlRewriter.cannotRewrite("a NATURAL join beside a sub-query may compare "
                        + Source.describeFirstCompressed(both)
                        + " without an expression to decompress; join with ON instead");
            }
        }
        for (Source r : right) {
            r.hiddenFromStar.addAll(compared);
            // a sub-query's copy cannot be left out of alias.*, and RIGHT/FULL joins show a coalesced value
            scope.starUnsure |= r.table == null || join.isRight() || join.isFull();
        }
    }

    /** The scope of a write's target table; with {@code excluded}, the row an upsert would have inserted. */
    Scope target(Table target, TableInfo table, boolean withExcluded) {
        Scope scope = new Scope(null);
        scope.add(new Source(alias(target), table, false, rewriter.catalogue));
        if (withExcluded) {
            scope.add(new Source("excluded", table, true, rewriter.catalogue));
        }
        return scope;
    }

    private Source source(FromItem item, Scope outer) throws SQLException {
        if (item instanceof Table) {
            Table table = (Table) item;
            if (rewriter.derivedTables.isCommonTable(tableName(table))) {
                return rewriter.derivedTables.commonTable(table);
            }
            TableInfo info = rewriter.catalogue.table(tableName(table));
            return new Source(alias(table), info, false, rewriter.catalogue);
        }
        if (item instanceof ParenthesedSelect) {
            ParenthesedSelect derived = (ParenthesedSelect) item;
            rewriter.select(derived.getSelect(), outer, false);
            String name = derived.getAlias() == null ? null : derived.getAlias().getUnquotedName();
            return rewriter.derivedTables.derived(name, derived.getSelect(), outer);
        }
        // table-valued functions and the like: their columns are not stored columns, but their arguments are reads
        ExpressionReader reader = new ExpressionReader(rewriter, outer == null ? new Scope(null) : outer);
        if (item instanceof TableFunction) {
            ((TableFunction) item).getFunction().accept(reader, null);
        } else if (item instanceof Expression) {
            ((Expression) item).accept(reader, null);
        }
        if (reader.failure != null) {
            throw reader.failure;
        }
        String name = item.getAlias() != null ? item.getAlias().getUnquotedName()
                : item instanceof TableFunction ? ((TableFunction) item).getFunction().getName() : null;
        return new Source(name, null, false, rewriter.catalogue); // json_each(…) without an alias is named json_each
    }
}
