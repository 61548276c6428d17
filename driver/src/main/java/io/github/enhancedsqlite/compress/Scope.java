package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.SqlNames.tableName;
import static io.github.enhancedsqlite.compress.SqlNames.unbracket;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;

/** The sources visible at one level of a statement, and those of the statements around it. */
final class Scope {
    final Scope outer;
    final List<Source> sources = new ArrayList<>();
    /** A USING or NATURAL join makes {@code *} show what this rewriter cannot spell out. */
    boolean starUnsure;

    Scope(Scope outer) {
        this.outer = outer;
    }

    void add(Source source) {
        sources.add(source);
    }

    Source local(String qualifier) {
        for (Source source : sources) {
            if (source.matches(qualifier)) {
                return source;
            }
        }
        return null;
    }

    /**
     * "sub-query.column" when a reference no table column answers names a sub-query's or CTE's result that is
     * a compressed TEXT column; null otherwise.
     */
    String textResult(Column column) {
        Source source = resultSource(column, true);
        return source == null ? null
                : (source.name == null ? "(sub-query)" : source.name) + "." + resultName(column);
    }

    /** Whether a reference no table column answers names a sub-query's or CTE's computed result. */
    boolean computedResult(Column column) {
        return resultSource(column, false) != null;
    }

    /**
     * The sub-query or CTE, in this scope or one around it, whose result the reference names, when that result
     * is a compressed TEXT column ({@code text}) or a computed one (otherwise); null when there is none.
     */
    private Source resultSource(Column column, boolean text) {
        String name = resultName(column);
        Table qualifier = column.getTable();
        String qualifierName = qualifier == null || qualifier.getName() == null ? null : tableName(qualifier);
        for (Scope scope = this; scope != null; scope = scope.outer) {
            for (Source source : scope.sources) {
                boolean candidate = qualifierName != null ? source.matches(qualifierName) : source.table == null;
                if (candidate && source.table == null
                        && (text ? source.textResults : source.computedResults).contains(name)) {
                    return source;
                }
            }
        }
        return null;
    }

    private static String resultName(Column column) {
        return unbracket(column.getUnquotedColumnName()).toLowerCase(Locale.ROOT);
    }

    /** Whether a qualifier names a source of this scope or one around it. */
    boolean knows(String qualifier) {
        for (Scope scope = this; scope != null; scope = scope.outer) {
            if (scope.local(qualifier) != null) {
                return true;
            }
        }
        return false;
    }

    /** The table column a reference means, as SQLite resolves it: innermost scope first; null if none. */
    ResolvedColumn resolve(Column column) {
        String name = unbracket(column.getUnquotedColumnName());
        Table qualifier = column.getTable();
        String qualifierName = qualifier == null || qualifier.getName() == null ? null : tableName(qualifier);
        for (Scope scope = this; scope != null; scope = scope.outer) {
            for (Source source : scope.sources) {
                boolean candidate = qualifierName != null ? source.matches(qualifierName)
                        : source.table != null && !source.excluded && source.table.has(name);
                if (candidate) {
                    return new ResolvedColumn(source, name, source.isCompressed(name));
                }
            }
        }
        return null;
    }
}
