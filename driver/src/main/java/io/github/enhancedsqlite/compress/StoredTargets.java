package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.SqlNames.quote;
import static io.github.enhancedsqlite.compress.SqlNames.unbracket;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * The writes of one statement, for {@link SqlRewriter}: where each stored value goes when its column may hold
 * envelopes. A parameter bound straight into such a column is compressed or escaped on binding (or, when its index
 * cannot be followed, escaped in SQL); a compressed column copied into one keeps its stored form, and the column is
 * recorded as compressed; any other value that could be a BLOB beginning like an envelope is wrapped in
 * {@value SqlRewriter#ESCAPE} when it is a BLOB (only BLOBs reach the Java function).
 */
final class StoredTargets {

    /** The name of the common table an INSERT's SELECT is moved into so its values can be escaped. */
    private static final String ESCAPED_SOURCE = "_esq_source_";
    /** The name a value computed in SQL is evaluated under once, to be escaped if it is a BLOB. */
    private static final String ESCAPED_VALUE = "_esq_value_";
    private static final String ENVELOPE_MAGIC_HEX = StoredFormat.MAGIC_HEX;

    /** SQLite functions whose result is never a BLOB. */
    private static final Set<String> NEVER_BLOB_FUNCTIONS = Set.of("abs", "changes", "char", "count", "date",
            "datetime", "format", "glob", "hex", "instr", "json", "json_array", "json_array_length", "json_extract",
            "json_insert", "json_object", "json_patch", "json_quote", "json_remove", "json_replace", "json_set",
            "json_type", "json_valid", "json_group_array", "json_group_object", "julianday", "last_insert_rowid",
            "length", "like", "lower", "ltrim", "octet_length", "printf", "quote", "random", "round",
            "rtrim", "sign", "soundex", "sqlite_version", "strftime", "time", "total", "total_changes", "trim",
            "typeof", "unicode", "unixepoch", "upper", "avg", "sum", "group_concat", "string_agg");

    private final SqlRewriter rewriter;
    /** By parameter index, the column a parameter is stored into straight, when that column may hold envelopes. */
    private final Map<Integer, ColumnRef> compressTargets = new HashMap<>();
    /** The parameter nodes assigned straight into a column, by index: escaped in SQL if they cannot be at binding. */
    private final Map<Integer, List<Assigned>> assignedParameters = new HashMap<>();
    /** Columns that receive stored envelopes as they are, or values escaped in SQL: recorded as compressed. */
    private final Set<ColumnRef> copiedInto = new HashSet<>();

    StoredTargets(SqlRewriter rewriter) {
        this.rewriter = rewriter;
    }

    /** The columns an INSERT or REPLACE stores into, in order: those it names, or all of the table's. */
    static List<String> targetColumns(ExpressionList<Column> columns, TableInfo table) {
        if (columns == null || columns.isEmpty()) {
            return table.columns();
        }
        List<String> names = new ArrayList<>();
        for (Column column : columns) {
            names.add(column.getUnquotedColumnName());
        }
        return names;
    }

    void valueRows(ExpressionList<?> rows, TableInfo table, List<String> targets) throws SQLException {
        List<?> expressions = rows; // an ExpressionList is the list itself
        boolean multiRow = !expressions.isEmpty() && expressions.get(0) instanceof ExpressionList;
        if (multiRow) {
            for (Object row : expressions) {
                valueRow((ExpressionList<?>) row, table, targets);
            }
        } else {
            valueRow(expressions, table, targets);
        }
    }

    private void valueRow(List<?> values, TableInfo table, List<String> targets) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Expression value = (Expression) values.get(i);
            ColumnRef target = i < targets.size() ? new ColumnRef(table.name(), targets.get(i)) : null;
            assign(value, target, new Scope(null));
        }
    }

    void updateSets(List<UpdateSet> sets, Scope scope, TableInfo table) throws SQLException {
        for (UpdateSet set : sets) {
            List<Column> columns = set.getColumns();
            List<?> values = set.getValues();
            if (columns.size() != values.size()) {
                for (Column column : columns) {
                    ColumnRef target = new ColumnRef(table.name(), unbracket(column.getUnquotedColumnName()));
                    if (rewriter.catalogue.mayHoldCompressed(target)) {
                        throw SqlRewriter.cannotRewrite("a row value assigned to " + target
                                + " cannot be checked for values to escape; assign each column on its own");
                    }
                }
            }
            for (int i = 0; i < values.size(); i++) {
                ColumnRef target = columns.size() == values.size()
                        ? new ColumnRef(table.name(), unbracket(columns.get(i).getUnquotedColumnName())) : null;
                assign((Expression) values.get(i), target, scope);
            }
        }
    }

    /**
     * One value stored into one column. A parameter into a column that may hold envelopes is compressed or escaped
     * on binding; a bare compressed column copied into such a column keeps its stored form; anything else is a
     * read, and a value computed in SQL that could be a BLOB beginning like an envelope is escaped in SQL.
     */
    private void assign(Expression value, ColumnRef target, Scope scope) throws SQLException {
        boolean holdsEnvelopes = target != null && rewriter.catalogue.mayHoldCompressed(target);
        if (value instanceof JdbcParameter && holdsEnvelopes) {
            JdbcParameter parameter = (JdbcParameter) value;
            if (compressTargets.putIfAbsent(parameter.getIndex(), target) != null) {
                rewriter.parametersUsedElsewhere.add(parameter.getIndex());
            }
            assignedParameters.computeIfAbsent(parameter.getIndex(), i -> new ArrayList<>())
                    .add(new Assigned(parameter, target));
            return;
        }
        if (value instanceof Column && holdsEnvelopes) {
            ResolvedColumn source = scope.resolve((Column) value);
            if (source != null && source.compressed()) {
                // the stored form moves as it is: the target may now hold envelopes — unless it is an upsert's
                // excluded value of the same column, which the insert itself records when it stores an envelope
                // there (a test suite's upsert of small values created the record, and wrote its table, per file)
                if (!(source.source().excluded && source.column().equalsIgnoreCase(target.column()))) {
                    copiedInto.add(target);
                }
                return;
            }
        }
        rewriter.read(value, scope);
        if (holdsEnvelopes && mayBeBlob(value)) {
            escape(value, target);
        }
    }

    /**
     * Has a value about to be stored escaped: it is evaluated once, in a sub-select (correlated where it reads the
     * row), and only a BLOB goes through {@value SqlRewriter#ESCAPE}, so every other value — TEXT that is not valid
     * UTF-8 included, which could not pass through a Java function unchanged — is stored exactly as computed. The
     * column may then hold an escaped value.
     */
    private void escape(Expression value, ColumnRef target) {
        int[] span = rewriter.span(value);
        rewriter.edits.wrap(span[0], span[1], "(SELECT " + escapedIfBlob(ESCAPED_VALUE) + " FROM (SELECT ",
                " AS " + ESCAPED_VALUE + "))");
        copiedInto.add(target);
    }

    /** The value of a column (or a sub-select's) as it must be stored: a BLOB escaped, anything else as it is. */
    private static String escapedIfBlob(String name) {
        return "CASE WHEN typeof(" + name + ") = 'blob' THEN " + SqlRewriter.ESCAPE + "(" + name + ") ELSE " + name
                + " END";
    }

    /**
     * Whether a value computed in SQL could be a BLOB (that might begin like an envelope). Literals, arithmetic,
     * concatenation and the functions below never give a BLOB, so the common writes ({@code SET v = v || ?},
     * {@code json_set(v, …)}) are left as written.
     */
    private static boolean mayBeBlob(Expression value) {
        if (value instanceof Parenthesis) {
            return mayBeBlob(((Parenthesis) value).getExpression());
        }
        if (value instanceof HexValue) { // X'…' is a BLOB; 0x… an integer
            String literal = ((HexValue) value).getValue();
            return literal.length() > 2 && (literal.charAt(0) == 'x' || literal.charAt(0) == 'X')
                    && literal.substring(2).toUpperCase(Locale.ROOT).startsWith(ENVELOPE_MAGIC_HEX);
        }
        if (value instanceof StringValue || value instanceof LongValue || value instanceof DoubleValue
                || value instanceof NullValue || value instanceof Concat || value instanceof BinaryExpression
                || value instanceof SignedExpression || value instanceof DateTimeLiteralExpression
                || value instanceof TimeKeyExpression || value instanceof NotExpression
                || value instanceof IsNullExpression || value instanceof InExpression
                || value instanceof Between || value instanceof LikeExpression) {
            return false;
        }
        if (value instanceof CastExpression) {
            String type = ((CastExpression) value).getColDataType().getDataType().toLowerCase(Locale.ROOT);
            return !(type.contains("char") || type.contains("clob") || type.contains("text") || type.contains("int")
                    || type.contains("real") || type.contains("floa") || type.contains("doub") || type.contains("num"));
        }
        if (value instanceof Function) {
            String name = ((Function) value).getName();
            return name == null || !NEVER_BLOB_FUNCTIONS.contains(name.toLowerCase(Locale.ROOT));
        }
        return true;
    }

    /**
     * INSERT … SELECT into columns that may hold envelopes: the SELECT becomes a common table whose columns are
     * stored through {@value SqlRewriter#ESCAPE} (whatever the SELECT is: compound, {@code *}, VALUES), so a BLOB that
     * begins like an envelope arrives escaped.
     */
    void escapeSelected(Select source, TableInfo table, List<String> targets) {
        boolean any = false;
        StringBuilder names = new StringBuilder();
        StringBuilder stored = new StringBuilder();
        for (int i = 0; i < targets.size(); i++) {
            ColumnRef target = new ColumnRef(table.name(), targets.get(i));
            String name = quote("c" + (i + 1));
            names.append(i == 0 ? "" : ", ").append(name);
            boolean escaped = table.has(target.column()) && rewriter.catalogue.mayHoldCompressed(target);
            stored.append(i == 0 ? "" : ", ").append(escaped ? escapedIfBlob(name) : name);
            if (escaped) {
                copiedInto.add(target);
                any = true;
            }
        }
        if (!any) {
            return;
        }
        int[] span = rewriter.span(source);
        // WHERE true: SQLite reads an ON CONFLICT right after a SELECT's FROM as a join constraint otherwise
        rewriter.edits.wrap(span[0], span[1], "WITH " + ESCAPED_SOURCE + "(" + names + ") AS (",
                ") SELECT " + stored + " FROM " + ESCAPED_SOURCE + " WHERE true");
    }

    /** Columns that receive stored envelopes as they are, or values escaped in SQL. */
    Set<ColumnRef> copiedInto() {
        return copiedInto;
    }

    /**
     * By parameter index, the column each parameter is stored into when its value can be compressed or escaped
     * on binding; null when none can. A parameter that cannot be (used twice, or numbering the parser cannot
     * follow) is escaped in SQL instead.
     */
    ColumnRef[] targets() {
        boolean indexesFollowed = !(rewriter.namedParameters || rewriter.sql.indexOf(':') >= 0 || rewriter.sql.indexOf('@') >= 0
                || rewriter.sql.indexOf('$') >= 0);
        for (Map.Entry<Integer, List<Assigned>> assigned : assignedParameters.entrySet()) {
            if (!indexesFollowed || rewriter.parametersUsedElsewhere.contains(assigned.getKey())) {
                for (Assigned each : assigned.getValue()) {
                    escape(each.parameter(), each.target());
                }
            }
        }
        compressTargets.keySet().removeAll(rewriter.parametersUsedElsewhere);
        if (compressTargets.isEmpty() || !indexesFollowed) {
            return null;
        }
        int max = 0;
        for (int index : compressTargets.keySet()) {
            max = Math.max(max, index);
        }
        ColumnRef[] byIndex = new ColumnRef[max + 1];
        compressTargets.forEach((index, column) -> byIndex[index] = column);
        return byIndex;
    }

    /** The targets whose column compresses new values (true), or only escapes them (false); null when none. */
    ColumnRef[] compressing(ColumnRef[] targets, boolean compresses) {
        if (targets == null) {
            return null;
        }
        ColumnRef[] selected = new ColumnRef[targets.length];
        boolean any = false;
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] != null && rewriter.catalogue.takesCompressed(targets[i]) == compresses) {
                selected[i] = targets[i];
                any = true;
            }
        }
        return any ? selected : null;
    }

    private record Assigned(JdbcParameter parameter, ColumnRef target) {
    }
}
