package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.SqliteSyntax.wordAt;

import io.github.enhancedsqlite.compress.SqliteSyntax.Token;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The statement as the parser reads it, and where each of its characters stands in the statement as written.
 *
 * <p>Most SQLite syntax the parser lacks is restated in place ({@link SqliteSyntax#forParser}). What cannot be said
 * at the same positions is restated here by moving text or adding a few characters, with every character's origin
 * kept, so the rewriter still splices the statement as written:
 * <ul>
 *   <li>the RETURNING clause of an UPDATE or DELETE written before its ORDER BY/LIMIT moves after them (the
 *       parser wants it last);</li>
 *   <li>a SELECT's LIMIT clause holding a sub-query reads as {@code LIMIT 0 OFFSET (a)+(b)}, and an UPDATE or
 *       DELETE LIMIT whose offset is an expression as {@code LIMIT (a)+(b)}: the parser takes neither as written,
 *       and neither expression can read the row, so only the sub-queries in them matter;</li>
 *   <li>several {@code ON CONFLICT … DO UPDATE SET} clauses (the parser keeps one) read as one clause with all
 *       their assignments and their WHERE conditions joined by AND: the rewriter needs each assignment and each
 *       read, not which conflict chooses them (the targets name indexed columns, never compressed); not when that
 *       would reorder positional {@code ?} parameters;</li>
 *   <li>{@code (…) ISNULL} and {@code (…) NOTNULL} read as {@code IS NULL} and {@code IS NOT NULL}: the parser
 *       takes the word after a parenthesis for an alias;</li>
 *   <li>a bare word SQLite reads as a name where the parser takes it for a keyword ({@code window},
 *       {@code key} in CASE, {@code uuid}, {@code only}, …: {@link SqliteSyntax#keywordIsName}) is quoted;</li>
 *   <li>operands of BETWEEN and of comparisons, delimited as SQLite delimits them where the parser groups them
 *       otherwise or gives up ({@link OperandGroups}).</li>
 * </ul>
 *
 * @param text   what the parser reads
 * @param origin for each character of {@code text}, its index in the statement as written; null when the same
 */
record ParserText(String text, int[] origin) {

    private static final Set<String> STATEMENT_WORDS = Set.of("SELECT", "VALUES", "INSERT", "REPLACE", "UPDATE",
            "DELETE");

    /** The index in the statement as written of the parser text's character at {@code at}. */
    int originOf(int at) {
        return origin == null ? at : origin[Math.min(at, origin.length - 1)];
    }

    static ParserText of(String sql) {
        ParserText text = new ParserText(SqliteSyntax.forParser(sql), null);
        text = text.then(returningLast(text.text));
        text = text.then(limits(text.text));
        text = text.then(conflictClausesMerged(text.text));
        text = text.then(quotedKeywordNames(text.text));
        text = text.then(OperandGroups.restate(text.text));
        return text.then(postfixNullTests(text.text));
    }

    /** This text followed by a restatement of it (null: none). */
    private ParserText then(ParserText next) {
        if (next == null) {
            return this;
        }
        int[] composed = new int[next.origin.length];
        for (int i = 0; i < composed.length; i++) {
            composed[i] = originOf(next.origin[i]);
        }
        return new ParserText(next.text, composed);
    }

    // ---------------------------------------------------------------- restatements

    /** UPDATE/DELETE … RETURNING r ORDER BY … LIMIT …: the RETURNING clause moves to the end. */
    private static ParserText returningLast(String sql) {
        List<Token> tokens = SqliteSyntax.tokens(sql);
        String kind = null;
        int depth = 0;
        int returning = -1;
        for (int i = 0; i < tokens.size(); i++) {
            depth += depthChange(sql, tokens.get(i));
            String word = depth == 0 ? wordAt(sql, tokens, i) : null;
            if (kind == null && word != null && STATEMENT_WORDS.contains(word)) {
                kind = word;
            }
            if (("UPDATE".equals(kind) || "DELETE".equals(kind)) && word != null) {
                if (word.equals("RETURNING")) {
                    returning = i;
                } else if (returning >= 0 && (word.equals("ORDER") || word.equals("LIMIT"))) {
                    int moved = tokens.get(returning).start();
                    int clauses = tokens.get(i).start();
                    int end = statementEnd(sql, tokens);
                    return new Builder(sql).copy(0, moved).copy(clauses, end).insert(" ", end - 1)
                            .copy(moved, clauses).copy(end, sql.length()).build();
                }
            }
        }
        return null;
    }

    /** LIMIT clauses the parser cannot read (see the class comment), restated from the last so indexes hold. */
    private static ParserText limits(String sql) {
        List<Token> tokens = SqliteSyntax.tokens(sql);
        Builder builder = new Builder(sql);
        int copied = 0;
        int depth = 0;
        String kind = null;
        boolean changed = false;
        for (int i = 0; i < tokens.size(); i++) {
            depth += depthChange(sql, tokens.get(i));
            String word = wordAt(sql, tokens, i);
            if (depth == 0 && kind == null && word != null && STATEMENT_WORDS.contains(word)) {
                kind = word;
            }
            if (!"LIMIT".equals(word)) {
                continue;
            }
            boolean write = depth == 0 && ("UPDATE".equals(kind) || "DELETE".equals(kind));
            int end = clauseEnd(sql, tokens, i + 1);
            int separator = -1;
            boolean subQuery = false;
            int level = 0;
            for (int j = i + 1; j < end; j++) {
                level += depthChange(sql, tokens.get(j));
                String inner = wordAt(sql, tokens, j);
                subQuery |= "SELECT".equals(inner) || "VALUES".equals(inner);
                if (level == 0 && separator < 0 && ("OFFSET".equals(inner) || tokens.get(j).is(sql, ","))) {
                    separator = j;
                }
            }
            if (end <= i + 1 || (write ? separator < 0 : !subQuery)) {
                continue;
            }
            int first = tokens.get(i + 1).start();
            int last = tokens.get(end - 1).end();
            builder.copy(copied, first);
            if (!write) {
                builder.insert("0 OFFSET ", first);
            }
            if (separator < 0) {
                builder.insert("(", first).copy(first, last).insert(")", last - 1);
            } else {
                int firstEnd = tokens.get(separator - 1).end();
                int second = tokens.get(separator + 1 < end ? separator + 1 : separator).start();
                builder.insert("(", first).copy(first, firstEnd).insert(")", firstEnd - 1)
                        .insert("+(", second).copy(second, last).insert(")", last - 1);
            }
            copied = last;
            changed = true;
            i = end - 1; // the clause's parentheses balance: the depth is unchanged
        }
        return changed ? builder.copy(copied, sql.length()).build() : null;
    }

    /** Several ON CONFLICT … DO UPDATE clauses as one (see the class comment); null when there are fewer. */
    private static ParserText conflictClausesMerged(String sql) {
        List<Token> tokens = SqliteSyntax.tokens(sql);
        List<int[]> sets = new java.util.ArrayList<>(); // per clause: first and last+1 token of SET's assignments
        List<int[]> conditions = new java.util.ArrayList<>();
        int depth = 0;
        int tail = tokens.size();
        for (int i = 0; i < tokens.size(); i++) {
            depth += depthChange(sql, tokens.get(i));
            if (depth != 0) {
                continue;
            }
            if ("RETURNING".equals(wordAt(sql, tokens, i)) || tokens.get(i).is(sql, ";")) {
                tail = i;
                break;
            }
            if (!"ON".equals(wordAt(sql, tokens, i)) || !"CONFLICT".equals(wordAt(sql, tokens, i + 1))) {
                continue;
            }
            int set = i + 2;
            for (int level = 0; set < tokens.size(); set++) {
                level += depthChange(sql, tokens.get(set));
                if (level == 0 && "DO".equals(wordAt(sql, tokens, set))) {
                    break;
                }
            }
            if (!"UPDATE".equals(wordAt(sql, tokens, set + 1)) || !"SET".equals(wordAt(sql, tokens, set + 2))) {
                return null; // DO NOTHING clauses beside a DO UPDATE were blanked already
            }
            int start = set + 3;
            int end = start;
            for (int level = 0; end < tokens.size(); end++) {
                level += depthChange(sql, tokens.get(end));
                String word = level == 0 ? wordAt(sql, tokens, end) : null;
                if (level < 0 || "WHERE".equals(word) || "RETURNING".equals(word) || tokens.get(end).is(sql, ";")
                        || ("ON".equals(word) && "CONFLICT".equals(wordAt(sql, tokens, end + 1)))) {
                    break;
                }
            }
            sets.add(new int[] {start, end});
            if ("WHERE".equals(wordAt(sql, tokens, end))) {
                int condition = end + 1;
                for (int level = 0; condition < tokens.size(); condition++) {
                    level += depthChange(sql, tokens.get(condition));
                    String word = level == 0 ? wordAt(sql, tokens, condition) : null;
                    if ("RETURNING".equals(word) || tokens.get(condition).is(sql, ";")
                            || ("ON".equals(word) && "CONFLICT".equals(wordAt(sql, tokens, condition + 1)))) {
                        break;
                    }
                }
                conditions.add(new int[] {end + 1, condition});
                end = condition;
            }
            i = end - 1;
        }
        if (sets.size() < 2) {
            return null;
        }
        Builder builder = new Builder(sql);
        int[] first = sets.get(0);
        builder.copy(0, tokens.get(first[0]).start());
        List<int[]> pieces = new java.util.ArrayList<>(sets);
        pieces.addAll(conditions);
        int lastQuestionMark = -1;
        for (int[] piece : pieces) {
            for (int t = piece[0]; t < piece[1]; t++) {
                if (tokens.get(t).is(sql, "?")) {
                    if (tokens.get(t).start() < lastQuestionMark) {
                        return null; // moving the conditions after the assignments would renumber parameters
                    }
                    lastQuestionMark = tokens.get(t).start();
                }
            }
        }
        for (int k = 0; k < sets.size(); k++) {
            int[] piece = sets.get(k);
            int from = tokens.get(piece[0]).start();
            if (k > 0) {
                builder.insert(", ", from);
            }
            builder.copy(from, tokens.get(piece[1] - 1).end());
        }
        for (int k = 0; k < conditions.size(); k++) {
            int[] piece = conditions.get(k);
            int from = tokens.get(piece[0]).start();
            int to = tokens.get(piece[1] - 1).end();
            builder.insert(k == 0 ? " WHERE (" : " AND (", from).copy(from, to).insert(")", to - 1);
        }
        int rest = tail < tokens.size() ? tokens.get(tail).start() : sql.length();
        return builder.insert(" ", rest).copy(rest, sql.length()).build();
    }

    /** A name spelled like one of the parser's keywords, quoted where SQLite reads it as a name. */
    private static ParserText quotedKeywordNames(String sql) {
        List<Token> tokens = SqliteSyntax.tokens(sql);
        Builder builder = new Builder(sql);
        int copied = 0;
        for (int i = 0; i < tokens.size(); i++) {
            if (SqliteSyntax.keywordIsName(sql, tokens, i)) {
                Token token = tokens.get(i);
                builder.copy(copied, token.start()).insert("\"", token.start()).copy(token.start(), token.end())
                        .insert("\"", token.end() - 1);
                copied = token.end();
            }
        }
        return copied == 0 ? null : builder.copy(copied, sql.length()).build();
    }

    /** {@code (…) ISNULL} and {@code (…) NOTNULL}: the parser reads the word as the alias of {@code (…)}. */
    private static ParserText postfixNullTests(String sql) {
        List<Token> tokens = SqliteSyntax.tokens(sql);
        Builder builder = new Builder(sql);
        int copied = 0;
        for (int i = 1; i < tokens.size(); i++) {
            String word = wordAt(sql, tokens, i);
            if (("ISNULL".equals(word) || "NOTNULL".equals(word)) && tokens.get(i - 1).is(sql, ")")) {
                Token token = tokens.get(i);
                builder.copy(copied, token.start()).replace(word.equals("ISNULL") ? "IS NULL" : "IS NOT NULL",
                        token.start(), token.end());
                copied = token.end();
            }
        }
        return copied == 0 ? null : builder.copy(copied, sql.length()).build();
    }

    // ---------------------------------------------------------------- tokens

    static int depthChange(String sql, Token token) {
        return token.is(sql, "(") ? 1 : token.is(sql, ")") ? -1 : 0;
    }

    /** Where the statement's text ends: before a closing semicolon. */
    private static int statementEnd(String sql, List<Token> tokens) {
        Token last = tokens.get(tokens.size() - 1);
        return last.is(sql, ";") && tokens.size() > 1 ? tokens.get(tokens.size() - 2).end() : last.end();
    }

    /** The index of the token after a LIMIT clause's last: a closing parenthesis, a semicolon, ON or RETURNING. */
    private static int clauseEnd(String sql, List<Token> tokens, int from) {
        int depth = 0;
        for (int i = from; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            depth += depthChange(sql, token);
            String word = depth == 0 ? wordAt(sql, tokens, i) : null;
            if (depth < 0 || (depth == 0 && token.is(sql, ";")) || "ON".equals(word) || "RETURNING".equals(word)) {
                return i;
            }
        }
        return tokens.size();
    }

    /** Builds a parser text from pieces of another and inserted characters, each with its origin there. */
    static final class Builder {
        private final String source;
        private final StringBuilder text = new StringBuilder();
        private int[] origin = new int[64];

        Builder(String source) {
            this.source = source;
        }

        Builder copy(int from, int to) {
            for (int i = from; i < to; i++) {
                add(source.charAt(i), i);
            }
            return this;
        }

        /** Characters that stand for the source character at {@code at} (a node starting or ending there). */
        Builder insert(String inserted, int at) {
            for (int i = 0; i < inserted.length(); i++) {
                add(inserted.charAt(i), Math.max(0, at));
            }
            return this;
        }

        /** Characters that stand for the source's from {@code from} to {@code to}: a node ends where they end. */
        Builder replace(String replacement, int from, int to) {
            for (int i = 0; i < replacement.length(); i++) {
                add(replacement.charAt(i), i == replacement.length() - 1 ? to - 1 : from);
            }
            return this;
        }

        private void add(char c, int from) {
            if (text.length() == origin.length) {
                origin = Arrays.copyOf(origin, origin.length * 2);
            }
            origin[text.length()] = from;
            text.append(c);
        }

        ParserText build() {
            return new ParserText(text.toString(), Arrays.copyOf(origin, text.length()));
        }
    }
}
