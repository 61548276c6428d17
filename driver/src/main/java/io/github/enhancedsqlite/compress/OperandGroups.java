package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.ParserText.depthChange;
import static io.github.enhancedsqlite.compress.SqliteSyntax.BEFORE_EXPRESSION;
import static io.github.enhancedsqlite.compress.SqliteSyntax.closingParenthesis;
import static io.github.enhancedsqlite.compress.SqliteSyntax.expressionEnds;
import static io.github.enhancedsqlite.compress.SqliteSyntax.isSign;
import static io.github.enhancedsqlite.compress.SqliteSyntax.openingParenthesis;
import static io.github.enhancedsqlite.compress.SqliteSyntax.wordAt;

import io.github.enhancedsqlite.compress.SqliteSyntax.Token;
import io.github.enhancedsqlite.sql.SqlLexer.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Operands delimited for the parser as SQLite delimits them, where JSqlParser 5.3 groups them otherwise or gives up
 * (a {@link ParserText} restatement: characters are added, each with its origin kept).
 *
 * <ul>
 *   <li>A BETWEEN bound: the parser looks 11 tokens ahead for a comparison there and refuses a longer bound that
 *       holds none ({@code x BETWEEN 1 AND (a + b + c + d + e)}, {@code coalesce(a + b + c + d + e, 0)}), and a
 *       bound with {@code ->>} trips it too. Such a bound ({@value #LONG_BOUND} tokens or more: a token may be two
 *       to the parser) reads as {@code (SELECT bound AS esq_bound)}, which the parser tries first.</li>
 *   <li>{@code x BETWEEN 1 AND y = 1}: the parser takes {@code y = 1} for the bound, where SQLite compares the whole
 *       BETWEEN with 1 ({@code =}, {@code <>}, IS, IN, LIKE, … share BETWEEN's precedence; {@code <}, {@code >=}
 *       bind tighter). A BETWEEN followed by an operator of its precedence is put in parentheses; where its left
 *       operand is not plain ({@code a = x BETWEEN …}), its upper bound is wrapped as above instead, which the
 *       parser then refuses (the statement runs on plain columns, correctly).</li>
 *   <li>{@code a = b < c} is {@code a = (b < c)} to SQLite, and {@code a = b <> c} is {@code (a = b) <> c}; the
 *       parser refuses both. Such an operand of {@code =}, {@code <>} or {@code !=} (IS and IS NOT read as those
 *       already) is put in parentheses; an assignment's {@code =} in SET is not a comparison.</li>
 * </ul>
 */
final class OperandGroups {

    /** The alias of a BETWEEN bound read as a sub-query ({@code ExpressionReader} takes it apart again). */
    static final String BOUND_ALIAS = "esq_bound";
    /** Bounds of this many tokens or more are read as a sub-query: a token may be two to the parser (?1, :a). */
    static final int LONG_BOUND = 6;
    private static final Set<String> FRAME_UNITS = Set.of("ROWS", "RANGE", "GROUPS");
    /** Words that end the assignments of a SET clause. */
    private static final Set<String> SET_CLAUSE_ENDS = Set.of("FROM", "WHERE", "RETURNING", "ORDER", "LIMIT", "ON");
    /** Words that end an expression before BETWEEN's AND could: the lower bound is not plain. */
    private static final Set<String> LOWER_BOUND_ENDS = Set.of("BETWEEN", "THEN", "WHEN", "ELSE", "FROM", "WHERE",
            "GROUP", "HAVING", "ORDER", "LIMIT", "WINDOW", "UNION", "INTERSECT", "EXCEPT", "RETURNING", "ON", "AS",
            "SELECT", "SET", "VALUES", "DO", "USING", "JOIN");

    /** Binary operators that bind tighter than BETWEEN in SQLite. */
    private static final List<String> TIGHT_BINARY_OPERATORS = List.of("||", "->>", "->", "*", "/", "%", "+", "-",
            "&", "|", "<<", ">>", "<=", ">=", "<", ">");
    /** Words of BETWEEN's precedence in SQLite; the parser's NOTNULL and ISNULL among them. */
    private static final Set<String> BETWEEN_LEVEL_WORDS = Set.of("IS", "IN", "LIKE", "GLOB", "MATCH", "REGEXP",
            "BETWEEN", "NOT", "NOTNULL", "ISNULL", "ESCAPE");
    /** Words that are no operand of their own: clauses, operators, and parts of other expressions. */
    private static final Set<String> NOT_AN_OPERAND;

    static {
        Set<String> words = new HashSet<>(BEFORE_EXPRESSION);
        words.addAll(BETWEEN_LEVEL_WORDS);
        words.addAll(Set.of("END", "ASC", "DESC", "NULLS", "PRECEDING", "FOLLOWING", "ROWS", "RANGE", "GROUPS",
                "JOIN"));
        NOT_AN_OPERAND = Set.copyOf(words);
    }

    private OperandGroups() {
    }

    /** The statement with its operands delimited for the parser as SQLite delimits them; null when nothing changes. */
    static ParserText restate(String sql) {
        List<Token> tokens = SqliteSyntax.tokens(sql);
        List<Insertion> insertions = new ArrayList<>();
        Set<Integer> betweenAnds = new HashSet<>();
        Map<Integer, Integer> comparedBetweens = new HashMap<>(); // operator -> BETWEEN's start
        boolean[] assignments = assignments(sql, tokens);
        for (int i = 0; i < tokens.size(); i++) {
            String previous = wordAt(sql, tokens, i - 1);
            if (!"BETWEEN".equals(wordAt(sql, tokens, i)) || (previous != null && FRAME_UNITS.contains(previous))) {
                continue;
            }
            int and = lowerBoundEnd(sql, tokens, i + 1);
            int end = and < 0 ? -1 : tightOperandEnd(sql, tokens, and + 1);
            if (end < 0) {
                continue;
            }
            betweenAnds.add(and);
            boolean upperWrapped = unreadBound(sql, tokens, and + 1, end);
            if (unreadBound(sql, tokens, i + 1, and)) {
                wrap(sql, tokens, i + 1, and, insertions);
            }
            if (upperWrapped) {
                wrap(sql, tokens, and + 1, end, insertions);
            }
            if (end < tokens.size() && isSameLevelAsBetween(sql, tokens, end)) {
                int operator = "NOT".equals(previous) ? i - 1 : i;
                int start = tightOperandStart(sql, tokens, operator - 1);
                int first = tightOperandFirst(sql, tokens, operator - 1);
                if (start < 0 && first > 0 && assignments[first - 1]) {
                    start = first; // SET c = x BETWEEN …: the = assigns
                }
                if (start >= 0 && !betweenAnds.contains(start - 1)) {
                    group(tokens, start, end, insertions);
                    comparedBetweens.put(end, start);
                } else if (!upperWrapped) {
                    wrap(sql, tokens, and + 1, end, insertions); // the parser refuses what follows it
                }
            }
        }
        comparisonsOfComparisons(sql, tokens, comparedBetweens, assignments, insertions);
        if (insertions.isEmpty()) {
            return null;
        }
        insertions.sort(Insertion.ORDER);
        ParserText.Builder builder = new ParserText.Builder(sql);
        int copied = 0;
        for (Insertion insertion : insertions) {
            int at = insertion.closing ? insertion.end : insertion.start;
            builder.copy(copied, at).insert(insertion.text, insertion.closing ? at - 1 : at);
            copied = at;
        }
        return builder.copy(copied, sql.length()).build();
    }

    /**
     * {@code a = b < c} is {@code a = (b < c)} to SQLite ({@code <}, {@code >=} … bind tighter than {@code =},
     * {@code <>}, IS); the parser refuses it. Such an operand of {@code =}, {@code <>} or {@code !=} (IS and IS NOT
     * read as those already) is put in parentheses.
     */
    private static void comparisonsOfComparisons(String sql, List<Token> tokens,
            Map<Integer, Integer> comparedBetweens, boolean[] assignments, List<Insertion> insertions) {
        Map<Integer, Integer> comparisonStarts = new HashMap<>(comparedBetweens);
        for (int i = 0; i < tokens.size(); i++) {
            if (!isEquality(sql, tokens, i) || assignments[i]) {
                continue;
            }
            int end = tightOperandEnd(sql, tokens, i + 1);
            if (end > 0 && ordersOutside(sql, tokens, i + 1, end)) {
                group(tokens, i + 1, end, insertions);
            }
            if (comparedBetweens.containsKey(i)) { // (x BETWEEN a AND b) = …, grouped already
                continue;
            }
            int start = i > 0 ? tightOperandFirst(sql, tokens, i - 1) : -1;
            if (start > 0 && isEquality(sql, tokens, start - 1) && comparisonStarts.containsKey(start - 1)) {
                // a = b <> c is (a = b) <> c to SQLite; the parser reads no such chain
                int first = comparisonStarts.get(start - 1);
                group(tokens, first, i, insertions);
                comparisonStarts.put(i, first);
                continue;
            }
            if (start >= 0 && ordersOutside(sql, tokens, start, i)) {
                group(tokens, start, i, insertions);
            }
            if (start >= 0) {
                comparisonStarts.put(i, start);
            }
        }
    }

    /** Which {@code =} tokens assign a column in a SET clause (UPDATE, upsert) rather than compare. */
    private static boolean[] assignments(String sql, List<Token> tokens) {
        boolean[] assignments = new boolean[tokens.size()];
        int depth = 0;
        int setDepth = -1;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            depth += depthChange(sql, token);
            String word = wordAt(sql, tokens, i);
            if (setDepth >= 0 && (depth < setDepth || (depth == setDepth && (token.is(sql, ";")
                    || (word != null && SET_CLAUSE_ENDS.contains(word)))))) {
                setDepth = -1;
            }
            if ("SET".equals(word)) {
                setDepth = depth;
            }
            if (setDepth >= 0 && depth == setDepth && token.is(sql, "=") && i >= 2) {
                int target = tokens.get(i - 1).is(sql, ")") ? openingParenthesis(sql, tokens, i - 1) : i - 1;
                assignments[i] = target >= 1 && ("SET".equals(wordAt(sql, tokens, target - 1))
                        || tokens.get(target - 1).is(sql, ","));
            }
        }
        return assignments;
    }

    private static boolean isEquality(String sql, List<Token> tokens, int i) {
        Token token = tokens.get(i);
        return token.is(sql, "=") || token.is(sql, "<>") || token.is(sql, "!=");
    }

    /** Whether the tokens from {@code first} to {@code end} hold {@code <}, {@code >=}, … outside groups and CASE. */
    private static boolean ordersOutside(String sql, List<Token> tokens, int first, int end) {
        int depth = 0;
        for (int i = first; i < end; i++) {
            Token token = tokens.get(i);
            String word = wordAt(sql, tokens, i);
            depth += depthChange(sql, token) + ("CASE".equals(word) ? 1 : "END".equals(word) ? -1 : 0);
            if (depth == 0 && (token.is(sql, "<") || token.is(sql, ">") || token.is(sql, "<=")
                    || token.is(sql, ">="))) {
                return true;
            }
        }
        return false;
    }

    private static void group(List<Token> tokens, int first, int end, List<Insertion> insertions) {
        int start = tokens.get(first).start();
        int last = tokens.get(end - 1).end();
        insertions.add(new Insertion(start, last, "(", false));
        insertions.add(new Insertion(start, last, ")", true));
    }

    /** The index of BETWEEN's AND after the lower bound starting at {@code from}; -1 when it is not plain. */
    private static int lowerBoundEnd(String sql, List<Token> tokens, int from) {
        int depth = 0;
        int cases = 0;
        for (int i = from; i < tokens.size(); i++) {
            depth += depthChange(sql, tokens.get(i));
            String word = depth == 0 ? wordAt(sql, tokens, i) : null;
            if (depth < 0 || (depth == 0 && tokens.get(i).is(sql, ","))) {
                return -1;
            }
            if (word == null) {
                continue;
            }
            cases += word.equals("CASE") ? 1 : word.equals("END") ? -1 : 0;
            if (cases == 0 && word.equals("AND")) {
                return i > from ? i : -1;
            }
            if (cases == 0 && LOWER_BOUND_ENDS.contains(word)) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Whether the parser may not read a bound as written: {@value #LONG_BOUND} tokens or more (see the class
     * comment), or a JSON operator outside parentheses ({@code (x BETWEEN a ->> 'n' AND 5) IS NULL} is refused).
     */
    private static boolean unreadBound(String sql, List<Token> tokens, int first, int end) {
        if (end - first >= LONG_BOUND) {
            return true;
        }
        int depth = 0;
        for (int i = first; i < end; i++) {
            depth += depthChange(sql, tokens.get(i));
            if (depth == 0 && (tokens.get(i).is(sql, "->") || tokens.get(i).is(sql, "->>"))) {
                return true;
            }
        }
        return false;
    }

    private static void wrap(String sql, List<Token> tokens, int first, int end, List<Insertion> insertions) {
        int start = tokens.get(first).start();
        int last = tokens.get(end - 1).end();
        insertions.add(new Insertion(start, last, "(SELECT ", false));
        insertions.add(new Insertion(start, last, " AS " + BOUND_ALIAS + ")", true));
    }

    /**
     * Characters added around the text from {@code start} to {@code end}: before it, or after it when closing.
     * At one position closings come first, the inner one first; then openings, the outer one first.
     */
    private record Insertion(int start, int end, String text, boolean closing) {
        static final Comparator<Insertion> ORDER = (a, b) -> {
            int at = Integer.compare(a.closing ? a.end : a.start, b.closing ? b.end : b.start);
            if (at != 0) {
                return at;
            }
            if (a.closing != b.closing) {
                return a.closing ? -1 : 1;
            }
            int length = Integer.compare(a.end - a.start, b.end - b.start);
            return a.closing ? length : -length;
        };
    }

    // ---------------------------------------------------------------- operands, as SQLite delimits them

    /**
     * The index of the token after the operand that starts at {@code from} and whose operators all bind tighter
     * than BETWEEN in SQLite (arithmetic, {@code ||}, {@code ->}, bit operators, {@code <}, {@code >=}, COLLATE):
     * BETWEEN's upper bound, which {@code =}, IS, IN, LIKE and the like end (they take the whole BETWEEN as their
     * left operand). -1 when the scan meets a word or operator it does not judge.
     */
    static int tightOperandEnd(String sql, List<Token> tokens, int from) {
        int i = from;
        boolean operandNext = true;
        while (i < tokens.size()) {
            Token token = tokens.get(i);
            if (!operandNext) {
                if (token.is(sql, ".") && i + 1 < tokens.size() && tokens.get(i + 1).kind() != Kind.OPERATOR) {
                    i += 2;
                } else if ("COLLATE".equals(wordAt(sql, tokens, i)) && i + 1 < tokens.size()) {
                    i += 2;
                } else if (isTightBinaryOperator(sql, token)) {
                    i++;
                    operandNext = true;
                } else {
                    return i;
                }
                continue;
            }
            if (isSign(sql, token)) {
                i++;
                continue;
            }
            i = operandAfter(sql, tokens, i);
            if (i < 0) {
                return -1;
            }
            operandNext = false;
        }
        return operandNext ? -1 : tokens.size();
    }

    /**
     * The index of the first token of the operand that ends at {@code last} and whose operators all bind tighter
     * than BETWEEN (see {@link #tightOperandEnd}): BETWEEN's left operand. -1 when the token before it is one of
     * BETWEEN's own precedence (SQLite would take more into the operand) or the scan meets a token it does not
     * judge.
     */
    static int tightOperandStart(String sql, List<Token> tokens, int last) {
        int i = tightOperandFirst(sql, tokens, last);
        if (i < 0) {
            return -1;
        }
        boolean prefixNot = "NOT".equals(wordAt(sql, tokens, i - 1)) && !expressionEnds(sql, tokens, i - 2);
        return i > 0 && !prefixNot && isSameLevelAsBetween(sql, tokens, i - 1) ? -1 : i;
    }

    /** The index of the first token of the operand ending at {@code last} (see {@link #tightOperandStart}), or -1. */
    static int tightOperandFirst(String sql, List<Token> tokens, int last) {
        int i = last;
        while (true) {
            i = operandFirst(sql, tokens, i);
            if (i < 0) {
                return -1;
            }
            while (i > 0 && isSign(sql, tokens.get(i - 1)) && !expressionEnds(sql, tokens, i - 2)) {
                i--; // a prefix sign: the token before it ends no expression
            }
            if (i > 1 && (isTightBinaryOperator(sql, tokens.get(i - 1))
                    || "COLLATE".equals(wordAt(sql, tokens, i - 1)))) {
                i -= 2;
                continue;
            }
            return i;
        }
    }

    /** Whether the token is an operator of BETWEEN's precedence: =, <>, IS, IN, LIKE, NOT (of NOT IN, …), … */
    static boolean isSameLevelAsBetween(String sql, List<Token> tokens, int i) {
        Token token = tokens.get(i);
        if (token.kind() == Kind.OPERATOR) {
            return token.is(sql, "=") || token.is(sql, "==") || token.is(sql, "<>") || token.is(sql, "!=");
        }
        return token.kind() == Kind.WORD && BETWEEN_LEVEL_WORDS.contains(token.word(sql));
    }

    /** The index of the token after the operand (a name, literal, group, call, CASE) at {@code i}, or -1. */
    private static int operandAfter(String sql, List<Token> tokens, int i) {
        Token token = tokens.get(i);
        if (token.is(sql, "(")) {
            int close = closingParenthesis(sql, tokens, i);
            return close < 0 ? -1 : close + 1;
        }
        if (token.kind() == Kind.LITERAL || token.kind() == Kind.PARAMETER || token.kind() == Kind.NAME) {
            return i + 1;
        }
        String word = wordAt(sql, tokens, i);
        if (word == null) {
            return -1;
        }
        if (word.equals("CASE")) {
            int depth = 0;
            for (int j = i; j < tokens.size(); j++) {
                String inner = wordAt(sql, tokens, j);
                depth += "CASE".equals(inner) ? 1 : "END".equals(inner) ? -1 : 0;
                if (depth == 0) {
                    return j + 1;
                }
            }
            return -1;
        }
        if (i + 1 < tokens.size() && tokens.get(i + 1).is(sql, "(")) {
            int close = closingParenthesis(sql, tokens, i + 1);
            if (close < 0) {
                return -1;
            }
            int next = close + 1; // a call: its FILTER and OVER clauses belong to it
            if ("FILTER".equals(wordAt(sql, tokens, next)) && next + 1 < tokens.size()
                    && tokens.get(next + 1).is(sql, "(")) {
                next = closingParenthesis(sql, tokens, next + 1) + 1;
            }
            if (next > 0 && "OVER".equals(wordAt(sql, tokens, next)) && next + 1 < tokens.size()) {
                next = tokens.get(next + 1).is(sql, "(") ? closingParenthesis(sql, tokens, next + 1) + 1 : next + 2;
            }
            return next > 0 ? next : -1;
        }
        return NOT_AN_OPERAND.contains(word) ? -1 : i + 1;
    }

    /** The index of the first token of the operand (see {@link #operandAfter}) whose last token is at {@code i}. */
    private static int operandFirst(String sql, List<Token> tokens, int i) {
        if (i < 0) {
            return -1;
        }
        Token token = tokens.get(i);
        String word = wordAt(sql, tokens, i);
        int first;
        if (token.is(sql, ")")) {
            first = openingParenthesis(sql, tokens, i);
            String before = wordAt(sql, tokens, first - 1);
            if ("OVER".equals(before) || "FILTER".equals(before)) {
                return operandFirst(sql, tokens, first - 2); // a window or filter of the call before it
            }
            if (first > 0 && before != null && (before.equals("CAST") || before.equals("EXISTS")
                    || !NOT_AN_OPERAND.contains(before))) {
                first--; // a call
            }
        } else if ("END".equals(word)) {
            first = -1;
            for (int j = i, depth = 0; j >= 0; j--) {
                String inner = wordAt(sql, tokens, j);
                depth += "END".equals(inner) ? 1 : "CASE".equals(inner) ? -1 : 0;
                if (depth == 0) {
                    first = j;
                    break;
                }
            }
        } else if (token.kind() == Kind.LITERAL || token.kind() == Kind.PARAMETER || token.kind() == Kind.NAME
                || (word != null && !NOT_AN_OPERAND.contains(word))) {
            first = i;
            if ("OVER".equals(wordAt(sql, tokens, i - 1))) {
                return operandFirst(sql, tokens, i - 2); // a named window of the call before it
            }
            while (first > 1 && tokens.get(first - 1).is(sql, ".") && tokens.get(first - 2).kind() != Kind.OPERATOR) {
                first -= 2; // schema.table.column
            }
        } else {
            return -1;
        }
        return first;
    }

    private static boolean isTightBinaryOperator(String sql, Token token) {
        if (token.kind() != Kind.OPERATOR) {
            return false;
        }
        for (String operator : TIGHT_BINARY_OPERATORS) {
            if (token.is(sql, operator)) {
                return true;
            }
        }
        return false;
    }
}
