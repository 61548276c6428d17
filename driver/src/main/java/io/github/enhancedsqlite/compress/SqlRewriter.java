package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.SqlNames.alias;
import static io.github.enhancedsqlite.compress.SqlNames.quote;
import static io.github.enhancedsqlite.compress.SqlNames.tableName;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import net.sf.jsqlparser.expression.WindowDefinition;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;
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
 * <p>This class walks the statements and their clauses (WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, windows, the
 * statement kinds); the pieces it uses are classes of their own: {@link Sources} (FROM and its joins, the tables of a
 * simple SELECT, a write's target), {@link ExpressionReader} (every read inside an expression, with the conversions
 * affinity needs), {@link ResultColumns} (which result columns the getters decode,
 * and {@code *} spelled out), {@link StoredTargets} (the writes: values compressed or escaped on binding, stored forms
 * copied, values escaped in SQL), {@link DerivedTables} (common tables and sub-queries as sources, with the affinity
 * of their result columns), {@link Scope} and {@link Source} (which table a reference means, as SQLite resolves it),
 * {@link DecompressCall} (a read of a compressed column as SQL), {@link TextEdits} (the splices, mapped back to the
 * text as written) and {@link SqlNames}.
 *
 * <p>A construct it cannot account for (a compressed column in USING or a NATURAL join, {@code *} over such joins,
 * ...) throws {@link NotRewritable}; {@link Compression} then runs the statement on plain columns instead, so a wrong
 * row is never an option.
 */
final class SqlRewriter {

