package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.SqlNames.quote;
import static io.github.enhancedsqlite.compress.SqlNames.tableName;
import static io.github.enhancedsqlite.compress.SqlNames.unbracket;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.CollateExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseAnd;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseLeftShift;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseOr;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseRightShift;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseXor;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.IntegerDivision;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.conditional.XorExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsDistinctExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;

/** Wraps every column reference that may hold compressed values; sub-queries get a scope of their own. */
final class ExpressionReader extends ExpressionVisitorAdapter<Void> {
    private final SqlRewriter rewriter;
    private final Scope scope;
    SQLException failure;

    /** What TEXT affinity makes of a value p: a number becomes its text, anything else stays as it is. */
    private static final String TEXT_AFFINITY_OF_P = "CASE WHEN typeof(p) IN ('integer', 'real') THEN CAST(p AS TEXT)"
            + " ELSE p END";
    /** The CTE through which a sub-query's computed results are read converted as TEXT affinity converts them. */
    private static final String CONVERTED = "esq_converted";
    private static final Set<String> AGGREGATES = Set.of("count", "sum", "total", "avg", "group_concat", "string_agg",
            "json_group_array", "json_group_object", "jsonb_group_array", "jsonb_group_object", "median",
            "percentile", "percentile_cont", "percentile_disc");
    /** SQLite functions whose result is TEXT or NULL, never a number: comparing one needs no conversion. */
    private static final Set<String> TEXT_FUNCTIONS = Set.of("upper", "lower", "trim", "ltrim", "rtrim", "replace",
            "printf", "format", "quote", "hex", "typeof", "char", "group_concat", "string_agg", "date", "time",
            "datetime", "strftime", "json", "json_array", "json_object", "json_quote", "json_type", "soundex",
            "concat", "concat_ws", "sqlite_version");

    ExpressionReader(SqlRewriter rewriter, Scope scope) {
        this.rewriter = rewriter;
        this.scope = scope;
    }

    @Override
    public <S> Void visit(Column column, S context) {
        ResolvedColumn resolved = scope.resolve(column);
        if (resolved != null && resolved.compressed()) {
            rewriter.wrap(column, resolved, null);
        } else if (resolved == null && column.getTable() != null && column.getTable().getName() != null
                && !scope.knows(tableName(column.getTable())) && failure == null) {
            // a table this rewriter did not see (a form of FROM it does not model) might be compressed
            failure = SqlRewriter.cannotRewrite("the reference " + column + " names no table the compression rewriter"
                    + " found in the statement");
        }
        return null;
    }

    @Override
    public <S> Void visit(JdbcParameter parameter, S context) {
        rewriter.parametersUsedElsewhere.add(parameter.getIndex());
        return null;
    }

    @Override
    protected <S> Void visitBinaryExpression(BinaryExpression expression, S context) {
        expression.setLeftExpression(asWritten(expression.getLeftExpression()));
        // IS [NOT] DISTINCT FROM compares as = does (and IS, which the parser reads as =)
        if (expression instanceof ComparisonOperator || expression instanceof IsDistinctExpression) {
            applyTextAffinity(expression.getLeftExpression(), expression.getRightExpression());
            applyTextAffinity(expression.getRightExpression(), expression.getLeftExpression());
        }
        return super.visitBinaryExpression(expression, context);
    }

    @Override
    public <S> Void visit(Between between, S context) {
        between.setLeftExpression(asWritten(between.getLeftExpression()));
        between.setBetweenExpressionStart(asWritten(between.getBetweenExpressionStart()));
        between.setBetweenExpressionEnd(asWritten(between.getBetweenExpressionEnd()));
        Expression value = between.getLeftExpression();
        Expression start = between.getBetweenExpressionStart();
        Expression end = between.getBetweenExpressionEnd();
        applyTextAffinity(value, start);
        applyTextAffinity(value, end);
        // x BETWEEN y AND z compares as x >= y AND x <= z: a compressed TEXT bound gives x TEXT affinity in
        // its comparison only, which one conversion of x can stand for only if the other bound does the same
        if (compressedTextOperand(start) != null || compressedTextOperand(end) != null) {
            if (hasTextAffinity(start) && hasTextAffinity(end)) {
                applyTextAffinity(compressedTextOperand(start) != null ? start : end, value);
            } else if (isNumber(value) || value instanceof JdbcParameter || value instanceof Function
                    || value instanceof CaseExpression) {
                comparedBoundByBound(between);
            }
        }
        return super.visit(between, context);
    }

