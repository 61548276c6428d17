package io.github.enhancedsqlite.compress;

import io.github.enhancedsqlite.sql.SqlLexer;
import io.github.enhancedsqlite.sql.SqlLexer.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * SQLite syntax that JSqlParser 5.3 does not read, restated in forms it does, without moving a single character:
 * the rewriter splices the statement as written at the positions the parser reports, so SQLite still runs the
 * original syntax and the restated text only has to give the parser the same expressions and column references.
 *
 * <ul>
 *   <li>{@code GLOB} and {@code MATCH} (operators) read as {@code LIKE}: the same binary operator for the rewriter.</li>
 *   <li>{@code x IS y} and {@code x IS NOT y} with anything but NULL, TRUE, FALSE or DISTINCT FROM read as
 *       {@code x = y} and {@code x <> y}: SQLite gives IS the same affinity rules as =, which the rewriter applies.
 *       So does {@code x IS NULL >= y}, which SQLite reads as {@code x IS (NULL >= y)}.</li>
 *   <li>{@code ==} reads as {@code =}; postfix {@code x NOT NULL} as {@code x NOTNULL}.</li>
 *   <li>Prefix signs in a row ({@code - - x}, {@code + - 15}) read as one sign of the chain's kind of value.</li>
 *   <li>{@code INDEXED BY name}, {@code NOT INDEXED}, the {@code OR IGNORE}-style conflict clause of INSERT and
 *       UPDATE, the NOT of {@code NOT MATERIALIZED} and the base window of {@code OVER (w ORDER BY …)} are blanked:
 *       they choose a plan, a conflict policy or a frame, and read no column.</li>
 *   <li>A collation name after COLLATE reads as a plain identifier ({@code BINARY} is a keyword to the parser), and
 *       the functions {@code like}, {@code substr} and windowed {@code group_concat} under names the parser takes
 *       as plain functions.</li>
 *   <li>Of several ON CONFLICT clauses, the DO NOTHING ones are blanked when a DO UPDATE clause remains (the
 *       parser keeps one): their targets name only indexed columns, which never hold compressed values.</li>
 * </ul>
 *
 * Everything else passes through; what the parser still rejects is refused by {@link Compression} when the
 * statement names a table holding compressed values.
 */
final class SqliteSyntax {