    static final String DECOMPRESS = "esq_decompress";
    static final String ESCAPE = "esq_escape";

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
    /** Parameters used anywhere but stored straight into a column: they cannot be compressed on binding. */
    final Set<Integer> parametersUsedElsewhere = new HashSet<>();
    /** The statement uses named parameters, which the parser does not number as SQLite does. */
    boolean namedParameters;
    final DerivedTables derivedTables = new DerivedTables(this);
    final Sources sources = new Sources(this);
    private final StoredTargets stored = new StoredTargets(this);
    private final ResultColumns results = new ResultColumns(this);

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
     *
     * <p>First without the parser's complex parsing, whose time grows exponentially with nested parentheses (five
     * nested {@code (a AND (…))} groups: 2 s; seven: 84 s), then, for what needs it (a condition as a function's
     * argument, {@code (x COLLATE y)}, …), with it; both under a {@link ParseDeadline}.
     *
     * @param timer the pools' timer, which keeps the deadline; null for none
     */
    static Statement parse(ParserText text, Supplier<ScheduledExecutorService> timer) throws Unparsed {
        ParseDeadline deadline = ParseDeadline.start(timer);
        // operands restated as sub-queries (OperandGroups) can make the simple mode backtrack for seconds before it
        // gives up, where the complex mode reads them at once; elsewhere the simple mode is the faster
        boolean complexFirst = text.text().contains(OperandGroups.OPERAND_ALIAS);
        try {
            try {
                return attempt(text, complexFirst, deadline);
            } catch (net.sf.jsqlparser.parser.ParseException | RuntimeException first) {
                if (deadline.expired()) {
                    throw first;
                }
            }
            return attempt(text, !complexFirst, deadline);
        } catch (net.sf.jsqlparser.parser.ParseException | RuntimeException e) {
            throw new Unparsed(deadline.expired() ? notInTime() : firstLine(e));
        } finally {
            deadline.end();
        }
    }

    private static Statement attempt(ParserText text, boolean complexParsing, ParseDeadline deadline)
            throws net.sf.jsqlparser.parser.ParseException {
        return deadline.watch(net.sf.jsqlparser.parser.CCJSqlParserUtil.newParser(text.text())
                .withSquareBracketQuotation(true).withAllowComplexParsing(complexParsing)).Statement();
    }

    private static String notInTime() {
        return "not parsed within " + ParseDeadline.MILLIS + " ms";
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
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
        ColumnRef[] targets = stored.targets(); // before the edits apply: it may still escape parameters in SQL
        return new RewrittenSql(edits.apply(), stored.compressing(targets, true), stored.compressing(targets, false),
                results.decoded(), Set.copyOf(stored.copiedInto()), Set.of());
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
            derivedTables.declare(item.getUnquotedAliasName());
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
            derivedTables.describe(item.getUnquotedAliasName(), item.getSelect(), renamed, outer);
        }
    }

    private void plainSelect(PlainSelect select, Scope outer, boolean outermost) throws SQLException {
        Scope scope = new Scope(outer);
        List<Join> joins = new ArrayList<>();
        if (select.getFromItem() != null) {
            sources.from(select.getFromItem(), select.getJoins(), scope, joins);
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
        Set<String> resultNames = ResultColumns.names(select, scope);
        if (select.getOrderByElements() != null) {
            for (OrderByElement element : select.getOrderByElements()) {
                if (ResultColumns.named(element, resultNames) == null) {
                    read(element.getExpression(), scope); // a bare result name sorts that (decompressed) result
                }
            }
        }
        boolean decodeInGetters = results.decodedInGetters(select, scope, outermost, resultNames);
        if (select.getWindowDefinitions() != null) {
            for (WindowDefinition window : select.getWindowDefinitions()) {
                windowElements(window, scope);
            }
        }
        results.project(select.getSelectItems(), scope, decodeInGetters);
    }

    private void insert(Insert insert) throws SQLException {
        withItems(insert.getWithItemsList(), null);
        TableInfo table = catalogue.table(tableName(insert.getTable()));
        List<String> targets = StoredTargets.targetColumns(insert.getColumns(), table);
        Select source = insert.getSelect();
        if (source instanceof Values || (source instanceof ParenthesedSelect
                && ((ParenthesedSelect) source).getSelect() instanceof Values)) {
            Values values = source instanceof Values ? (Values) source
                    : (Values) ((ParenthesedSelect) source).getSelect();
            stored.valueRows(values.getExpressions(), table, targets);
        } else if (source != null) {
            select(source, null, false);
            stored.escapeSelected(source, table, targets);
        }
        if (insert.getConflictAction() != null && insert.getConflictAction().getUpdateSets() != null) {
            Scope scope = sources.target(insert.getTable(), table, true);
            stored.updateSets(insert.getConflictAction().getUpdateSets(), scope, table);
            read(insert.getConflictAction().getWhereExpression(), scope);
        }
        if (insert.getReturningClause() != null) {
            returning(insert.getReturningClause(), sources.target(insert.getTable(), table, false));
        }
    }

    private void upsert(Upsert upsert) throws SQLException {
        TableInfo table = catalogue.table(tableName(upsert.getTable()));
        List<String> targets = StoredTargets.targetColumns(upsert.getColumns(), table);
        Select source = upsert.getSelect();
        if (source instanceof Values) {
            stored.valueRows(((Values) source).getExpressions(), table, targets);
        } else if (source != null) {
            select(source, null, false);
            stored.escapeSelected(source, table, targets);
        } else if (upsert.getExpressions() != null) {
            stored.valueRows(upsert.getExpressions(), table, targets);
        }
        if (upsert.getUpdateSets() != null) {
            stored.updateSets(upsert.getUpdateSets(), sources.target(upsert.getTable(), table, false), table);
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
        Scope scope = sources.target(update.getTable(), table, false);
        if (update.getFromItem() != null) {
            List<Join> joins = new ArrayList<>();
            sources.from(update.getFromItem(), update.getJoins(), scope, joins);
            for (Join join : joins) {
                for (Expression on : join.getOnExpressions()) {
                    read(on, scope);
                }
            }
        }
        stored.updateSets(update.getUpdateSets(), scope, table);
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
        Scope scope = sources.target(delete.getTable(), table, false);
        read(delete.getWhere(), scope);
        orderBy(delete.getOrderByElements(), scope);
        limit(delete.getLimit(), null, null);
        if (delete.getReturningClause() != null) {
            returning(delete.getReturningClause(), scope);
        }
    }

    // ---------------------------------------------------------------- writes

    private void returning(List<? extends SelectItem<?>> items, Scope scope) throws SQLException {
        results.project(new ArrayList<>(items), scope, false);
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

    private void windowElements(WindowDefinition window, Scope scope) throws SQLException {
        if (window.getPartitionExpressionList() != null) {
            readAll(window.getPartitionExpressionList(), scope);
        }
        orderBy(window.getOrderByElements(), scope);
    }

    // ---------------------------------------------------------------- text edits

    void wrap(Column column, ResolvedColumn resolved, String alias) {
        int[] span = span(column);
        if (span[0] > 0 && span[1] < sql.length() && sql.charAt(span[0] - 1) == '[' && sql.charAt(span[1]) == ']') {
            span = new int[] {span[0] - 1, span[1] + 1}; // [value]: the parser's token leaves the brackets out
        }
        String text = sql.substring(span[0], span[1]);
        String call = DecompressCall.of(text, resolved.source(), resolved.column());
        edits.replace(span[0], span[1], alias == null ? call : call + " AS " + quote(alias));
    }

    void replace(Expression node, String text) {
        int[] span = span(node);
        edits.replace(span[0], span[1], text);
    }

    /** Where a node of the parse tree is in the statement as written: {start, end}. */
    int[] span(Object node) {
        return edits.span(node);
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
