package io.github.enhancedsqlite.compress;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsDistinctExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.parser.ASTNodeAccess;
import net.sf.jsqlparser.parser.SimpleNode;
import net.sf.jsqlparser.parser.Token;

/**
 * The changes a rewrite makes to a statement, as splices into the text as written: the parser's positions (in the
 * text it read, see {@link ParserText}) are mapped back to the original, so everything not edited runs exactly as
 * the application wrote it.
 */
final class TextEdits {

    private final String sql;
    private final ParserText parsed;
    private final int[] lineStarts;
    private final List<Edit> edits = new ArrayList<>();
    /** The statement's tokens, read only when a node's position must be found from them. */
    private List<SqliteSyntax.Token> tokens;

    TextEdits(String sql, ParserText parsed) {
        this.sql = sql;
        this.parsed = parsed;
        this.lineStarts = lineStarts(parsed.text());
    }

    /** Replaces the text from {@code start} to {@code end}. */
    void replace(int start, int end, String text) {
        edits.add(new Edit(start, end, text, Edit.REPLACE, -1, edits.size()));
    }

    /** Puts the text from {@code start} to {@code end} between {@code open} and {@code close}. */
    void wrap(int start, int end, String open, String close) {
        edits.add(new Edit(start, start, open, Edit.OPEN, end, edits.size()));
        edits.add(new Edit(end, end, close, Edit.CLOSE, start, edits.size()));
    }

    /** Names a result column that ends at {@code at}. */
    void name(int at, String text) {
        edits.add(new Edit(at, at, text, Edit.NAME, -1, edits.size()));
    }

    int size() {
        return edits.size();
    }

    /** Where a node of the parse tree is in the statement as written: {start, end}. */
    int[] span(Object node) {
        SimpleNode ast = node instanceof ASTNodeAccess ? ((ASTNodeAccess) node).getASTNode() : null;
        if (ast == null && node instanceof BinaryExpression) { // the parser keeps no node for operators
            BinaryExpression binary = (BinaryExpression) node;
            return new int[] {span(binary.getLeftExpression())[0], span(binary.getRightExpression())[1]};
        }
        if (ast == null) {
            int[] derived = derivedSpan(node);
            if (derived == null) {
                throw new IllegalStateException("parser gave no position for " + node);
            }
            return derived;
        }
        Token first = ast.jjtGetFirstToken();
        Token last = ast.jjtGetLastToken();
        int end = Math.min(sql.length(), offset(last.endLine, last.endColumn) + 1);
        // the parser opens the node of x IN …, x LIKE … and x IS DISTINCT FROM … at the operator, after x
        Expression left = node instanceof InExpression ? ((InExpression) node).getLeftExpression()
                : node instanceof LikeExpression || node instanceof IsDistinctExpression
                        ? ((BinaryExpression) node).getLeftExpression() : null;
        return new int[] {left != null ? span(left)[0] : offset(first.beginLine, first.beginColumn), end};
    }

    /**
     * Where a node the parser keeps no position for is, found from its operands and the tokens around them in the
     * statement as written: truth values the rewriter converts ({@code x BETWEEN a AND b}, {@code x IS NULL},
     * {@code x IS TRUE}, {@code NOT x}, {@code EXISTS (…)}) and a parenthesised expression. Null for anything else.
     */
    private int[] derivedSpan(Object node) {
        if (node instanceof Between) {
            Between between = (Between) node;
            return new int[] {span(between.getLeftExpression())[0], span(between.getBetweenExpressionEnd())[1]};
        }
        if (node instanceof IsNullExpression || node instanceof IsBooleanExpression) {
            int[] left = span(node instanceof IsNullExpression ? ((IsNullExpression) node).getLeftExpression()
                    : ((IsBooleanExpression) node).getLeftExpression());
            Set<String> last = node instanceof IsNullExpression ? Set.of("NULL", "NOTNULL", "ISNULL")
                    : Set.of("TRUE", "FALSE");
            for (int i = tokenFrom(left[1]); i < tokens().size(); i++) {
                String word = word(i);
                if (word != null && last.contains(word)) {
                    return new int[] {left[0], tokens().get(i).end()};
                }
                if (!"IS".equals(word) && !"NOT".equals(word)) {
                    return null;
                }
            }
            return null;
        }
        if (node instanceof NotExpression || node instanceof ExistsExpression) {
            Expression operand = node instanceof NotExpression ? ((NotExpression) node).getExpression()
                    : ((ExistsExpression) node).getRightExpression();
            int[] inner = span(operand);
            int before = tokenFrom(inner[0]) - 1;
            String keyword = node instanceof NotExpression ? "NOT" : "EXISTS";
            if (!keyword.equals(word(before))) {
                return null;
            }
            if (node instanceof ExistsExpression && ((ExistsExpression) node).isNot()
                    && "NOT".equals(word(before - 1))) {
                before--;
            }
            return new int[] {tokens().get(before).start(), inner[1]};
        }
        boolean listOfOne = node instanceof ParenthesedExpressionList
                && ((ParenthesedExpressionList<?>) node).size() == 1;
        if (listOfOne || node instanceof Parenthesis) {
            int[] inner = span(listOfOne ? ((ParenthesedExpressionList<?>) node).get(0)
                    : ((Parenthesis) node).getExpression());
            int open = tokenFrom(inner[0]) - 1;
            int close = tokenFrom(inner[1]);
            if (open < 0 || close >= tokens().size() || !tokens().get(open).is(sql, "(")
                    || !tokens().get(close).is(sql, ")")) {
                return null;
            }
            return new int[] {tokens().get(open).start(), tokens().get(close).end()};
        }
        return null;
    }

    private List<SqliteSyntax.Token> tokens() {
        if (tokens == null) {
            tokens = SqliteSyntax.tokens(sql);
        }
        return tokens;
    }

    /** The index of the first token of the statement as written that starts at {@code at} or after it. */
    private int tokenFrom(int at) {
        int low = 0;
        int high = tokens().size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (tokens().get(middle).start() < at) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private String word(int i) {
        return SqliteSyntax.wordAt(sql, tokens(), i);
    }

    /** The statement with every edit applied. */
    String apply() {
        if (edits.isEmpty()) {
            return sql;
        }
        edits.sort(Edit.APPLIED);
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

    /** The index in the statement as written of the parser's position. */
    private int offset(int line, int column) {
        return parsed.originOf(lineStarts[line - 1] + column - 1);
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

    /**
     * One change to the text. Several may meet at one position: the closing text of wraps that end there first,
     * then names given to result columns, then the opening text of wraps that begin there, then a replacement.
     * Wraps nest: of two that open at one position the longer opens first, of two that close at one position the
     * shorter closes first, and of two around the same text the one added first ({@code added}) is outside.
     *
     * @param other for an opening, where its wrap ends; for a closing, where it starts
     */
    private record Edit(int start, int end, String text, int order, int other, int added) {
        static final int CLOSE = 0;
        static final int NAME = 1;
        static final int OPEN = 2;
        static final int REPLACE = 3;
        static final Comparator<Edit> APPLIED = (a, b) -> {
            if (a.start != b.start) {
                return Integer.compare(a.start, b.start);
            }
            if (a.order != b.order) {
                return Integer.compare(a.order, b.order);
            }
            if (a.other != b.other) { // wraps only: the longer opens first, the shorter closes first
                return Integer.compare(b.other, a.other);
            }
            return a.order == CLOSE ? Integer.compare(b.added, a.added) : Integer.compare(a.added, b.added);
        };
    }
}