    @Override
    public <S> Void visit(IsNullExpression isNull, S context) {
        isNull.setLeftExpression(asWritten(isNull.getLeftExpression()));
        return super.visit(isNull, context);
    }

    @Override
    public <S> Void visit(IsBooleanExpression isBoolean, S context) {
        isBoolean.setLeftExpression(asWritten(isBoolean.getLeftExpression()));
        return super.visit(isBoolean, context);
    }

    /**
     * An operand the parser read as a sub-query ({@link OperandGroups}: a long BETWEEN bound, the first operands of
     * a chain of comparisons): the operand itself.
     */
    private static Expression asWritten(Expression operand) {
        if (operand instanceof ParenthesedSelect && ((ParenthesedSelect) operand).getSelect() instanceof PlainSelect) {
            PlainSelect select = (PlainSelect) ((ParenthesedSelect) operand).getSelect();
            if (select.getFromItem() == null && select.getSelectItems().size() == 1
                    && select.getSelectItem(0).getAlias() != null
                    && OperandGroups.OPERAND_ALIAS.equals(select.getSelectItem(0).getAlias().getName())) {
                return select.getSelectItem(0).getExpression();
            }
        }
        return operand;
    }

    /**
     * x BETWEEN a AND b where only one bound is a compressed TEXT column: SQLite converts x to TEXT for that
     * bound's comparison only. Written out as {@code (SELECT p' >= s AND p <= e FROM (SELECT x AS p, a AS s,
     * b AS e))}, so x is still evaluated once, the text keeps its order (parameters keep their numbers) and
     * each bound keeps its own affinity; p' is p converted as TEXT affinity converts it.
     */
    private void comparedBoundByBound(Between between) {
        Expression value = between.getLeftExpression();
        Expression start = between.getBetweenExpressionStart();
        Expression end = between.getBetweenExpressionEnd();
        if (failure != null) {
            return;
        }
        if (containsAggregate(value) || containsAggregate(start) || containsAggregate(end)) {
            failure = SqlRewriter.cannotRewrite(value + " BETWEEN a compressed TEXT column and a bound of another affinity"
                    + " converts " + value + " differently in each comparison, and an aggregate or window"
                    + " function cannot be evaluated apart; write the two comparisons out");
            return;
        }
        int[] x = rewriter.span(value);
        int[] a = rewriter.span(start);
        int[] b = rewriter.span(end);
        String first = rewriter.sql.substring(x[1], a[0]);
        String second = rewriter.sql.substring(a[1], b[0]);
        if (!first.matches("(?is)\\s*(NOT\\s+)?BETWEEN\\s*") || !second.matches("(?is)\\s*AND\\s*")) {
            failure = SqlRewriter.cannotRewrite(value + " BETWEEN a compressed TEXT column and a bound of another affinity"
                    + " is written in a form the rewriter cannot split; write the two comparisons out");
            return;
        }
        String low = (compressedTextOperand(start) != null ? TEXT_AFFINITY_OF_P : "p") + " >= s";
        String high = (compressedTextOperand(end) != null ? TEXT_AFFINITY_OF_P : "p") + " <= e";
        String test = between.isNot() ? "NOT (" + low + " AND " + high + ")" : low + " AND " + high;
        rewriter.edits.wrap(x[0], b[1], "(SELECT " + test + " FROM (SELECT ", " AS e))");
        rewriter.edits.replace(x[1], a[0], " AS p, ");
        rewriter.edits.replace(a[1], b[0], " AS s, ");
    }