    /** Words after which an expression starts: a GLOB, IS, MATCH or NOT following one is not an operator. */
    static final Set<String> BEFORE_EXPRESSION = Set.of("SELECT", "DISTINCT", "ALL", "WHERE", "AND", "OR",
            "NOT", "ON", "WHEN", "THEN", "ELSE", "CASE", "BY", "HAVING", "SET", "VALUES", "RETURNING", "LIMIT",
            "OFFSET", "IN", "IS", "LIKE", "GLOB", "MATCH", "REGEXP", "BETWEEN", "ESCAPE", "EXISTS", "FROM", "JOIN",
            "INTO", "USING", "AS", "WITH", "DO", "UPDATE", "DELETE", "INSERT", "REPLACE", "FILTER", "OVER",
            "PARTITION", "WINDOW", "RECURSIVE", "MATERIALIZED", "UNION", "INTERSECT", "EXCEPT", "ORDER", "GROUP",
            "COLLATE", "CAST", "DEFAULT", "INDEXED");
    /** Words after which an operand or a name starts for certain (see {@code operandStarts}). */
    private static final Set<String> OPERAND_STARTS = Set.of("SELECT", "DISTINCT", "ALL", "WHERE", "AND", "OR",
            "WHEN", "THEN", "ELSE", "CASE", "HAVING", "SET", "ON", "RETURNING", "FROM", "JOIN", "INTO", "UPDATE",
            "TABLE", "BETWEEN", "AS", "WITH");
    private static final Set<String> ORDERINGS = Set.of("ORDER", "GROUP", "PARTITION");
    /** Words that follow an operand ({@code with IN (…)}: WITH names a column there, it opens no CTE). */
    private static final Set<String> OPERATORS_AFTER_OPERAND = Set.of("IN", "IS", "LIKE", "GLOB", "MATCH", "REGEXP",
            "NOT", "AND", "OR", "BETWEEN", "COLLATE", "ESCAPE", "ISNULL", "NOTNULL");
    private static final Set<String> AFTER_IS_UNDERSTOOD = Set.of("NULL", "TRUE", "FALSE", "DISTINCT");
    /**
     * SQLite keywords that SQLite also takes for names and that can end no operand: right before IS, which takes an
     * operand on its left, such a word is a column's name.
     */
    private static final Set<String> NAMES_BEFORE_IS = Set.of("BY", "DO", "FILTER", "GLOB", "INDEXED", "MATCH",
            "MATERIALIZED", "OFFSET", "OVER", "PARTITION", "RECURSIVE", "REGEXP", "REPLACE");
    private static final Set<String> CONFLICT_ACTIONS = Set.of("ROLLBACK", "ABORT", "REPLACE", "FAIL", "IGNORE");
    private static final Set<String> WINDOW_SPEC_WORDS = Set.of("PARTITION", "ORDER", "ROWS", "RANGE", "GROUPS");
    private static final Set<String> JOIN_WORDS = Set.of("CROSS", "FULL", "INNER", "LEFT", "NATURAL", "OUTER", "RIGHT");
    /**
     * Words SQLite has no keyword for, so always names there, that JSqlParser reads as keywords of other dialects in
     * some position: every such word that SQLite accepted as a column, table or alias name in a probe of the
     * parser's whole keyword list across 60 statement shapes (session 24) and the parser refused in one of them.
     */
    private static final Set<String> OTHER_DIALECTS_KEYWORDS = Set.of("ABSENT", "ANY", "APPROXIMATE", "ASYMMETRIC",
            "BOTH", "CASEWHEN", "CONNECT", "CONNECT_BY_ROOT", "CSV", "DISTINCTROW", "ERRORS", "EXCLUDES", "EXTEND",
            "FBV", "FETCH", "FILE", "FINAL", "FORCE", "GLOBAL", "GROUPING", "IIF", "ILIKE", "IMPORT", "INCLUDES",
            "INTERVAL", "LATERAL", "LOW_PRIORITY", "MINUS", "NEXTVAL", "NOCYCLE", "ONLY", "OPTIMIZE", "OUTPUT", "PIVOT",
            "PREFERRING", "PREWHERE", "PRIOR", "PROCEDURE", "PUBLIC", "QUALIFY", "RETURNS", "SAMPLE", "SCRIPT", "SEMI",
            "SETTINGS", "SOME", "SQL_CACHE", "SQL_CALC_FOUND_ROWS", "SQL_NO_CACHE", "START", "STATEMENT", "SYMMETRIC",
            "TABLES", "TABLESAMPLE", "TRAILING", "TRIM", "UNKNOWN", "UNPIVOT", "USE", "UUID", "VERIFY", "XMLSERIALIZE",
            "XOR");

    private SqliteSyntax() {
    }

