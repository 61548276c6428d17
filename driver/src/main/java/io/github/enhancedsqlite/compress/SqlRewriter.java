package io.github.enhancedsqlite.compress;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.WindowDefinition;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.CollateExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseAnd;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseLeftShift;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseOr;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseRightShift;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseXor;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.IntegerDivision;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsDistinctExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.parser.ASTNodeAccess;
import net.sf.jsqlparser.parser.SimpleNode;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.TableFunction;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;

/**
 * Rewrites one parsed statement so that no query can tell compressed columns from plain ones. Every read of a
 * column that may hold compressed values, anywhere but as a bare result column of the outermost SELECT, is wrapped
 * in {@value #DECOMPRESS}: in WHERE, JOIN, ORDER BY, GROUP BY, HAVING, function arguments, sub-queries, CTEs,
 * compound and DISTINCT selects, SET expressions. Bare outermost result columns are left alone and decoded by the
 * result set's getters, which keeps point reads cheap. Parameters bound straight into such a column are noted so
 * their values can be compressed before binding. The rewrite splices the original text at the positions the parser
 * reports, so everything it does not touch runs exactly as written.
 *
 * <p>A construct it cannot account for (a compressed column in USING or a NATURAL join, {@code *} over such joins)
 * fails with an error naming the column: a wrong row is never an option.
 */
final class SqlRewriter {

    static final String DECOMPRESS = "esq_decompress";
    static final String ESCAPE = "esq_escape";
    /** The name of the common table an INSERT's SELECT is moved into so its values can be escaped. */
    private static final String ESCAPED_SOURCE = "_esq_source_";

    /** What the rewriter needs to know about the database. */
    interface Catalogue {
        /** The table, or {@link TableInfo#MISSING}. */
        TableInfo table(String name) throws SQLException;

        /** Whether a column may hold compressed values, so reads of it must decompress. */
        boolean mayHoldCompressed(ColumnRef column);

        /** Whether values written into the column are compressed. */
        boolean takesCompressed(ColumnRef column);
    }

    private final String sql;
    private final Catalogue catalogue;
    private final ParserText parsed;
    private final int[] lineStarts;
    private final List<Edit> edits = new ArrayList<>();
    private final Map<Integer, ColumnRef> compressTargets = new HashMap<>();
    /** The parameter nodes assigned straight into a column, by index: escaped in SQL if they cannot be at binding. */
    private final Map<Integer, List<Assigned>> assignedParameters = new HashMap<>();
    private final Set<Integer> parametersUsedElsewhere = new HashSet<>();
    private final Set<String> commonTableNames = new HashSet<>();
    /** By CTE name, its result columns that read a compressed TEXT column (lower-case): SQLite gives them TEXT affinity. */
    private final Map<String, Set<String>> commonTableTextResults = new HashMap<>();
    private final Map<String, Set<String>> commonTableComputedResults = new HashMap<>();
    private ColumnRef[] decodedResults;
    private final Set<ColumnRef> copiedInto = new HashSet<>();
    private boolean namedParameters;

    private SqlRewriter(String sql, ParserText parsed, Catalogue catalogue) {
        this.sql = sql;
        this.parsed = parsed;
        this.catalogue = catalogue;
        this.lineStarts = lineStarts(parsed.text());
    }

    static RewrittenSql rewrite(String sql, Statement statement, Catalogue catalogue) throws SQLException {
        return rewrite(sql, new ParserText(sql, null), statement, catalogue);
    }

    /** Rewrites the statement as written; the parser read {@code parsed}, whose positions map back to it. */
    static RewrittenSql rewrite(String sql, ParserText parsed, Statement statement, Catalogue catalogue)
            throws SQLException {
        return new SqlRewriter(sql, parsed, catalogue).run(statement);
    }

    private RewrittenSql run(Statement statement) throws SQLException {
        if (statement instanceof Select) {
            select((Select) statement, null, true);
        } else if (statement instanceof Insert) {
            insert((Insert) statement);
        } else if (statement instanceof Upsert) {
            upsert((Upsert) statement);
        } else if (statement instanceof Update) {
            update((Update) statement);
        } else if (statement instanceof Delete) {
            delete((Delete) statement);
        } else {
            return RewrittenSql.unchanged(sql);
        }
        ColumnRef[] targets = targets();
        return new RewrittenSql(applyEdits(), compressing(targets, true), compressing(targets, false), decodedResults,
                Set.copyOf(copiedInto), Set.of());
    }

    // ---------------------------------------------------------------- statements

    private void select(Select select, Scope outer, boolean outermost) throws SQLException {
        withItems(select.getWithItemsList(), outer);
        limit(select.getLimit(), select.getOffset(), outer);
        if (select instanceof PlainSelect) {
            plainSelect((PlainSelect) select, outer, outermost);
        } else if (select instanceof SetOperationList) {
            // each member's result columns are compared, de-duplicated or sorted together: all decompressed in SQL
            for (Select member : ((SetOperationList) select).getSelects()) {
                select(member, outer, false);
            }
        } else if (select instanceof ParenthesedSelect) {
            select(((ParenthesedSelect) select).getSelect(), outer, outermost);
        } else if (select instanceof Values) {
            readAll(((Values) select).getExpressions(), outer);
        } else {
            unsupported(select.toString());
        }
    }

    private void withItems(List<WithItem<?>> items, Scope outer) throws SQLException {
        if (items == null) {
            return;
        }
        for (WithItem<?> item : items) {
            commonTableNames.add(item.getUnquotedAliasName().toLowerCase(Locale.ROOT));
            if (item.getSelect() == null) {
                unsupported(item.toString());
            }
            select(item.getSelect(), outer, false);
            List<String> renamed = null;
            if (item.getWithItemList() != null) {
                renamed = new ArrayList<>();
                for (Object column : item.getWithItemList()) {
                    renamed.add(String.valueOf(column instanceof SelectItem
                            ? ((SelectItem<?>) column).getExpression() : column));
                }
            }
            commonTableTextResults.put(item.getUnquotedAliasName().toLowerCase(Locale.ROOT),
                    textResults(item.getSelect(), renamed, outer));
            commonTableComputedResults.put(item.getUnquotedAliasName().toLowerCase(Locale.ROOT),
                    computedResults(item.getSelect(), renamed));
        }
    }

