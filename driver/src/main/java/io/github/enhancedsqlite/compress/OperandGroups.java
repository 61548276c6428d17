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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Operands delimited for the parser as SQLite delimits them, where JSqlParser 5.3 groups them otherwise or gives up
 * (a {@link ParserText} restatement: characters are added, each with its origin kept).
 *
 * <ul>
 *   <li>A BETWEEN bound: the parser looks 11 tokens ahead for a comparison there and refuses a longer bound that
 *       holds none ({@code x BETWEEN 1 AND (a + b + c + d + e)}, {@code coalesce(a + b + c + d + e, 0)}), and a
 *       bound with {@code ->>} trips it too. Such a bound ({@value #LONG_BOUND} tokens or more: a token may be two
 *       to the parser) reads as {@code (SELECT bound AS esq_operand)}, which the parser tries first.</li>
 *   <li>Operators of BETWEEN's precedence in a row ({@code =}, {@code <>}, IS, IN, LIKE, BETWEEN, ISNULL, …) apply
 *       from the left in SQLite ({@code x = y IS NULL} is {@code (x = y) IS NULL}); the parser refuses most such
 *       chains and takes {@code x BETWEEN 1 AND y = 1} for the bound {@code y = 1}. Each operator after the first
 *       takes what stands before it in parentheses (read as a sub-query, as a long bound is, where the chain begins
 *       with a parenthesis or EXISTS: the parser refuses a sub-query three parentheses deep).</li>
 *   <li>{@code a = b < c} is {@code a = (b < c)} to SQLite ({@code <}, {@code >=} bind tighter); the parser refuses
 *       it. Such an operand of the operators above is put in parentheses; an assignment's {@code =} in SET is not a
 *       comparison.</li>
 *   <li>EXISTS beside an operator ({@code x < EXISTS (…)}, {@code EXISTS (…) IS NULL}), which the parser takes for a
 *       condition, is put in parentheses.</li>
 * </ul>
 */
final class OperandGroups {

    /** The alias of an operand read as a sub-query ({@code ExpressionReader} takes it apart again). */
    static final String OPERAND_ALIAS = "esq_operand";
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
    /** Operators that NOT may precede: NOT IN, NOT LIKE, … */
    private static final Set<String> NEGATED_OPERATORS = Set.of("IN", "LIKE", "GLOB", "MATCH", "REGEXP", "BETWEEN");
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
        Set<Integer> betweenAnds = longBounds(sql, tokens, insertions);
        chains(sql, tokens, assignments(sql, tokens), betweenAnds, insertions);
        existsOperands(sql, tokens, insertions);
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
     * Each BETWEEN bound the parser may not read as written, wrapped as a sub-query (see the class comment).
     *
     * @return the indexes of the BETWEENs' ANDs
     */
    private static Set<Integer> longBounds(String sql, List<Token> tokens, List<Insertion> insertions) {
        Set<Integer> betweenAnds = new HashSet<>();
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
            if (unreadBound(sql, tokens, i + 1, and)) {
                wrap(sql, tokens, i + 1, and, insertions);
            }
            if (unreadBound(sql, tokens, and + 1, end)) {
                wrap(sql, tokens, and + 1, end, insertions);
            }
        }
        return betweenAnds;
    }

    /**
     * Operators of BETWEEN's precedence in a row ({@code =}, {@code <>}, IS, IN, LIKE, BETWEEN, ISNULL, …) are
     * applied from the left in SQLite: {@code x = y IS NULL} is {@code (x = y) IS NULL}, {@code x IS NULL = 0} is
     * {@code (x IS NULL) = 0}, {@code a = x BETWEEN 1 AND 2} is {@code (a = x) BETWEEN 1 AND 2}. The parser refuses
     * most such chains and reads {@code x BETWEEN 1 AND y = 1} as the bound {@code y = 1}, so each operator after
     * the first takes what stands before it in parentheses. An operand holding {@code <}, {@code >=}, … (which bind
     * tighter: {@code a = b < c} is {@code a = (b < c)}) is put in parentheses too, which the parser wants. Where
     * the chain's first operand cannot be delimited, a BETWEEN followed by another operator of the chain has its
     * upper bound wrapped as a sub-query, so that the parser refuses the statement (it runs on plain columns,
     * correctly) rather than read another grouping.
     */
    private static void chains(String sql, List<Token> tokens, boolean[] assignments, Set<Integer> betweenAnds,
            List<Insertion> insertions) {
        for (int i = 1; i < tokens.size(); i++) {
            Link link = link(sql, tokens, i, assignments);
            if (link == null) {
                continue;
            }
            List<Link> links = new ArrayList<>(List.of(link));
            for (Link next = link(sql, tokens, link.end, assignments); next != null;
                    next = link(sql, tokens, next.end, assignments)) {
                links.add(next);
            }
            int first = tightOperandFirst(sql, tokens, i - 1);
            // SET c = x BETWEEN …: the = assigns; after a BETWEEN's AND, the operand is a bound the chain does not hold
            boolean delimited = first >= 0 && (!continuesAChain(sql, tokens, first) || assignments[first - 1])
                    && !betweenAnds.contains(first - 1);
            int start = delimited ? first : -1;
            if (start >= 0) {
                groupIfOrdered(sql, tokens, start, i, insertions);
            }
            // ((((SELECT … WHERE …) IN (…)) …: the parser refuses a sub-query three parentheses deep, so the groups
            // of a chain that begins with one (or with EXISTS, put in parentheses below) read as sub-queries
            boolean startsWithGroup = start >= 0 && (tokens.get(start).is(sql, "(")
                    || "EXISTS".equals(wordAt(sql, tokens, start)));
            for (int k = 0; k < links.size(); k++) {
                Link current = links.get(k);
                if (current.right >= 0 && !current.between) {
                    groupIfOrdered(sql, tokens, current.right, current.rightEnd, insertions);
                }
                if (k == 0) {
                    continue;
                }
                Link before = links.get(k - 1);
                if (start >= 0 && startsWithGroup) {
                    wrap(sql, tokens, start, current.operator, insertions);
                } else if (start >= 0) {
                    group(tokens, start, current.operator, insertions);
                } else if (before.between && !unreadBound(sql, tokens, before.right, before.end)) {
                    wrap(sql, tokens, before.right, before.end, insertions); // the parser refuses what follows it
                }
            }
            i = links.get(links.size() - 1).end - 1;
        }
    }

    /**
     * An operator of BETWEEN's precedence at {@code i} and its right operand, or null: {@code =}, {@code ==},
     * {@code <>}, {@code !=} (not an assignment), [NOT] IN, LIKE, GLOB, MATCH, REGEXP (with ESCAPE), BETWEEN,
     * IS [NOT] [DISTINCT FROM], ISNULL, NOTNULL, NOT NULL.
     */
    private static Link link(String sql, List<Token> tokens, int i, boolean[] assignments) {
        if (i >= tokens.size()) {
            return null;
        }
        if (tokens.get(i).kind() == Kind.OPERATOR) {
            if (!isSameLevelAsBetween(sql, tokens, i) || assignments[i]) {
                return null;
            }
            int end = tightOperandEnd(sql, tokens, i + 1);
            return end < 0 ? null : new Link(i, end, i + 1, end, false);
        }
        String word = wordAt(sql, tokens, i);
        int at = i;
        if ("NOT".equals(word)) {
            String next = wordAt(sql, tokens, i + 1);
            if ("NULL".equals(next)) { // x NOT NULL; not NOT NULL <> x, where NOT applies to the comparison
                return expressionEnds(sql, tokens, i - 1) ? new Link(i, i + 2, -1, -1, false) : null;
            }
            if (next == null || !NEGATED_OPERATORS.contains(next)) {
                return null;
            }
            at = i + 1;
            word = next;
        }
        if (word == null) {
            return null;
        }
        switch (word) {
            case "ISNULL", "NOTNULL" -> {
                return new Link(i, i + 1, -1, -1, false);
            }
            case "IS" -> {
                int from = "NOT".equals(wordAt(sql, tokens, at + 1)) ? at + 2 : at + 1;
                if ("DISTINCT".equals(wordAt(sql, tokens, from)) && "FROM".equals(wordAt(sql, tokens, from + 1))) {
                    from += 2;
                }
                int end = tightOperandEnd(sql, tokens, from);
                return end < 0 ? null : new Link(i, end, from, end, false);
            }
            case "IN" -> {
                int end = inRightEnd(sql, tokens, at + 1);
                return end < 0 ? null : new Link(i, end, -1, -1, false);
            }
            case "LIKE", "GLOB", "MATCH", "REGEXP" -> {
                int pattern = tightOperandEnd(sql, tokens, at + 1);
                int end = "ESCAPE".equals(wordAt(sql, tokens, pattern)) ? tightOperandEnd(sql, tokens, pattern + 1)
                        : pattern;
                return pattern < 0 || end < 0 ? null : new Link(i, end, at + 1, pattern, false);
            }
            case "BETWEEN" -> {
                String previous = wordAt(sql, tokens, i - 1);
                int and = previous != null && FRAME_UNITS.contains(previous) ? -1 : lowerBoundEnd(sql, tokens, at + 1);
                int end = and < 0 ? -1 : tightOperandEnd(sql, tokens, and + 1);
                return end < 0 ? null : new Link(i, end, and + 1, end, true);
            }
            default -> {
                return null;
            }
        }
    }

    /** The index after IN's right operand starting at {@code from}: a list or sub-query, a table, a call; or -1. */
    private static int inRightEnd(String sql, List<Token> tokens, int from) {
        if (from >= tokens.size()) {
            return -1;
        }
        if (tokens.get(from).is(sql, "(")) {
            int close = closingParenthesis(sql, tokens, from);
            return close < 0 ? -1 : close + 1;
        }
        int end = operandAfter(sql, tokens, from);
        while (end > 0 && end + 1 < tokens.size() && tokens.get(end).is(sql, ".")) {
            end = operandAfter(sql, tokens, end + 1); // schema.table
        }
        return end;
    }

    /**
     * {@code x < EXISTS (…)}, {@code EXISTS (…) IS NULL}: the parser takes EXISTS for a condition, which it compares
     * with nothing; in parentheses it is an operand (SQLite reads both alike).
     */
    private static void existsOperands(String sql, List<Token> tokens, List<Insertion> insertions) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (!"EXISTS".equals(wordAt(sql, tokens, i)) || !tokens.get(i + 1).is(sql, "(")) {
                continue;
            }
            int close = closingParenthesis(sql, tokens, i + 1);
            if (close > 0 && (operatesOn(sql, tokens, i - 1) || operatesOn(sql, tokens, close + 1))) {
                group(tokens, i, close + 1, insertions);
            }
        }
    }

    /** Whether the token at {@code i} is an operator beside an operand (not NOT; IS DISTINCT FROM's FROM is one). */
    private static boolean operatesOn(String sql, List<Token> tokens, int i) {
        if (i < 0 || i >= tokens.size()) {
            return false;
        }
        Token token = tokens.get(i);
        if (token.kind() == Kind.OPERATOR) {
            return !token.is(sql, "(") && !token.is(sql, ")") && !token.is(sql, ",") && !token.is(sql, ";");
        }
        String word = wordAt(sql, tokens, i);
        return isSameLevelAsBetween(sql, tokens, i) && !"NOT".equals(word) && !"ESCAPE".equals(word)
                || "NOT".equals(word) && NEGATED_OPERATORS.contains(wordAt(sql, tokens, i + 1))
                || "NOT".equals(word) && "NULL".equals(wordAt(sql, tokens, i + 1))
                || "FROM".equals(word) && "DISTINCT".equals(wordAt(sql, tokens, i - 1))
                || "COLLATE".equals(word);
    }

    /** Puts the tokens from {@code first} to {@code end} in parentheses when they hold {@code <}, {@code >=}, …. */
    private static void groupIfOrdered(String sql, List<Token> tokens, int first, int end,
            List<Insertion> insertions) {
        if (end > first && ordersOutside(sql, tokens, first, end)) {
            group(tokens, first, end, insertions);
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
        insertions.add(new Insertion(start, last, "(", false, insertions.size()));
        insertions.add(new Insertion(start, last, ")", true, insertions.size()));
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
        insertions.add(new Insertion(start, last, "(SELECT ", false, insertions.size()));
        insertions.add(new Insertion(start, last, " AS " + OPERAND_ALIAS + ")", true, insertions.size()));
    }

    /**
     * An operator of BETWEEN's precedence at {@code operator} whose operands end at {@code end}; its right operand
     * (BETWEEN's upper bound) from {@code right} to {@code rightEnd}, -1 when it has none to delimit.
     */
    private record Link(int operator, int end, int right, int rightEnd, boolean between) {
    }

    /**
     * Characters added around the text from {@code start} to {@code end}: before it, or after it when closing.
     * At one position closings come first, the inner one first; then openings, the outer one first. Of two around
     * the same text, the one added first ({@code added}) is outside.
     */
    private record Insertion(int start, int end, String text, boolean closing, int added) {
        static final Comparator<Insertion> ORDER = (a, b) -> {
            int at = Integer.compare(a.closing ? a.end : a.start, b.closing ? b.end : b.start);
            if (at != 0) {
                return at;
            }
            if (a.closing != b.closing) {
                return a.closing ? -1 : 1;
            }
            int length = Integer.compare(a.end - a.start, b.end - b.start);
            if (length != 0) {
                return a.closing ? length : -length;
            }
            int added = Integer.compare(a.added, b.added); // around the same text: the one added first outside
            return a.closing ? -added : added;
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
     * Whether the operand whose first token is at {@code first} follows an operator of BETWEEN's own precedence
     * (not a prefix NOT): SQLite takes more into the chain's first operand than the scan delimited.
     */
    private static boolean continuesAChain(String sql, List<Token> tokens, int first) {
        boolean prefixNot = "NOT".equals(wordAt(sql, tokens, first - 1)) && !expressionEnds(sql, tokens, first - 2);
        return first > 0 && !prefixNot && isSameLevelAsBetween(sql, tokens, first - 1);
    }

    /**
     * The index of the first token of the operand that ends at {@code last} and whose operators all bind tighter
     * than BETWEEN (see {@link #tightOperandEnd}), or -1 when the scan meets a token it does not judge.
     */
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

    /** Whether the token is an operator that binds tighter than {@code =}: arithmetic, {@code ||}, {@code <}, … */
    static boolean isTightBinaryOperator(String sql, Token token) {
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