    /** The statement as the parser should read it: same length, same line breaks, same positions. */
    static String forParser(String sql) {
        List<Token> tokens = tokens(sql);
        char[] text = sql.toCharArray();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.kind == Kind.OPERATOR && token.is(sql, "==")) {
                text[token.start + 1] = ' ';
                continue;
            }
            if (isSign(sql, token) && !expressionEnds(sql, tokens, i - 1)) {
                i = oneSign(sql, tokens, i, text);
                continue;
            }
            if (token.kind != Kind.WORD) {
                continue;
            }
            String word = token.word(sql);
            switch (word) {
                case "GLOB", "MATCH" -> {
                    if (operatorPosition(sql, tokens, i)) {
                        put(text, token, word.equals("GLOB") ? "LIKE" : "LIKE ");
                    }
                }
                case "LIKE" -> {
                    if (i + 1 < tokens.size() && tokens.get(i + 1).is(sql, "(") && !operatorPosition(sql, tokens, i)) {
                        put(text, token, "glob"); // the function like(…): a keyword to the parser, glob(…) is not
                    }
                }
                case "SUBSTR", "SUBSTRING" -> {
                    // the parser reads substr(…) as SQL's SUBSTRING(x FROM …) and stumbles on substr(f(a, b), 1)
                    if (i + 1 < tokens.size() && tokens.get(i + 1).is(sql, "(")) {
                        put(text, token.end - 1, "_");
                    }
                }
                case "GROUPS" -> {
                    // a frame unit follows the window's ORDER BY term or opens its parentheses; a column does not
                    boolean frame = expressionEnds(sql, tokens, i - 1) || (i >= 2 && tokens.get(i - 1).is(sql, "(")
                            && ("OVER".equals(wordAt(sql, tokens, i - 2)) || "AS".equals(wordAt(sql, tokens, i - 2))));
                    String next = wordAt(sql, tokens, i + 1);
                    if (frame && ("BETWEEN".equals(next) || "UNBOUNDED".equals(next) || "CURRENT".equals(next))) {
                        put(text, token, "ROWS  "); // the frame's unit: it reads no column
                    }
                }
                case "EXCLUDE" -> blankFrameExclusion(sql, tokens, i, text);
                case "GROUP_CONCAT" -> {
                    // the parser reads group_concat(…) as MySQL's, which takes no FILTER or OVER; string_agg does
                    int close = closingParenthesis(sql, tokens, i + 1);
                    String after = wordAt(sql, tokens, close + 1);
                    if (close > 0 && ("OVER".equals(after) || "FILTER".equals(after))) {
                        put(text, token, "string_agg  ");
                    }
                }
                case "IS" -> {
                    if (expressionEnds(sql, tokens, i - 1)) {
                        restateIs(sql, tokens, i, text);
                    }
                }
                case "NOT" -> {
                    String next = wordAt(sql, tokens, i + 1);
                    if ("NULL".equals(next) && expressionEnds(sql, tokens, i - 1)) {
                        Token nullToken = tokens.get(i + 1);
                        if (nullToken.start == token.end + 1 && text[token.end] != '\n' && text[token.end] != '\r') {
                            put(text, token.start, " NOTNULL"); // ends where NULL ends, as the node must
                        } else {
                            put(text, token, "IS "); // the parser sees IS NULL: the same expression to rewrite
                        }
                    } else if ("INDEXED".equals(next) && expressionEnds(sql, tokens, i - 1)) {
                        blank(text, token.start, tokens.get(i + 1).end); // after a table's name or alias
                    } else if ("MATERIALIZED".equals(next) && "AS".equals(wordAt(sql, tokens, i - 1))) {
                        blank(text, token.start, token.end);
                    }
                }
                case "INDEXED" -> {
                    if ("BY".equals(wordAt(sql, tokens, i + 1)) && i + 2 < tokens.size()
                            && expressionEnds(sql, tokens, i - 1)) {
                        blank(text, token.start, tokens.get(i + 2).end);
                    }
                }
                case "INSERT", "UPDATE" -> {
                    String action = wordAt(sql, tokens, i + 2);
                    if ("OR".equals(wordAt(sql, tokens, i + 1)) && action != null && CONFLICT_ACTIONS.contains(action)) {
                        blank(text, tokens.get(i + 1).start, tokens.get(i + 2).end);
                    }
                }
                case "COLLATE" -> {
                    int open = openingParenthesis(sql, tokens, i - 1);
                    String first = open >= 0 ? wordAt(sql, tokens, open + 1) : null;
                    if (i + 1 < tokens.size() && ("SELECT".equals(first) || "VALUES".equals(first)
                            || "WITH".equals(first))) {
                        // the parser stumbles on (SELECT … WHERE a.x = b.y) COLLATE n; a collation leaves the
                        // sub-query's affinity as it is, and SQLite still runs it as written
                        blank(text, token.start, tokens.get(i + 1).end);
                    } else if (i + 1 < tokens.size() && tokens.get(i + 1).kind == Kind.WORD) {
                        Token name = tokens.get(i + 1);
                        text[name.start] = 'c';
                        for (int at = name.start + 1; at < name.end; at++) {
                            text[at] = '_';
                        }
                    }
                }
                case "OVER" -> {
                    if (i + 2 < tokens.size() && tokens.get(i + 1).is(sql, "(") && tokens.get(i + 2).kind == Kind.WORD
                            && !WINDOW_SPEC_WORDS.contains(tokens.get(i + 2).word(sql))) {
                        blank(text, tokens.get(i + 2).start, tokens.get(i + 2).end);
                    }
                }
                default -> {
                }
            }
        }
        extraConflictClauses(sql, tokens, text);
        limitOffsetOfAWrite(sql, tokens, text);
        return new String(text);
    }

    static boolean isSign(String sql, Token token) {
        return token.kind == Kind.OPERATOR && (token.is(sql, "-") || token.is(sql, "+") || token.is(sql, "~"));
    }

    /**
     * Prefix signs in a row ({@code - - x}, {@code + - 15}, {@code ~ - x}): the parser reads one. They read as the
     * first alone, standing for the chain's kind of value: a number when any of them is {@code -} or {@code ~}
     * ({@code -}, which the rewriter takes as arithmetic), else {@code +} (the operand's value without its
     * affinity). The node still spans the whole chain, so the rewriter splices it as written.
     *
     * @return the index of the chain's last sign
     */
    private static int oneSign(String sql, List<Token> tokens, int first, char[] text) {
        int last = first;
        boolean number = false;
        while (last < tokens.size() && isSign(sql, tokens.get(last))) {
            number |= !tokens.get(last).is(sql, "+");
            last++;
        }
        last--;
        if (last > first) {
            Token sign = tokens.get(first);
            text[sign.start] = number ? '-' : '+';
            blank(text, sign.end, tokens.get(last).end);
        }
        return last;
    }

    /** {@code IS y} becomes {@code = y}, {@code IS NOT y} becomes {@code <> y}, unless the parser reads it. */
    private static void restateIs(String sql, List<Token> tokens, int is, char[] text) {
        String next = wordAt(sql, tokens, is + 1);
        if (understoodAfterIs(sql, tokens, is + 1, next)) {
            return;
        }
        if ("NOT".equals(next)) {
            if (understoodAfterIs(sql, tokens, is + 2, wordAt(sql, tokens, is + 2))) {
                return;
            }
            put(text, tokens.get(is), "<>");
            blank(text, tokens.get(is + 1).start, tokens.get(is + 1).end);
        } else {
            put(text, tokens.get(is), "= ");
        }
    }

    /**
     * Whether the word at {@code i} after IS [NOT] makes a form the parser reads: {@code IS NULL}, {@code IS TRUE},
     * {@code IS DISTINCT FROM}. Not when an operator that binds tighter than IS follows NULL, TRUE or FALSE: SQLite
     * reads {@code x IS NULL >= y} as {@code x IS (NULL >= y)}, an IS of any operand.
     */
    private static boolean understoodAfterIs(String sql, List<Token> tokens, int i, String word) {
        if (word == null || !AFTER_IS_UNDERSTOOD.contains(word)) {
            return false;
        }
        return "DISTINCT".equals(word) || i + 1 >= tokens.size()
                || !(OperandGroups.isTightBinaryOperator(sql, tokens.get(i + 1))
                        || "COLLATE".equals(wordAt(sql, tokens, i + 1)));
    }

    /** A window frame's {@code EXCLUDE NO OTHERS | CURRENT ROW | GROUP | TIES}: it reads no column. */
    private static void blankFrameExclusion(String sql, List<Token> tokens, int exclude, char[] text) {
        String frameEnd = wordAt(sql, tokens, exclude - 1);
        if (!"ROW".equals(frameEnd) && !"PRECEDING".equals(frameEnd) && !"FOLLOWING".equals(frameEnd)) {
            return; // not after a frame's bound: a column named exclude
        }
        String next = wordAt(sql, tokens, exclude + 1);
        String after = wordAt(sql, tokens, exclude + 2);
        int last = ("NO".equals(next) && "OTHERS".equals(after)) || ("CURRENT".equals(next) && "ROW".equals(after))
                ? exclude + 2 : "GROUP".equals(next) || "TIES".equals(next) ? exclude + 1 : -1;
        if (last > 0) {
            blank(text, tokens.get(exclude).start, tokens.get(last).end);
        }
    }

    /**
     * An upsert may have several ON CONFLICT clauses; the parser keeps one. DO NOTHING clauses read no column
     * outside their target, so they are blanked, unless nothing else would remain (then all but the first).
     */
    private static void extraConflictClauses(String sql, List<Token> tokens, char[] text) {
        List<int[]> doNothing = new ArrayList<>(); // token index of ON, of NOTHING
        int clauses = 0;
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (!"ON".equals(wordAt(sql, tokens, i)) || !"CONFLICT".equals(wordAt(sql, tokens, i + 1))) {
                continue;
            }
            clauses++;
            int depth = 0;
            for (int j = i + 2; j + 1 < tokens.size(); j++) {
                Token token = tokens.get(j);
                depth += token.is(sql, "(") ? 1 : token.is(sql, ")") ? -1 : 0;
                if (depth == 0 && "DO".equals(wordAt(sql, tokens, j))) {
                    if ("NOTHING".equals(wordAt(sql, tokens, j + 1))) {
                        doNothing.add(new int[] {i, j + 1});
                    }
                    break;
                }
            }
        }
        if (clauses < 2) {
            return;
        }
        int keep = doNothing.size() == clauses ? 1 : 0;
        for (int[] clause : doNothing.subList(keep, doNothing.size())) {
            blank(text, tokens.get(clause[0]).start, tokens.get(clause[1]).end);
        }
    }

    /**
     * UPDATE and DELETE … LIMIT n OFFSET m (or LIMIT m, n): the parser takes no offset there. A literal or
     * parameter offset reads no column and is blanked; anything longer is left for the parser to refuse.
     */
    private static void limitOffsetOfAWrite(String sql, List<Token> tokens, char[] text) {
        int depth = 0;
        String kind = null;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            depth += token.is(sql, "(") ? 1 : token.is(sql, ")") ? -1 : 0;
            String word = depth == 0 ? wordAt(sql, tokens, i) : null;
            if (kind == null && word != null && Set.of("SELECT", "VALUES", "INSERT", "REPLACE", "UPDATE", "DELETE")
                    .contains(word)) {
                kind = word;
            }
            if (("UPDATE".equals(kind) || "DELETE".equals(kind)) && "LIMIT".equals(word)) {
                int end = tokens.get(tokens.size() - 1).is(sql, ";") ? tokens.size() - 1 : tokens.size();
                if (end - i != 4) {
                    return; // LIMIT n alone, or an offset that is more than one literal or parameter
                }
                Token separator = tokens.get(i + 2);
                Token offset = tokens.get(i + 3);
                boolean simple = offset.kind == Kind.LITERAL || offset.kind == Kind.PARAMETER;
                if (simple && (separator.is(sql, ",") || "OFFSET".equals(wordAt(sql, tokens, i + 2)))) {
                    blank(text, separator.start, offset.end);
                }
                return;
            }
        }
    }

    /** The word is a binary operator: an expression ends before it, or before the NOT before it. */
    private static boolean operatorPosition(String sql, List<Token> tokens, int i) {
        return expressionEnds(sql, tokens, i - 1)
                || ("NOT".equals(wordAt(sql, tokens, i - 1)) && expressionEnds(sql, tokens, i - 2));
    }

    static boolean expressionEnds(String sql, List<Token> tokens, int i) {
        if (i < 0) {
            return false;
        }
        Token token = tokens.get(i);
        return switch (token.kind) {
            case WORD -> !BEFORE_EXPRESSION.contains(token.word(sql)) || keywordIsName(sql, tokens, i);
            case OPERATOR -> token.is(sql, ")");
            default -> true;
        };
    }

    /**
     * Whether a bare word that the parser takes for a keyword names a column, table or alias here, as SQLite reads it:
     * <ul>
     *   <li>WINDOW is the clause only before {@code name AS}, as SQLite's tokenizer decides; UNBOUNDED is a frame
     *       bound only before PRECEDING or FOLLOWING; CURRENT only before ROW; ROW only after CURRENT or EACH; KEY
     *       only after PRIMARY or FOREIGN; a join word (LEFT, FULL, …) only before JOIN or another join word; FOR
     *       only before EACH (a trigger's FOR EACH ROW); LIKE is a name only where an operand surely starts (after
     *       an operator, SELECT, WHERE, AND, …); WITH only before RECURSIVE or {@code name AS}/{@code name (},
     *       which open CTEs (not after WITH or RECURSIVE: a CTE named so);</li>
     *   <li>a keyword of SQLite's that can end no operand (BY, OFFSET, REPLACE, …) is a name right before IS;</li>
     *   <li>a keyword of another dialect (MySQL's {@code XOR}, Oracle's {@code MINUS}, {@code UUID}, …) that SQLite
     *       does not have is always a name, except as a function's name or a type in CAST (a collation's name is
     *       restated apart).</li>
     * </ul>
     */
    static boolean keywordIsName(String sql, List<Token> tokens, int i) {
        String word = wordAt(sql, tokens, i);
        if (word == null) {
            return false;
        }
        String next = wordAt(sql, tokens, i + 1);
        String previous = wordAt(sql, tokens, i - 1);
        if ("IS".equals(next) && NAMES_BEFORE_IS.contains(word)) {
            return true;
        }
        return switch (word) {
            case "WINDOW" -> !(i + 2 < tokens.size() && tokens.get(i + 1).kind != Kind.OPERATOR
                    && "AS".equals(wordAt(sql, tokens, i + 2)));
            case "UNBOUNDED" -> !"PRECEDING".equals(next) && !"FOLLOWING".equals(next);
            case "CURRENT" -> !"ROW".equals(next) && isName(sql, tokens, i, previous);
            case "ROW" -> !"CURRENT".equals(previous) && !"EACH".equals(previous) && isName(sql, tokens, i, previous);
            case "KEY" -> !"PRIMARY".equals(previous) && !"FOREIGN".equals(previous)
                    && isName(sql, tokens, i, previous);
            case "FOR" -> !"EACH".equals(next) && isName(sql, tokens, i, previous);
            case "LIKE" -> operandStarts(sql, tokens, i) && isName(sql, tokens, i, previous);
            case "WITH" -> "WITH".equals(previous) || "RECURSIVE".equals(previous)
                    || (!opensCommonTables(sql, tokens, i) && isName(sql, tokens, i, previous));
            default -> JOIN_WORDS.contains(word)
                    ? !"JOIN".equals(next) && !(next != null && JOIN_WORDS.contains(next))
                            && isName(sql, tokens, i, previous)
                    : OTHER_DIALECTS_KEYWORDS.contains(word) && isName(sql, tokens, i, previous);
        };
    }

    /**
     * Whether an operand or a name starts at {@code i}, judged narrowly from the token before it: an operator (not
     * {@code )}), a word that opens a clause or an expression, BY of ORDER/GROUP/PARTITION BY, or a NOT before such
     * a place. A word SQLite also takes for a name ({@code WHERE by LIKE …}) leaves it false.
     */
    private static boolean operandStarts(String sql, List<Token> tokens, int i) {
        if (i == 0) {
            return false;
        }
        Token before = tokens.get(i - 1);
        if (before.kind == Kind.OPERATOR) {
            return !before.is(sql, ")");
        }
        String previous = wordAt(sql, tokens, i - 1);
        if ("BY".equals(previous)) {
            return ORDERINGS.contains(wordAt(sql, tokens, i - 2));
        }
        return "NOT".equals(previous) ? operandStarts(sql, tokens, i - 1)
                : previous != null && OPERAND_STARTS.contains(previous) && !keywordIsName(sql, tokens, i - 1);
    }

    /** Whether WITH at {@code i} opens CTEs: before RECURSIVE, {@code name AS} or {@code name (}. */
    private static boolean opensCommonTables(String sql, List<Token> tokens, int i) {
        String name = wordAt(sql, tokens, i + 1);
        if ("RECURSIVE".equals(name) || i + 2 >= tokens.size() || tokens.get(i + 1).kind == Kind.OPERATOR) {
            return "RECURSIVE".equals(name);
        }
        return "AS".equals(wordAt(sql, tokens, i + 2))
                || (tokens.get(i + 2).is(sql, "(") && (name == null || !OPERATORS_AFTER_OPERAND.contains(name)));
    }

    /** Whether the word at {@code i} stands where SQLite reads a name: not a function's or a type's. */
    private static boolean isName(String sql, List<Token> tokens, int i, String previous) {
        if (i + 1 < tokens.size() && tokens.get(i + 1).is(sql, "(") && !"INTO".equals(previous)) {
            return false; // a function called so (INSERT INTO output(a, b) names a table)
        }
        if ("AS".equals(previous)) {
            int open = enclosingParenthesis(sql, tokens, i);
            return !"CAST".equals(wordAt(sql, tokens, open - 1));
        }
        return true;
    }

    /** The index of the '(' around the token at {@code at}, or -1. */
    private static int enclosingParenthesis(String sql, List<Token> tokens, int at) {
        int depth = 0;
        for (int i = at - 1; i >= 0; i--) {
            depth += tokens.get(i).is(sql, ")") ? 1 : tokens.get(i).is(sql, "(") ? -1 : 0;
            if (depth < 0) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the '(' that the ')' at {@code close} closes, or -1. */
    static int openingParenthesis(String sql, List<Token> tokens, int close) {
        if (close < 0 || !tokens.get(close).is(sql, ")")) {
            return -1;
        }
        return enclosingParenthesis(sql, tokens, close);
    }

    /** The index of the ')' closing the '(' at {@code open}, or -1. */
    static int closingParenthesis(String sql, List<Token> tokens, int open) {
        if (open >= tokens.size() || !tokens.get(open).is(sql, "(")) {
            return -1;
        }
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            depth += tokens.get(i).is(sql, "(") ? 1 : tokens.get(i).is(sql, ")") ? -1 : 0;
            if (depth == 0) {
                return i;
            }
        }
        return -1;
    }

    static String wordAt(String sql, List<Token> tokens, int i) {
        return i >= 0 && i < tokens.size() && tokens.get(i).kind == Kind.WORD ? tokens.get(i).word(sql) : null;
    }

    private static void put(char[] text, Token token, String replacement) {
        put(text, token.start, replacement);
    }

    private static void put(char[] text, int at, String replacement) {
        replacement.getChars(0, replacement.length(), text, at);
    }

    /** Spaces over the range, line breaks kept so the parser's line and column numbers still hold. */
    private static void blank(char[] text, int start, int end) {
        for (int at = start; at < end; at++) {
            if (text[at] != '\n' && text[at] != '\r') {
                text[at] = ' ';
            }
        }
    }

    // ---------------------------------------------------------------- tokens

    /** One token: a bare word (keyword or identifier), a quoted name, a literal, a parameter or an operator. */
    record Token(Kind kind, int start, int end) {
        String word(String sql) {
            return sql.substring(start, end).toUpperCase(Locale.ROOT);
        }

        boolean is(String sql, String text) {
            return end - start == text.length() && sql.startsWith(text, start);
        }
    }

    /** SQLite's tokens, comments and white space left out (read by the driver's one lexer, {@link SqlLexer}). */
    static List<Token> tokens(String sql) {
        List<Token> tokens = new ArrayList<>();
        SqlLexer lexer = new SqlLexer(sql);
        while (lexer.next() != Kind.END) {
            tokens.add(new Token(lexer.kind(), lexer.start(), lexer.end()));
        }
        return tokens;
    }
}
