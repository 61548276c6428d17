package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.SqlNames.alias;
import static io.github.enhancedsqlite.compress.SqlNames.quote;
import static io.github.enhancedsqlite.compress.SqlNames.tableName;
import static io.github.enhancedsqlite.compress.SqlNames.unbracket;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.WindowDefinition;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.CollateExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
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
 * <p>This class walks the statements and their clauses; the pieces it uses are classes of their own:
 * {@link ExpressionReader} (every read inside an expression, with the conversions affinity needs), {@link Scope} and
 * {@link Source} (which table a reference means, as SQLite resolves it), {@link TextEdits} (the splices, mapped back
 * to the text as written) and {@link SqlNames}.
 *
 * <p>A construct it cannot account for (a compressed column in USING or a NATURAL join, {@code *} over such joins,
 * ...) throws {@link NotRewritable}; {@link Compression} then runs the statement on plain columns instead, so a wrong
 * row is never an option.
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

    final String sql;
    final Catalogue catalogue;
    final TextEdits edits;
    private final Map<Integer, ColumnRef> compressTargets = new HashMap<>();
    /** The parameter nodes assigned straight into a column, by index: escaped in SQL if they cannot be at binding. */
    private final Map<Integer, List<Assigned>> assignedParameters = new HashMap<>();
    final Set<Integer> parametersUsedElsewhere = new HashSet<>();
    final Set<String> commonTableNames = new HashSet<>();
    /** By CTE name, its result columns that read a compressed TEXT column (lower-case): SQLite gives them TEXT affinity. */
    private final Map<String, Set<String>> commonTableTextResults = new HashMap<>();
    private final Map<String, Set<String>> commonTableComputedResults = new HashMap<>();
    private ColumnRef[] decodedResults;
    private final Set<ColumnRef> copiedInto = new HashSet<>();
    boolean namedParameters;

    private SqlRewriter(String sql, ParserText parsed, Catalogue catalogue) {
        this.sql = sql;
        this.catalogue = catalogue;
        this.edits = new TextEdits(sql, parsed);
    }

    static RewrittenSql rewrite(String sql, Statement statement, Catalogue catalogue) throws SQLException {
        return rewrite(sql, new ParserText(sql, null), statement, catalogue);
    }

    /**
     * Parses on this thread: CCJSqlParserUtil.parse(String) hands the work to an executor and swallows the caller's
     * interrupt status while it waits. The parser reads SQLite-only syntax restated at the same positions; the
     * rewriter splices the statement as written. Here rather than in {@link Compression}, so that the parser's
     * classes load only with this class, which a process running only the simple shapes never loads.
     */
    static Statement parse(ParserText text) throws Unparsed {
        try {
            return net.sf.jsqlparser.parser.CCJSqlParserUtil.newParser(text.text()).withSquareBracketQuotation(true)
                    .Statement();
        } catch (net.sf.jsqlparser.parser.ParseException | RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            int newline = message.indexOf('\n');
            throw new Unparsed(newline < 0 ? message : message.substring(0, newline));
        }
    }

    /** The parser could not read the statement; the message is the first line of its own. */
    static final class Unparsed extends Exception {
        private static final long serialVersionUID = 1L;

        Unparsed(String message) {
            super(message, null, false, false);
        }
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
        return new RewrittenSql(edits.apply(), compressing(targets, true), compressing(targets, false), decodedResults,
                Set.copyOf(copiedInto), Set.of());
    }

    // ---------------------------------------------------------------- statements

    void select(Select select, Scope outer, boolean outermost) throws SQLException {
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
        ExpressionReader reader = new ExpressionReader(this, tables);
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
                    Source derived = new Source(name, null, false, catalogue);
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
                inner.add(new Source(alias(table), common ? null : catalogue.table(tableName(table)), false, catalogue));
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
            ResolvedColumn source = scope.resolve((Column) value);
            if (source != null && source.compressed()) {
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
        edits.prefix(span[0], ESCAPE + "(");
        edits.suffix(span[1], ")");
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
        edits.prefix(span[0], "WITH " + ESCAPED_SOURCE + "(" + names + ") AS (");
        // WHERE true: SQLite reads an ON CONFLICT right after a SELECT's FROM as a join constraint otherwise
        edits.suffix(span[1], ") SELECT " + stored + " FROM " + ESCAPED_SOURCE + " WHERE true");
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
        scope.add(new Source(alias(target), table, false, catalogue));
        if (withExcluded) {
            scope.add(new Source("excluded", table, true, catalogue));
        }
        return scope;
    }

    // ---------------------------------------------------------------- reads

    void read(Expression expression, Scope scope) throws SQLException {
        if (expression == null) {
            return;
        }
        ExpressionReader reader = new ExpressionReader(this, scope);
        expression.accept(reader, null);
        if (reader.failure != null) {
            throw reader.failure;
        }
    }

    void readAll(ExpressionList<?> expressions, Scope scope) throws SQLException {
        if (expressions == null) {
            return;
        }
        for (Object expression : expressions) {
            if (expression instanceof Expression) {
                read((Expression) expression, scope);
            }
        }
    }

    void orderBy(List<OrderByElement> elements, Scope scope) throws SQLException {
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
                ResolvedColumn resolved = scope.resolve((Column) expression);
                boolean compressed = resolved != null && resolved.compressed();
                if (compressed && !decodeInGetters) {
                    String name = item.getAlias() != null ? null : unbracket(((Column) expression).getUnquotedColumnName());
                    wrap((Column) expression, resolved, name);
                }
                decoded.add(compressed && decodeInGetters
                        ? new ColumnRef(resolved.source().table.name(), resolved.column()) : null);
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
        edits.name(span[1], " AS " + quote(sql.substring(span[0], span[1]).stripTrailing()));
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
                Source common = new Source(alias(table), null, false, catalogue);
                common.textResults.addAll(commonTableTextResults.getOrDefault(
                        tableName(table).toLowerCase(Locale.ROOT), Set.of()));
                common.computedResults.addAll(commonTableComputedResults.getOrDefault(
                        tableName(table).toLowerCase(Locale.ROOT), Set.of()));
                return common;
            }
            return new Source(alias(table), catalogue.table(tableName(table)), false, catalogue);
        }
        if (item instanceof ParenthesedSelect) {
            ParenthesedSelect derived = (ParenthesedSelect) item;
            select(derived.getSelect(), outer, false);
            Source source = new Source(derived.getAlias() == null ? null : derived.getAlias().getUnquotedName(), null,
                    false, catalogue);
            source.textResults.addAll(textResults(derived.getSelect(), null, outer));
            source.computedResults.addAll(computedResults(derived.getSelect(), null));
            return source;
        }
        // table-valued functions and the like: their columns are not stored columns, but their arguments are reads
        ExpressionReader reader = new ExpressionReader(this, outer == null ? new Scope(null) : outer);
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
        return new Source(name, null, false, catalogue); // json_each(…) without an alias is named json_each
    }



    private static String describeCompressed(List<Source> sources) {
        for (Source source : sources) {
            if (source.hasCompressed()) {
                return source.describeCompressed();
            }
        }
        return "compressed columns";
    }




    // ---------------------------------------------------------------- text edits

    void wrap(Column column, ResolvedColumn resolved, String alias) {
        int[] span = span(column);
        if (span[0] > 0 && span[1] < sql.length() && sql.charAt(span[0] - 1) == '[' && sql.charAt(span[1]) == ']') {
            span = new int[] {span[0] - 1, span[1] + 1}; // [value]: the parser's token leaves the brackets out
        }
        String text = sql.substring(span[0], span[1]);
        String call = decompressCall(text, resolved.source(), resolved.column());
        edits.replace(span[0], span[1], alias == null ? call : call + " AS " + quote(alias));
    }

    /**
     * The original value of a column reference. Only a BLOB can be an envelope, so only BLOBs go through
     * {@value #DECOMPRESS}: everything else stays in SQLite as it is (TEXT that is not valid UTF-8 included, which
     * a Java function could not hand back unchanged).
     */
    String decompressCall(String written, Source source, String column) {
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

    void replace(Expression node, String text) {
        int[] span = span(node);
        edits.replace(span[0], span[1], text);
    }

    /** Where a node of the parse tree is in the statement as written: {start, end}. */
    int[] span(Object node) {
        return edits.span(node);
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



    private record Assigned(JdbcParameter parameter, ColumnRef target) {
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