    /**
     * The result columns of a sub-query or CTE that are a compressed TEXT column as written (lower-case names):
     * SQLite gives such a column that column's TEXT affinity, which the decompressed value no longer carries, so
     * comparisons with it convert numbers as comparisons with the column itself do.
     */
    private Set<String> textResults(Select select, List<String> renamed, Scope outer) {
        Select inner = select;
        while (inner instanceof ParenthesedSelect) {
            inner = ((ParenthesedSelect) inner).getSelect();
        }
        Set<String> names = new HashSet<>();
        if (!(inner instanceof PlainSelect)) {
            return names;
        }
        PlainSelect plain = (PlainSelect) inner;
        Scope tables = tablesOf(plain, outer);
        if (tables == null) {
            return names;
        }
        Reader reader = new Reader(tables);
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
        Select inner = select;
        while (inner instanceof ParenthesedSelect) {
            inner = ((ParenthesedSelect) inner).getSelect();
        }
        Set<String> names = new HashSet<>();
        if (!(inner instanceof PlainSelect)) {
            return names;
        }
        List<SelectItem<?>> items = ((PlainSelect) inner).getSelectItems();
        for (int i = 0; i < items.size(); i++) {
            Expression expression = items.get(i).getExpression();
            String name = renamed != null && i < renamed.size() ? renamed.get(i)
                    : items.get(i).getAlias() != null ? items.get(i).getAlias().getUnquotedName() : null;
            if (name != null && !(expression instanceof Column) && !(expression instanceof CastExpression)
                    && !(expression instanceof AllColumns) && !(expression instanceof Parenthesis)
                    && !(expression instanceof ExpressionList) && !(expression instanceof Select)) {
                names.add(unbracket(name.replace("\"", "")).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** A scope of the tables a simple SELECT reads, or null when it reads anything but named tables. */
    private Scope tablesOf(PlainSelect plain, Scope outer) {
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
                    Source derived = new Source(name, null, false);
                    if (item instanceof ParenthesedSelect) {
                        derived.textResults.addAll(textResults((ParenthesedSelect) item, null, inner));
                        derived.computedResults.addAll(computedResults((ParenthesedSelect) item, null));
                    }
                    inner.add(derived);
                    continue;
                }
                if (!(item instanceof Table)) {
                    return null;
                }
                Table table = (Table) item;
                boolean common = commonTableNames.contains(tableName(table).toLowerCase(Locale.ROOT));
                inner.add(new Source(alias(table), common ? null : catalogue.table(tableName(table)), false));
            }
        } catch (SQLException e) {
            return null;
        }
        return inner;
    }

    private void plainSelect(PlainSelect select, Scope outer, boolean outermost) throws SQLException {
        Scope scope = new Scope(outer);
        List<Join> joins = new ArrayList<>();
        if (select.getFromItem() != null) {
            from(select.getFromItem(), select.getJoins(), scope, joins);
        }
        for (Join join : joins) {
            for (Expression on : join.getOnExpressions()) {
                read(on, scope);
            }
        }
        read(select.getWhere(), scope);
        read(select.getHaving(), scope);
        if (select.getGroupBy() != null) {
            readAll(select.getGroupBy().getGroupByExpressionList(), scope);
        }
        Set<String> resultNames = resultNames(select, scope);
        if (select.getOrderByElements() != null) {
            for (OrderByElement element : select.getOrderByElements()) {
                if (namedResultColumn(element, resultNames) == null) {
                    read(element.getExpression(), scope); // a bare result name sorts that (decompressed) result
                }
            }
        }
        boolean decodeInGetters = outermost && select.getDistinct() == null && select.getGroupBy() == null
                && select.getHaving() == null && !ordersByResultColumn(select, resultNames) && !aliasesReused(select)
                && starsCountable(select, scope);
        if (select.getWindowDefinitions() != null) {
            for (WindowDefinition window : select.getWindowDefinitions()) {
                windowElements(window, scope);
            }
        }
        projections(select.getSelectItems(), scope, decodeInGetters);
    }

    /**
     * Adds a FROM clause's tables to the scope, those of a parenthesised join ({@code a JOIN (b JOIN c ON …) ON …})
     * included, and collects every join whose ON must be read once all of them are known.
     */
    private void from(FromItem first, List<Join> following, Scope scope, List<Join> joins) throws SQLException {
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
                    throw cannotRewrite("a NATURAL or USING join compares compressed column " + source.table.name()
                            + "." + column + " without an expression to decompress; join with ON instead");
                }
            }
            if (!known && source.hasCompressed()) {
                throw cannotRewrite("a NATURAL join beside a sub-query may compare " + describeCompressed(both)
                        + " without an expression to decompress; join with ON instead");
            }
        }
        for (Source r : right) {
            r.hiddenFromStar.addAll(compared);
            // a sub-query's copy cannot be left out of alias.*, and RIGHT/FULL joins show a coalesced value
            scope.starUnsure |= r.table == null || join.isRight() || join.isFull();
        }
    }

    private void insert(Insert insert) throws SQLException {
        withItems(insert.getWithItemsList(), null);
        TableInfo table = catalogue.table(tableName(insert.getTable()));
        List<String> targets = targetColumns(insert.getColumns(), table);
        Select source = insert.getSelect();
        if (source instanceof Values || (source instanceof ParenthesedSelect
                && ((ParenthesedSelect) source).getSelect() instanceof Values)) {
            Values values = source instanceof Values ? (Values) source
                    : (Values) ((ParenthesedSelect) source).getSelect();
            valueRows(values.getExpressions(), table, targets);
        } else if (source != null) {
            select(source, null, false);
            escapeSelected(source, table, targets);
        }
        if (insert.getConflictAction() != null && insert.getConflictAction().getUpdateSets() != null) {
            Scope scope = targetScope(insert.getTable(), table, true);
            updateSets(insert.getConflictAction().getUpdateSets(), scope, table);
            read(insert.getConflictAction().getWhereExpression(), scope);
        }
        if (insert.getReturningClause() != null) {
            returning(insert.getReturningClause(), targetScope(insert.getTable(), table, false));
        }
    }

    private void upsert(Upsert upsert) throws SQLException {
        TableInfo table = catalogue.table(tableName(upsert.getTable()));
        List<String> targets = targetColumns(upsert.getColumns(), table);
        Select source = upsert.getSelect();
        if (source instanceof Values) {
            valueRows(((Values) source).getExpressions(), table, targets);
        } else if (source != null) {
            select(source, null, false);
            escapeSelected(source, table, targets);
        } else if (upsert.getExpressions() != null) {
            valueRows(upsert.getExpressions(), table, targets);
        }
        if (upsert.getUpdateSets() != null) {
            updateSets(upsert.getUpdateSets(), targetScope(upsert.getTable(), table, false), table);
        }
    }

    /** LIMIT and OFFSET read no row, but a sub-query in them reads its own tables. */
    private void limit(net.sf.jsqlparser.statement.select.Limit limit, net.sf.jsqlparser.statement.select.Offset offset,
                       Scope outer) throws SQLException {
        if (limit != null) {
            read(limit.getRowCount(), outer);
            read(limit.getOffset(), outer);
        }
        if (offset != null) {
            read(offset.getOffset(), outer);
        }
    }

    private void update(Update update) throws SQLException {
        withItems(update.getWithItemsList(), null);
        TableInfo table = catalogue.table(tableName(update.getTable()));
        Scope scope = targetScope(update.getTable(), table, false);
        if (update.getFromItem() != null) {
            List<Join> joins = new ArrayList<>();
            from(update.getFromItem(), update.getJoins(), scope, joins);
            for (Join join : joins) {
                for (Expression on : join.getOnExpressions()) {
                    read(on, scope);
                }
            }
        }
        updateSets(update.getUpdateSets(), scope, table);
        read(update.getWhere(), scope);
        orderBy(update.getOrderByElements(), scope);
        limit(update.getLimit(), null, null);
        if (update.getReturningClause() != null) {
            returning(update.getReturningClause(), scope);
        }
    }

    private void delete(Delete delete) throws SQLException {
        withItems(delete.getWithItemsList(), null);
        TableInfo table = catalogue.table(tableName(delete.getTable()));
        Scope scope = targetScope(delete.getTable(), table, false);
        read(delete.getWhere(), scope);
        orderBy(delete.getOrderByElements(), scope);
        limit(delete.getLimit(), null, null);
        if (delete.getReturningClause() != null) {
            returning(delete.getReturningClause(), scope);
        }
    }

    // ---------------------------------------------------------------- writes

    private void valueRows(ExpressionList<?> rows, TableInfo table, List<String> targets) throws SQLException {
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

    private void updateSets(List<UpdateSet> sets, Scope scope, TableInfo table) throws SQLException {
        for (UpdateSet set : sets) {
            List<Column> columns = set.getColumns();
            List<?> values = set.getValues();
            if (columns.size() != values.size()) {
                for (Column column : columns) {
                    ColumnRef target = new ColumnRef(table.name(), unbracket(column.getUnquotedColumnName()));
                    if (catalogue.mayHoldCompressed(target)) {
                        throw cannotRewrite("a row value assigned to " + target
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
        boolean holdsEnvelopes = target != null && catalogue.mayHoldCompressed(target);
        if (value instanceof JdbcParameter && holdsEnvelopes) {
            JdbcParameter parameter = (JdbcParameter) value;
            if (compressTargets.putIfAbsent(parameter.getIndex(), target) != null) {
                parametersUsedElsewhere.add(parameter.getIndex());
            }
            assignedParameters.computeIfAbsent(parameter.getIndex(), i -> new ArrayList<>())
                    .add(new Assigned(parameter, target));
            return;
        }
        if (value instanceof Column && holdsEnvelopes) {
            Resolved source = scope.resolve((Column) value);
            if (source != null && source.compressed) {
                copiedInto.add(target); // the stored form moves as it is: the target may now hold envelopes
                return;
            }
        }
        read(value, scope);
        if (holdsEnvelopes && mayBeBlob(value)) {
            escape(value, target);
        }
    }

    /** Wraps a value about to be stored in {@value #ESCAPE}; the column may then hold an escaped value. */
    private void escape(Expression value, ColumnRef target) {
        int[] span = span(value);
        edits.add(Edit.prefix(span[0], ESCAPE + "("));
        edits.add(Edit.suffix(span[1], ")"));
        copiedInto.add(target);
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

    private static final String ENVELOPE_MAGIC_HEX = StoredFormat.MAGIC_HEX;

    /** SQLite functions whose result is never a BLOB. */
    private static final Set<String> NEVER_BLOB_FUNCTIONS = Set.of("abs", "changes", "char", "count", "date",
            "datetime", "format", "glob", "hex", "instr", "json", "json_array", "json_array_length", "json_extract",
            "json_insert", "json_object", "json_patch", "json_quote", "json_remove", "json_replace", "json_set",
            "json_type", "json_valid", "json_group_array", "json_group_object", "julianday", "last_insert_rowid",
            "length", "like", "lower", "ltrim", "octet_length", "printf", "quote", "random", "round",
            "rtrim", "sign", "soundex", "sqlite_version", "strftime", "time", "total", "total_changes", "trim",
            "typeof", "unicode", "unixepoch", "upper", "avg", "sum", "group_concat", "string_agg");

    /** SQLite functions whose result is TEXT or NULL, never a number: comparing one needs no conversion. */
    /** What TEXT affinity makes of a value p: a number becomes its text, anything else stays as it is. */
    private static final String TEXT_AFFINITY_OF_P = "CASE WHEN typeof(p) IN ('integer', 'real') THEN CAST(p AS TEXT)"
            + " ELSE p END";
    private static final Set<String> AGGREGATES = Set.of("count", "sum", "total", "avg", "group_concat", "string_agg",
            "json_group_array", "json_group_object", "jsonb_group_array", "jsonb_group_object", "median",
            "percentile", "percentile_cont", "percentile_disc");
    private static final Set<String> TEXT_FUNCTIONS = Set.of("upper", "lower", "trim", "ltrim", "rtrim", "replace",
            "printf", "format", "quote", "hex", "typeof", "char", "group_concat", "string_agg", "date", "time",
            "datetime", "strftime", "json", "json_array", "json_object", "json_quote", "json_type", "soundex",
            "concat", "concat_ws", "sqlite_version");

    /**
     * INSERT … SELECT into columns that may hold envelopes: the SELECT becomes a common table whose columns are
     * stored through {@value #ESCAPE} (whatever the SELECT is: compound, {@code *}, VALUES), so a BLOB that
     * begins like an envelope arrives escaped.
     */
    private void escapeSelected(Select source, TableInfo table, List<String> targets) {
        boolean any = false;
        StringBuilder names = new StringBuilder();
        StringBuilder stored = new StringBuilder();
        for (int i = 0; i < targets.size(); i++) {
            ColumnRef target = new ColumnRef(table.name(), targets.get(i));
            String name = quote("c" + (i + 1));
            names.append(i == 0 ? "" : ", ").append(name);
            boolean escaped = table.has(target.column()) && catalogue.mayHoldCompressed(target);
            stored.append(i == 0 ? "" : ", ").append(escaped ? ESCAPE + "(" + name + ")" : name);
            if (escaped) {
                copiedInto.add(target);
                any = true;
            }
        }
        if (!any) {
            return;
        }
        int[] span = span(source);
        edits.add(Edit.prefix(span[0], "WITH " + ESCAPED_SOURCE + "(" + names + ") AS ("));
        // WHERE true: SQLite reads an ON CONFLICT right after a SELECT's FROM as a join constraint otherwise
        edits.add(Edit.suffix(span[1], ") SELECT " + stored + " FROM " + ESCAPED_SOURCE + " WHERE true"));
    }

    private List<String> targetColumns(ExpressionList<Column> columns, TableInfo table) {
        if (columns == null || columns.isEmpty()) {
            return table.columns();
        }
        List<String> names = new ArrayList<>();
        for (Column column : columns) {
            names.add(column.getUnquotedColumnName());
        }
        return names;
    }

    private Scope targetScope(Table target, TableInfo table, boolean withExcluded) {
        Scope scope = new Scope(null);
        scope.add(new Source(alias(target), table, false));
        if (withExcluded) {
            scope.add(new Source("excluded", table, true));
        }
        return scope;
    }

    // ---------------------------------------------------------------- reads

    private void read(Expression expression, Scope scope) throws SQLException {
        if (expression == null) {
            return;
        }
        Reader reader = new Reader(scope);
        expression.accept(reader, null);
        if (reader.failure != null) {
            throw reader.failure;
        }
    }

    private void readAll(ExpressionList<?> expressions, Scope scope) throws SQLException {
        if (expressions == null) {
            return;
        }
        for (Object expression : expressions) {
            if (expression instanceof Expression) {
                read((Expression) expression, scope);
            }
        }
    }

    private void orderBy(List<OrderByElement> elements, Scope scope) throws SQLException {
        if (elements == null) {
            return;
        }
        for (OrderByElement element : elements) {
            read(element.getExpression(), scope);
        }
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
            if (expression instanceof LongValue || namedResultColumn(element, resultNames) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The names a bare ORDER BY identifier takes as a result column before any table's column, lower-case: the
     * AS aliases and the columns {@code *} and {@code t.*} expand to (SQLite names those as if aliased).
     */
    private static Set<String> resultNames(PlainSelect select, Scope scope) {
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
    private static String namedResultColumn(OrderByElement element, Set<String> resultNames) {
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
                if (Schema.mentions(sql, alias) > 1) {
                    return true;
                }
            }
        }
        return false;
    }

    private void windowElements(WindowDefinition window, Scope scope) throws SQLException {
        if (window.getPartitionExpressionList() != null) {
            readAll(window.getPartitionExpressionList(), scope);
        }
        orderBy(window.getOrderByElements(), scope);
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

    private void projections(List<SelectItem<?>> items, Scope scope, boolean decodeInGetters) throws SQLException {
        List<ColumnRef> decoded = new ArrayList<>();
        for (SelectItem<?> item : items) {
            Expression expression = item.getExpression();
            if (expression instanceof AllTableColumns) {
                Source source = scope.local(tableName(((AllTableColumns) expression).getTable()));
                star(expression, source == null ? List.of() : List.of(source), false, decodeInGetters, decoded);
            } else if (expression instanceof AllColumns) {
                if (scope.starUnsure && scope.sources.stream().anyMatch(Source::hasCompressed)) {
                    throw cannotRewrite("* over a USING or NATURAL join (RIGHT, FULL or with a sub-query) beside "
                            + describeCompressed(scope.sources) + "; list the columns instead");
                }
                star(expression, scope.sources, true, decodeInGetters, decoded);
            } else if (expression instanceof Column) {
                Resolved resolved = scope.resolve((Column) expression);
                boolean compressed = resolved != null && resolved.compressed;
                if (compressed && !decodeInGetters) {
                    String name = item.getAlias() != null ? null : unbracket(((Column) expression).getUnquotedColumnName());
                    wrap((Column) expression, resolved, name);
                }
                decoded.add(compressed && decodeInGetters
                        ? new ColumnRef(resolved.source.table.name(), resolved.column) : null);
            } else {
                int editsBefore = edits.size();
                read(expression, scope);
                if (item.getAlias() == null && edits.size() > editsBefore) {
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
        int[] span = span(unaliased.getASTNode() != null ? unaliased : unaliased.getExpression());
        // the parser's last token of X'…' reaches one character past it: SQLite's label never ends in a space
        edits.add(Edit.name(span[1], " AS " + quote(sql.substring(span[0], span[1]).stripTrailing())));
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
                throw cannotRewrite("* mixes a sub-query with " + describeCompressed(sources)
                        + "; list the columns instead");
            }
            for (String column : source.columnsOfStar(joined)) {
                String qualified = quote(source.qualifier()) + "." + quote(column);
                spelled.append(spelled.length() == 0 ? "" : ", ");
                // every column named as * names it, so ORDER BY can still use the bare name
                spelled.append(source.isCompressed(column)
                        ? decompressCall(qualified, source, column) : qualified).append(" AS ").append(quote(column));
            }
        }
        replace(star, spelled.toString());
    }

    private void returning(List<? extends SelectItem<?>> items, Scope scope) throws SQLException {
        projections(new ArrayList<>(items), scope, false);
    }

    // ---------------------------------------------------------------- sources and scopes

    private Source source(FromItem item, Scope outer) throws SQLException {
        if (item instanceof Table) {
            Table table = (Table) item;
            if (commonTableNames.contains(tableName(table).toLowerCase(Locale.ROOT))) {
                Source common = new Source(alias(table), null, false);
                common.textResults.addAll(commonTableTextResults.getOrDefault(
                        tableName(table).toLowerCase(Locale.ROOT), Set.of()));
                common.computedResults.addAll(commonTableComputedResults.getOrDefault(
                        tableName(table).toLowerCase(Locale.ROOT), Set.of()));
                return common;
            }
            return new Source(alias(table), catalogue.table(tableName(table)), false);
        }
        if (item instanceof ParenthesedSelect) {
            ParenthesedSelect derived = (ParenthesedSelect) item;
            select(derived.getSelect(), outer, false);
            Source source = new Source(derived.getAlias() == null ? null : derived.getAlias().getUnquotedName(), null,
                    false);
            source.textResults.addAll(textResults(derived.getSelect(), null, outer));
            source.computedResults.addAll(computedResults(derived.getSelect(), null));
            return source;
        }
        // table-valued functions and the like: their columns are not stored columns, but their arguments are reads
        Reader reader = new Reader(outer == null ? new Scope(null) : outer);
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
        return new Source(name, null, false); // json_each(…) without an alias is named json_each
    }

    /**
     * The table's name as SQLite reads it: {@code "t"}, {@code `t`} and {@code [t]} all name {@code t}. JSqlParser
     * keeps the quotes in {@code getName()}, and a quoted name that missed the schema would skip the rewrite.
     */
    private static String tableName(Table table) {
        return unbracket(table.getUnquotedName());
    }

    private static String alias(Table table) {
        Alias alias = table.getAlias();
        return alias != null ? unbracket(alias.getUnquotedName()) : tableName(table);
    }

    /** One table or derived table a scope reads from. */
    private final class Source {
        final String name;
        /** Null for a derived table, a CTE or a function: its columns never hold compressed values. */
        final TableInfo table;
        /** SQLite's {@code excluded} row of an upsert: the values being inserted. */
        final boolean excluded;
        /** For a sub-query or CTE: its result columns that are a compressed TEXT column (lower-case). */
        final Set<String> textResults = new HashSet<>();
        /** For a sub-query or CTE: its result columns computed by an expression, which have no affinity. */
        final Set<String> computedResults = new HashSet<>();
        /** Lower-case names of the columns a USING or NATURAL join leaves out of {@code *}. */
        final Set<String> hiddenFromStar = new HashSet<>();

        Source(String name, TableInfo table, boolean excluded) {
            this.name = name;
            this.table = table != null && table.exists() ? table : null;
            this.excluded = excluded;
        }

        boolean isCompressed(String column) {
            return table != null && table.has(column)
                    && catalogue.mayHoldCompressed(new ColumnRef(table.name(), column));
        }

        /** The columns {@code *} shows of this table: all for {@code t.*}, less those a join compared for {@code *}. */
        List<String> columnsOfStar(boolean joined) {
            if (!joined || hiddenFromStar.isEmpty()) {
                return table.columns();
            }
            List<String> shown = new ArrayList<>();
            for (String column : table.columns()) {
                if (!hiddenFromStar.contains(column.toLowerCase(Locale.ROOT))) {
                    shown.add(column);
                }
            }
            return shown;
        }

        boolean hasCompressed() {
            if (table != null) {
                for (String column : table.columns()) {
                    if (isCompressed(column)) {
                        return true;
                    }
                }
            }
            return false;
        }

        String describeCompressed() {
            List<String> names = new ArrayList<>();
            if (table != null) {
                for (String column : table.columns()) {
                    if (isCompressed(column)) {
                        names.add(table.name() + "." + column);
                    }
                }
            }
            return "compressed column " + String.join(", ", names);
        }

        String qualifier() {
            return name != null ? name : table.name();
        }

        boolean matches(String qualifier) {
            return (name != null && name.equalsIgnoreCase(qualifier))
                    || (table != null && !excluded && table.name().equalsIgnoreCase(qualifier));
        }
    }

    private static String describeCompressed(List<Source> sources) {
        for (Source source : sources) {
            if (source.hasCompressed()) {
                return source.describeCompressed();
            }
        }
        return "compressed columns";
    }

    private record Resolved(Source source, String column, boolean compressed) {
    }

    /** The sources visible at one level of a statement, and those of the statements around it. */
    private final class Scope {
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
        Resolved resolve(Column column) {
            String name = unbracket(column.getUnquotedColumnName());
            Table qualifier = column.getTable();
            String qualifierName = qualifier == null || qualifier.getName() == null ? null : tableName(qualifier);
            for (Scope scope = this; scope != null; scope = scope.outer) {
                for (Source source : scope.sources) {
                    boolean candidate = qualifierName != null ? source.matches(qualifierName)
                            : source.table != null && !source.excluded && source.table.has(name);
                    if (candidate) {
                        return new Resolved(source, name, source.isCompressed(name));
                    }
                }
            }
            return null;
        }
    }

    /** Wraps every column reference that may hold compressed values; sub-queries get a scope of their own. */
    private final class Reader extends ExpressionVisitorAdapter<Void> {
        private final Scope scope;
        SQLException failure;

        Reader(Scope scope) {
            this.scope = scope;
        }

        @Override
        public <S> Void visit(Column column, S context) {
            Resolved resolved = scope.resolve(column);
            if (resolved != null && resolved.compressed) {
                wrap(column, resolved, null);
            } else if (resolved == null && column.getTable() != null && column.getTable().getName() != null
                    && !scope.knows(tableName(column.getTable())) && failure == null) {
                // a table this rewriter did not see (a form of FROM it does not model) might be compressed
                failure = cannotRewrite("the reference " + column + " names no table the compression rewriter"
                        + " found in the statement");
            }
            return null;
        }

        @Override
        public <S> Void visit(JdbcParameter parameter, S context) {
            parametersUsedElsewhere.add(parameter.getIndex());
            return null;
        }

        @Override
        protected <S> Void visitBinaryExpression(BinaryExpression expression, S context) {
            // IS [NOT] DISTINCT FROM compares as = does (and IS, which the parser reads as =)
            if (expression instanceof ComparisonOperator || expression instanceof IsDistinctExpression) {
                applyTextAffinity(expression.getLeftExpression(), expression.getRightExpression());
                applyTextAffinity(expression.getRightExpression(), expression.getLeftExpression());
            }
            return super.visitBinaryExpression(expression, context);
        }

        @Override
        public <S> Void visit(Between between, S context) {
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
                failure = cannotRewrite(value + " BETWEEN a compressed TEXT column and a bound of another affinity"
                        + " converts " + value + " differently in each comparison, and an aggregate or window"
                        + " function cannot be evaluated apart; write the two comparisons out");
                return;
            }
            int[] x = span(value);
            int[] a = span(start);
            int[] b = span(end);
            String first = sql.substring(x[1], a[0]);
            String second = sql.substring(a[1], b[0]);
            if (!first.matches("(?is)\\s*(NOT\\s+)?BETWEEN\\s*") || !second.matches("(?is)\\s*AND\\s*")) {
                failure = cannotRewrite(value + " BETWEEN a compressed TEXT column and a bound of another affinity"
                        + " is written in a form the rewriter cannot split; write the two comparisons out");
                return;
            }
            String low = (compressedTextOperand(start) != null ? TEXT_AFFINITY_OF_P : "p") + " >= s";
            String high = (compressedTextOperand(end) != null ? TEXT_AFFINITY_OF_P : "p") + " <= e";
            String test = between.isNot() ? "NOT (" + low + " AND " + high + ")" : low + " AND " + high;
            edits.add(Edit.prefix(x[0], "(SELECT " + test + " FROM (SELECT "));
            edits.add(new Edit(x[1], a[0], " AS p, "));
            edits.add(new Edit(a[1], b[0], " AS s, "));
            edits.add(Edit.suffix(b[1], " AS e))"));
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
            if (in.getRightExpression() instanceof Select) {
                applyTextAffinity(in.getRightExpression(), in.getLeftExpression());
            }
            if (in.getRightExpression() instanceof Column) {
                in.getLeftExpression().accept(this, context);
                inTable((Column) in.getRightExpression());
                return null;
            }
            Expression list = in.getRightExpression();
            // JSqlParser 5.3 reads "a IN (1, 2) OR b" as "a IN ((1, 2) OR b)": the list is the leftmost operand
            while (list instanceof BinaryExpression && !(list instanceof ComparisonOperator)) {
                list = ((BinaryExpression) list).getLeftExpression();
            }
            if (list instanceof ExpressionList) {
                for (Object item : (ExpressionList<?>) list) {
                    if (item instanceof Expression) {
                        applyTextAffinity(in.getLeftExpression(), (Expression) item);
                    }
                }
            }
            return super.visit(in, context);
        }

        /**
         * {@code x IN t}: SQLite compares with the only column of table {@code t}, which the parser sees as a
         * column reference. A compressed one is read through a sub-select that decompresses it.
         */
        private void inTable(Column named) {
            String bare = unbracket(named.getUnquotedColumnName());
            if (commonTableNames.contains(bare.toLowerCase(Locale.ROOT))) {
                return; // a CTE's columns are decompressed in its own SELECT
            }
            try {
                TableInfo table = catalogue.table(bare);
                Source source = new Source(bare, table, false);
                if (source.table != null && source.table.columns().size() == 1
                        && source.isCompressed(source.table.columns().get(0))) {
                    int[] span = span(named);
                    String column = source.table.columns().get(0);
                    replace(named, "(SELECT " + decompressCall(quote(bare) + "." + quote(column), source, column)
                            + " FROM " + sql.substring(span[0], span[1]) + " AS " + quote(bare) + ")");
                }
            } catch (SQLException e) {
                failure = failure == null ? e : failure;
            }
        }

        /** A number literal, or arithmetic, whose value is always a number (or NULL). */
        private boolean isNumber(Expression expression) {
            Expression inner = expression;
            while (inner instanceof Parenthesis
                    || (inner instanceof ExpressionList && ((ExpressionList<?>) inner).size() == 1)) {
                inner = inner instanceof Parenthesis ? ((Parenthesis) inner).getExpression()
                        : (Expression) ((ExpressionList<?>) inner).get(0); // (n): a list of one to this parser
            }
            return inner instanceof LongValue || inner instanceof DoubleValue || inner instanceof SignedExpression
                    || inner instanceof Addition || inner instanceof Subtraction || inner instanceof Multiplication
                    || inner instanceof Division || inner instanceof IntegerDivision || inner instanceof Modulo
                    || inner instanceof BitwiseAnd || inner instanceof BitwiseOr || inner instanceof BitwiseXor
                    || inner instanceof BitwiseLeftShift || inner instanceof BitwiseRightShift;
        }

        /**
         * A comparison applies a TEXT column's affinity to a number or parameter it is compared with; a
         * decompressed value has no affinity, so the conversion is written out: a number literal or arithmetic
         * becomes {@code CAST(n AS TEXT)}, a parameter is converted when it is bound to a number (a BLOB stays a
         * BLOB).
         */
        private void applyTextAffinity(Expression columnSide, Expression other) {
            // a CASE has no affinity either, and gives a number or not only per row: converted like a function
            boolean function = other instanceof Function || other instanceof CaseExpression;
            // a sub-query's result computed by an expression has no affinity: TEXT affinity converts it, as a
            // parameter's value is converted
            boolean computed = other instanceof Column && scope.resolve((Column) other) == null
                    && scope.computedResult((Column) other);
            if (!(isNumber(other) || other instanceof JdbcParameter || function || computed)) {
                return;
            }
            if (other instanceof Function && ((Function) other).getName() != null
                    && TEXT_FUNCTIONS.contains(((Function) other).getName().toLowerCase(Locale.ROOT))) {
                return; // TEXT or NULL already: TEXT affinity leaves it as it is
            }
            String compressed = compressedTextOperand(columnSide);
            if (compressed == null) {
                return;
            }
            if (function && containsAggregate(other)) {
                // evaluated in a sub-select, an aggregate would aggregate that sub-select's one row
                failure = failure != null ? failure : cannotRewrite("the aggregate " + other
                        + " is compared with compressed column " + compressed + "; SQLite would turn a number it"
                        + " returns into TEXT first. Compare with CAST(" + other + " AS TEXT) instead");
                return;
            }
            int[] span = span(other);
            if (other instanceof JdbcParameter || function || computed) {
                // evaluated once, in a sub-select that may read the row (a function of the row is correlated)
                edits.add(Edit.prefix(span[0], "(SELECT " + TEXT_AFFINITY_OF_P + " FROM (SELECT "));
                edits.add(Edit.suffix(span[1], " AS p))"));
            } else {
                edits.add(Edit.prefix(span[0], "CAST("));
                edits.add(Edit.suffix(span[1], " AS TEXT)"));
            }
        }

        /**
         * The compressed TEXT column an operand reads ("table.column"), or null: a reference to one, or a sub-query
         * whose only result is one (SQLite gives such a sub-query its column's affinity).
         */
        private String compressedTextOperand(Expression expression) {
            Expression operand = expression;
            // (x) and x COLLATE y keep x's affinity
            while (operand instanceof CollateExpression || operand instanceof Parenthesis
                    || (operand instanceof ExpressionList && ((ExpressionList<?>) operand).size() == 1)) {
                operand = operand instanceof Parenthesis ? ((Parenthesis) operand).getExpression()
                        : operand instanceof ExpressionList ? (Expression) ((ExpressionList<?>) operand).get(0)
                        : ((CollateExpression) operand).getLeftExpression();
            }
            if (operand instanceof Column) {
                Resolved resolved = scope.resolve((Column) operand);
                if (resolved == null) {
                    return scope.textResult((Column) operand);
                }
                return resolved.compressed && resolved.source.table.hasTextAffinity(resolved.column)
                        ? resolved.source.table.name() + "." + resolved.column : null;
            }
            Select select = operand instanceof Select ? (Select) operand : null;
            while (select instanceof ParenthesedSelect) {
                select = ((ParenthesedSelect) select).getSelect();
            }
            if (!(select instanceof PlainSelect) || ((PlainSelect) select).getSelectItems().size() != 1
                    || !(((PlainSelect) select).getSelectItems().get(0).getExpression() instanceof Column)) {
                return null;
            }
            PlainSelect plain = (PlainSelect) select;
            Scope inner = tablesOf(plain, scope);
            return inner == null ? null
                    : new Reader(inner).compressedTextOperand(plain.getSelectItems().get(0).getExpression());
        }

        /** Whether SQLite gives the operand TEXT affinity: a TEXT column, compressed or not, or such a sub-query. */
        private boolean hasTextAffinity(Expression operand) {
            if (compressedTextOperand(operand) != null) {
                return true;
            }
            Resolved resolved = operand instanceof Column ? scope.resolve((Column) operand) : null;
            return resolved != null && resolved.source.table != null
                    && resolved.source.table.hasTextAffinity(resolved.column);
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
                read(analytic.getExpression(), scope);
                read(analytic.getFilterExpression(), scope);
                if (analytic.getPartitionExpressionList() != null) {
                    readAll(analytic.getPartitionExpressionList(), scope);
                }
                orderBy(analytic.getOrderByElements(), scope);
                if (analytic.getFuncOrderBy() != null) {
                    orderBy(analytic.getFuncOrderBy(), scope);
                }
            } catch (SQLException e) {
                failure = failure == null ? e : failure;
            }
            return null;
        }

        @Override
        public <S> Void visit(JdbcNamedParameter parameter, S context) {
            namedParameters = true; // the parser numbers only '?' parameters: indexes would be off
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
                select(select, scope, false);
            } catch (SQLException e) {
                failure = e;
            }
        }
    }

    // ---------------------------------------------------------------- text edits

    private void wrap(Column column, Resolved resolved, String alias) {
        int[] span = span(column);
        if (span[0] > 0 && span[1] < sql.length() && sql.charAt(span[0] - 1) == '[' && sql.charAt(span[1]) == ']') {
            span = new int[] {span[0] - 1, span[1] + 1}; // [value]: the parser's token leaves the brackets out
        }
        String text = sql.substring(span[0], span[1]);
        String call = decompressCall(text, resolved.source, resolved.column);
        edits.add(new Edit(span[0], span[1], alias == null ? call : call + " AS " + quote(alias)));
    }

    /**
     * The original value of a column reference. Only a BLOB can be an envelope, so only BLOBs go through
     * {@value #DECOMPRESS}: everything else stays in SQLite as it is (TEXT that is not valid UTF-8 included, which
     * a Java function could not hand back unchanged).
     */
    private String decompressCall(String written, Source source, String column) {
        // a column named window followed by END AS reads to SQLite as a WINDOW clause: quoted, it is the column
        String columnText = written.matches("(?is).*(?<![\\w\"`\\]])window") && written.length() >= 6
                ? written.substring(0, written.length() - 6) + '"' + written.substring(written.length() - 6) + '"'
                : written;
        String where = "'" + (source.table.name() + "." + column).replace("'", "''") + "'";
        String call = source.excluded || !source.table.hasRowid()
                ? DECOMPRESS + "(" + columnText + ", " + where + ")"
                : DECOMPRESS + "(" + columnText + ", " + where + ", " + quote(source.qualifier()) + ".rowid)";
        return "CASE WHEN typeof(" + columnText + ") = 'blob' THEN " + call + " ELSE " + columnText + " END";
    }

    private void replace(Expression node, String text) {
        int[] span = span(node);
        edits.add(new Edit(span[0], span[1], text));
    }

    private int[] span(Object node) {
        SimpleNode ast = node instanceof ASTNodeAccess ? ((ASTNodeAccess) node).getASTNode() : null;
        if (ast == null && node instanceof BinaryExpression) { // the parser keeps no node for operators
            BinaryExpression binary = (BinaryExpression) node;
            return new int[] {span(binary.getLeftExpression())[0], span(binary.getRightExpression())[1]};
        }
        if (ast == null) {
            throw new IllegalStateException("parser gave no position for " + node);
        }
        Token first = ast.jjtGetFirstToken();
        Token last = ast.jjtGetLastToken();
        return new int[] {offset(first.beginLine, first.beginColumn),
                Math.min(sql.length(), offset(last.endLine, last.endColumn) + 1)};
    }

    /** The index in the statement as written of the parser's position. */
    private int offset(int line, int column) {
        return parsed.originOf(lineStarts[line - 1] + column - 1);
    }

    private String applyEdits() {
        if (edits.isEmpty()) {
            return sql;
        }
        edits.sort((a, b) -> a.start != b.start ? Integer.compare(a.start, b.start) : Integer.compare(a.order, b.order));
        StringBuilder result = new StringBuilder(sql.length() + edits.size() * 48);
        int copied = 0;
        for (Edit edit : edits) {
            if (edit.start < copied) {
                continue; // the same reference reached twice (e.g. shared by two scopes): already rewritten
            }
            result.append(sql, copied, edit.start).append(edit.text);
            copied = edit.end;
        }
        return result.append(sql, copied, sql.length()).toString();
    }

    /**
     * By parameter index, the column each parameter is stored into when its value can be compressed or escaped
     * on binding; null when none can. A parameter that cannot be (used twice, or numbering the parser cannot
     * follow) is escaped in SQL instead.
     */
    private ColumnRef[] targets() {
        boolean indexesFollowed = !(namedParameters || sql.indexOf(':') >= 0 || sql.indexOf('@') >= 0
                || sql.indexOf('$') >= 0);
        for (Map.Entry<Integer, List<Assigned>> assigned : assignedParameters.entrySet()) {
            if (!indexesFollowed || parametersUsedElsewhere.contains(assigned.getKey())) {
                for (Assigned each : assigned.getValue()) {
                    escape(each.parameter(), each.target());
                }
            }
        }
        compressTargets.keySet().removeAll(parametersUsedElsewhere);
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
    private ColumnRef[] compressing(ColumnRef[] targets, boolean compresses) {
        if (targets == null) {
            return null;
        }
        ColumnRef[] selected = new ColumnRef[targets.length];
        boolean any = false;
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] != null && catalogue.takesCompressed(targets[i]) == compresses) {
                selected[i] = targets[i];
                any = true;
            }
        }
        return any ? selected : null;
    }

    private static int[] lineStarts(String sql) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= sql.length() || sql.charAt(i + 1) != '\n'))) {
                starts.add(i + 1);
            }
        }
        int[] result = new int[starts.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = starts.get(i);
        }
        return result;
    }

    /** SQLite also quotes identifiers as [name], which the parser keeps. */
    static String unbracket(String name) {
        return name.length() > 1 && name.charAt(0) == '[' && name.charAt(name.length() - 1) == ']'
                ? name.substring(1, name.length() - 1) : name;
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * One change to the text. Several may meet at one position: the closing text of wraps that end there first,
     * then names given to result columns, then the opening text of wraps that begin there, then a replacement.
     */
    private record Assigned(JdbcParameter parameter, ColumnRef target) {
    }

    private record Edit(int start, int end, String text, int order) {
        static final int CLOSE = 0;
        static final int NAME = 1;
        static final int OPEN = 2;
        static final int REPLACE = 3;

        Edit(int start, int end, String text) {
            this(start, end, text, REPLACE);
        }

        static Edit prefix(int at, String text) {
            return new Edit(at, at, text, OPEN);
        }

        static Edit suffix(int at, String text) {
            return new Edit(at, at, text, CLOSE);
        }

        static Edit name(int at, String text) {
            return new Edit(at, at, text, NAME);
        }
    }

    private static void unsupported(String what) throws SQLException {
        throw cannotRewrite("this form (" + what + ") is not understood by the compression rewriter");
    }

    static NotRewritable cannotRewrite(String reason) {
        return new NotRewritable(reason);
    }

    /**
     * A statement this rewriter cannot account for; {@link Compression} then runs it on plain columns instead (its
     * escape hatch), so it never reaches the application.
     */
    static final class NotRewritable extends SQLException {
        private static final long serialVersionUID = 1L;

        NotRewritable(String reason) {
            super("The compression rewriter cannot account for this statement: " + reason, "0A000");
        }
    }
}
