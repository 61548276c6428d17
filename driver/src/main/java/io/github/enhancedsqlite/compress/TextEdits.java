package io.github.enhancedsqlite.compress;

import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.BinaryExpression;
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

    TextEdits(String sql, ParserText parsed) {
        this.sql = sql;
        this.parsed = parsed;
        this.lineStarts = lineStarts(parsed.text());
    }

    /** Replaces the text from {@code start} to {@code end}. */
    void replace(int start, int end, String text) {
        edits.add(new Edit(start, end, text, Edit.REPLACE));
    }

    /** Opens a wrap at {@code at}. */
    void prefix(int at, String text) {
        edits.add(new Edit(at, at, text, Edit.OPEN));
    }

    /** Closes a wrap at {@code at}. */
    void suffix(int at, String text) {
        edits.add(new Edit(at, at, text, Edit.CLOSE));
    }

    /** Names a result column that ends at {@code at}. */
    void name(int at, String text) {
        edits.add(new Edit(at, at, text, Edit.NAME));
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
            throw new IllegalStateException("parser gave no position for " + node);
        }
        Token first = ast.jjtGetFirstToken();
        Token last = ast.jjtGetLastToken();
        return new int[] {offset(first.beginLine, first.beginColumn),
                Math.min(sql.length(), offset(last.endLine, last.endColumn) + 1)};
    }

    /** The statement with every edit applied. */
    String apply() {
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
     */
    private record Edit(int start, int end, String text, int order) {
        static final int CLOSE = 0;
        static final int NAME = 1;
        static final int OPEN = 2;
        static final int REPLACE = 3;
    }
}