    /** Whether an aggregate or window function is evaluated in the expression (outside its sub-queries too). */
    private boolean containsAggregate(Expression expression) {
        boolean[] found = {false};
        expression.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(Function function, S context) {
                String name = function.getName() == null ? "" : function.getName().toLowerCase(Locale.ROOT);
                int arguments = function.getParameters() == null ? 0 : function.getParameters().size();
                found[0] |= AGGREGATES.contains(name) || function.isAllColumns()
                        || ((name.equals("min") || name.equals("max")) && arguments <= 1);
                return super.visit(function, context);
            }

            @Override
            public <S> Void visit(AnalyticExpression analytic, S context) {
                found[0] = true;
                return null;
            }
        }, null);
        return found[0];
    }

    @Override
    public <S> Void visit(InExpression in, S context) {
        in.setLeftExpression(asWritten(in.getLeftExpression()));
        if (in.getRightExpression() instanceof Select) {
            applyTextAffinity(in.getRightExpression(), in.getLeftExpression());
            convertComputedResults(in.getLeftExpression(), (Select) in.getRightExpression());
        }
        if (in.getRightExpression() instanceof Column) {
            in.getLeftExpression().accept(this, context);
            inTable(in.getLeftExpression(), (Column) in.getRightExpression());
            return null;
        }
        Expression list = in.getRightExpression();
        // JSqlParser 5.3 reads "a IN (1, 2) OR b" as "a IN ((1, 2) OR b)": the list is the leftmost operand
        while (list instanceof BinaryExpression && !(list instanceof ComparisonOperator)) {
            list = ((BinaryExpression) list).getLeftExpression();
        }
        if (list instanceof ExpressionList) {
            for (Object item : (ExpressionList<?>) list) {
                if (item instanceof Expression && listItemTakesTextAffinity((Expression) item)) {
                    convertForTextColumn(in.getLeftExpression(), (Expression) item);
                }
            }
        }
        return super.visit(in, context);
    }

    /**
     * {@code x IN (SELECT e ...)} where x is a compressed TEXT column and e (in a compound select: the last one's)
     * is computed, with no affinity: SQLite converts the values e yields as x's TEXT affinity would. The sub-query is
     * read through a CTE that converts them, so an aggregate e is still aggregated by its own SELECT.
     */
    private void convertComputedResults(Expression left, Select right) {
        Select select = right;
        while (select instanceof ParenthesedSelect) { // x IN ((SELECT e)): a list of one, converted alike
            select = ((ParenthesedSelect) select).getSelect();
        }
        Select last = select instanceof SetOperationList
                ? ((SetOperationList) select).getSelects().get(((SetOperationList) select).getSelects().size() - 1)
                : select;
        while (last instanceof ParenthesedSelect) {
            last = ((ParenthesedSelect) last).getSelect();
        }
        if (!(last instanceof PlainSelect) || ((PlainSelect) last).getSelectItems().size() != 1
                || !DerivedTables.computed(((PlainSelect) last).getSelectItems().get(0).getExpression())
                || select.getWithItemsList() != null || compressedTextOperand(left) == null) {
            return;
        }
        int[] span = rewriter.span(select);
        rewriter.edits.wrap(span[0], span[1], "WITH " + CONVERTED + "(p) AS (",
                ") SELECT " + TEXT_AFFINITY_OF_P + " FROM " + CONVERTED);
    }

    /**
     * {@code x IN t}: SQLite compares with the only column of table {@code t}, which the parser sees as a
     * column reference. A compressed one is read through a sub-select that decompresses it, and x is converted as
     * that column's TEXT affinity would convert it.
     */
    private void inTable(Expression left, Column named) {
        String bare = unbracket(named.getUnquotedColumnName());
        if (rewriter.derivedTables.isCommonTable(bare)) {
            return; // a CTE's columns are decompressed in its own SELECT
        }
        try {
            TableInfo table = rewriter.catalogue.table(bare);
            Source source = new Source(bare, table, false, rewriter.catalogue);
            if (source.table != null && source.table.columns().size() == 1
                    && source.isCompressed(source.table.columns().get(0))) {
                int[] span = rewriter.span(named);
                String column = source.table.columns().get(0);
                rewriter.replace(named, "(SELECT "
                        + DecompressCall.of(quote(bare) + "." + quote(column), source, column)
                        + " FROM " + rewriter.sql.substring(span[0], span[1]) + " AS " + quote(bare) + ")");
                if (source.table.hasTextAffinity(column) && takesTextAffinity(left)) {
                    convertAsText(left, source.table.name() + "." + column);
                }
            }
        } catch (SQLException e) {
            failure = failure == null ? e : failure;
        }
    }

    /**
     * A number literal, arithmetic, or a truth value (a comparison, AND, NOT, IN, LIKE, EXISTS, …: SQLite gives 1 or
     * 0), whose value is always a number (or NULL).
     */
    private boolean isNumber(Expression expression) {
        Expression inner = withoutParentheses(expression);
        if (inner instanceof SignedExpression && ((SignedExpression) inner).getSign() == '+') {
            return isNumber(((SignedExpression) inner).getExpression()); // +x is x's value, only without affinity
        }
        return inner instanceof LongValue || inner instanceof DoubleValue || inner instanceof SignedExpression
                || inner instanceof Addition || inner instanceof Subtraction || inner instanceof Multiplication
                || inner instanceof Division || inner instanceof IntegerDivision || inner instanceof Modulo
                || inner instanceof BitwiseAnd || inner instanceof BitwiseOr || inner instanceof BitwiseXor
                || inner instanceof BitwiseLeftShift || inner instanceof BitwiseRightShift
                || inner instanceof ComparisonOperator || inner instanceof IsDistinctExpression
                || inner instanceof Between || inner instanceof InExpression || inner instanceof LikeExpression
                || inner instanceof IsNullExpression || inner instanceof IsBooleanExpression
                || inner instanceof NotExpression || inner instanceof AndExpression || inner instanceof OrExpression
                || inner instanceof XorExpression || inner instanceof ExistsExpression;
    }

    private static Expression withoutParentheses(Expression expression) {
        Expression inner = expression;
        while (inner instanceof Parenthesis
                || (inner instanceof ExpressionList && ((ExpressionList<?>) inner).size() == 1)) {
            inner = inner instanceof Parenthesis ? ((Parenthesis) inner).getExpression()
                    : (Expression) ((ExpressionList<?>) inner).get(0); // (n): a list of one to this parser
        }
        return inner;
    }

    /**
     * A comparison applies a TEXT column's affinity to a number or parameter it is compared with; a
     * decompressed value has no affinity, so the conversion is written out: a number literal or arithmetic
     * becomes {@code CAST(n AS TEXT)}, a parameter is converted when it is bound to a number (a BLOB stays a
     * BLOB).
     */
    private void applyTextAffinity(Expression columnSide, Expression other) {
        if (takesTextAffinity(other)) {
            convertForTextColumn(columnSide, other);
        }
    }

    /** Converts {@code other} as TEXT affinity would when {@code columnSide} reads a compressed TEXT column. */
    private void convertForTextColumn(Expression columnSide, Expression other) {
        String compressed = compressedTextOperand(columnSide);
        if (compressed != null) {
            convertAsText(other, compressed);
        }
    }

    /**
     * Whether TEXT affinity converts an item of {@code x IN (…)}: SQLite gives the items no affinity, not even a
     * column or a CAST ({@code x IN (c)} is {@code x = +c}). A TEXT column's values are TEXT (or BLOB or NULL)
     * already, so a reference to one is left as it is.
     */
    private boolean listItemTakesTextAffinity(Expression item) {
        if (item instanceof CastExpression) {
            return true;
        }
        if (item instanceof Column) {
            ResolvedColumn column = scope.resolve((Column) item);
            return column == null || column.source().table == null ? takesTextAffinity(item)
                    : !column.source().table.hasTextAffinity(column.column());
        }
        return takesTextAffinity(item);
    }

    /**
     * Whether TEXT affinity converts what the operand yields in a comparison: it has no affinity of its own (a
     * column, a CAST or a sub-query of a column has one, which SQLite weighs itself) and may yield a number.
     */
    private boolean takesTextAffinity(Expression operand) {
        Expression other = withoutParentheses(operand); // SQLite keeps no parentheses: (?) is ?, (f(x)) is f(x)
        if (other instanceof Function && ((Function) other).getName() != null
                && TEXT_FUNCTIONS.contains(((Function) other).getName().toLowerCase(Locale.ROOT))) {
            return false; // TEXT or NULL already: TEXT affinity leaves it as it is
        }
        // a CASE has no affinity either, and gives a number or not only per row: converted like a function; so is
        // a sub-query's result computed by an expression, or a sub-query computing its only result
        // +x is x without its affinity
        return isNumber(other) || other instanceof SignedExpression || other instanceof JdbcParameter
                || other instanceof Function
                || other instanceof CaseExpression || computedSubQuery(other)
                || (other instanceof Column && scope.resolve((Column) other) == null
                        && scope.computedResult((Column) other));
    }

    /**
     * Writes out the conversion the TEXT affinity of {@code compressed} (a compressed column) applies to
     * {@code other}: a number literal or arithmetic becomes {@code CAST(n AS TEXT)}; anything else is evaluated once,
     * in a sub-select that converts a number it yields.
     */
    private void convertAsText(Expression other, String compressed) {
        if (!isNumber(other) && containsAggregate(other)) {
            // evaluated in a sub-select, an aggregate would aggregate that sub-select's one row
            failure = failure != null ? failure : SqlRewriter.cannotRewrite("the aggregate " + other
                    + " is compared with compressed column " + compressed + "; SQLite would turn a number it"
                    + " returns into TEXT first. Compare with CAST(" + other + " AS TEXT) instead");
            return;
        }
        int[] span = rewriter.span(other);
        if (!isNumber(other)) {
            // evaluated once, in a sub-select that may read the row (a function of the row is correlated)
            rewriter.edits.wrap(span[0], span[1], "(SELECT " + TEXT_AFFINITY_OF_P + " FROM (SELECT ", " AS p))");
        } else {
            rewriter.edits.wrap(span[0], span[1], "CAST(", " AS TEXT)");
        }
    }

    /**
     * A sub-query whose only result is computed by an expression (an aggregate, arithmetic, a literal): SQLite gives
     * it no affinity, so a TEXT column it is compared with converts a number it yields.
     */
    private static boolean computedSubQuery(Expression expression) {
        Select select = expression instanceof Select ? (Select) expression : null;
        while (select instanceof ParenthesedSelect) {
            select = ((ParenthesedSelect) select).getSelect();
        }
        return select instanceof PlainSelect && ((PlainSelect) select).getSelectItems().size() == 1
                && DerivedTables.computed(((PlainSelect) select).getSelectItems().get(0).getExpression());
    }

    /**
     * The compressed TEXT column an operand reads ("table.column"), or null: a reference to one, or a sub-query
     * whose only result is one (SQLite gives such a sub-query its column's affinity).
     */
    String compressedTextOperand(Expression expression) {
        Expression operand = expression;
        // (x) and x COLLATE y keep x's affinity
        while (operand instanceof CollateExpression || operand instanceof Parenthesis
                || (operand instanceof ExpressionList && ((ExpressionList<?>) operand).size() == 1)) {
            operand = operand instanceof Parenthesis ? ((Parenthesis) operand).getExpression()
                    : operand instanceof ExpressionList ? (Expression) ((ExpressionList<?>) operand).get(0)
                    : ((CollateExpression) operand).getLeftExpression();
        }
        if (operand instanceof Column) {
            ResolvedColumn resolved = scope.resolve((Column) operand);
            if (resolved == null) {
                return scope.textResult((Column) operand);
            }
            return resolved.compressed() && resolved.source().table.hasTextAffinity(resolved.column())
                    ? resolved.source().table.name() + "." + resolved.column() : null;
        }
        Select select = operand instanceof Select ? (Select) operand : null;
        while (select instanceof ParenthesedSelect) {
            select = ((ParenthesedSelect) select).getSelect();
        }
        if (!(select instanceof PlainSelect) || ((PlainSelect) select).getSelectItems().size() != 1) {
            return null;
        }
        PlainSelect plain = (PlainSelect) select;
        Expression result = plain.getSelectItems().get(0).getExpression();
        if (!(result instanceof Column) && !(result instanceof AllColumns)) {
            return null;
        }
        Scope inner = rewriter.sources.tablesOf(plain, scope);
        if (inner == null) {
            return null;
        }
        if (result instanceof AllColumns) { // SELECT * (or t.*) FROM t, where t has one column: that column
            Source only = inner.sources.size() == 1 ? inner.sources.get(0) : null;
            if (only == null || only.table == null || only.table.columns().size() != 1) {
                return null;
            }
            String column = only.table.columns().get(0);
            return only.isCompressed(column) && only.table.hasTextAffinity(column)
                    ? only.table.name() + "." + column : null;
        }
        return new ExpressionReader(rewriter, inner).compressedTextOperand(result);
    }

    /** Whether SQLite gives the operand TEXT affinity: a TEXT column, compressed or not, or such a sub-query. */
    private boolean hasTextAffinity(Expression operand) {
        if (compressedTextOperand(operand) != null) {
            return true;
        }
        ResolvedColumn resolved = operand instanceof Column ? scope.resolve((Column) operand) : null;
        return resolved != null && resolved.source().table != null
                && resolved.source().table.hasTextAffinity(resolved.column());
    }

    @Override
    public <S> Void visit(CaseExpression caseExpression, S context) {
        Expression operand = caseExpression.getSwitchExpression();
        if (operand != null && caseExpression.getWhenClauses() != null) {
            // CASE x WHEN y compares as x = y does
            for (WhenClause when : caseExpression.getWhenClauses()) {
                applyTextAffinity(operand, when.getWhenExpression());
                applyTextAffinity(when.getWhenExpression(), operand);
            }
        }
        return super.visit(caseExpression, context);
    }

    @Override
    public <S> Void visit(AnalyticExpression analytic, S context) {
        try {
            rewriter.read(analytic.getExpression(), scope);
            rewriter.read(analytic.getFilterExpression(), scope);
            if (analytic.getPartitionExpressionList() != null) {
                rewriter.readAll(analytic.getPartitionExpressionList(), scope);
            }
            rewriter.orderBy(analytic.getOrderByElements(), scope);
            if (analytic.getFuncOrderBy() != null) {
                rewriter.orderBy(analytic.getFuncOrderBy(), scope);
            }
        } catch (SQLException e) {
            failure = failure == null ? e : failure;
        }
        return null;
    }

    @Override
    public <S> Void visit(JdbcNamedParameter parameter, S context) {
        rewriter.namedParameters = true; // the parser numbers only '?' parameters: indexes would be off
        return null;
    }

    @Override
    public <S> Void visit(ParenthesedSelect select, S context) {
        nested(select);
        return null;
    }

    @Override
    public <S> Void visit(Select select, S context) {
        nested(select);
        return null;
    }

    private void nested(Select select) {
        if (failure != null) {
            return;
        }
        try {
            rewriter.select(select, scope, false);
        } catch (SQLException e) {
            failure = e;
        }
    }
}
