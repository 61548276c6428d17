package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.SqlNames.quote;

import io.github.enhancedsqlite.sql.SqlLexer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where a statement names a table in the schema {@code main} — {@code main.t} as a table (a FROM item, an
 * {@code IN} operand, the target of a write) or {@code main.t.column} — read from the tokens of {@link SqlLexer}
 * (nothing in a string literal, a comment, another schema's name). {@code main.x} anywhere else is the column
 * {@code x} of a table or alias named {@code main}, and left alone. The escape hatch of a connection that cannot
 * write reads decoded copies in the temp schema, which {@code main.t} does not reach: this class restates such
 * references for them ({@link ShadowTables}).
 */
final class MainReferences {

    /** How a reference uses the table. */
    enum Use {
        /** A FROM item or an {@code IN} operand: it reads the table. */
        TABLE,
        /** The table an INSERT, UPDATE or DELETE writes. */
        TARGET,
        /** {@code main.t.column}. */
        COLUMN
    }

    /**
     * @param table   the table's name as written
     * @param start   where {@code main} begins
     * @param dotEnd  where the text after {@code main.} begins
     * @param end     where the table's name ends
     * @param aliased a TABLE reference followed by an alias
     */
    record Reference(String table, int start, int dotEnd, int end, Use use, boolean aliased) {
    }

    /** Words that may follow a FROM item and are no alias of it. */
    private static final Set<String> AFTER_ITEM = Set.of("indexed", "not", "on", "using", "join", "left", "right",
            "full", "inner", "cross", "natural", "outer", "where", "group", "having", "window", "order", "limit",
            "union", "except", "intersect", "returning", "set", "do", "from", "values", "select");
    /** Words after which a comma no longer separates FROM items, at the same depth of parentheses. */
    private static final Set<String> ENDS_FROM = Set.of("where", "group", "having", "window", "order", "limit",
            "union", "except", "intersect", "returning", "set", "do", "select", "values", "with");
    /** How the names of the decoded copies of attached databases' tables begin ({@link #attachedCopyName}). */
    private static final String ATTACHED_COPY_PREFIX = StoredFormat.OWN_TABLE_PREFIX + "in_";
    private static final Set<String> CONFLICT_WORDS = Set.of("rollback", "abort", "replace", "fail", "ignore");

    private MainReferences() {
    }

    /** The references to {@code tables} (any case) qualified with {@code main}, in the order written. */
    static List<Reference> in(String sql, Set<String> named) {
        return in(sql, named, "main");
    }

    /** The references to {@code tables} (any case) qualified with {@code schema}, in the order written. */
    static List<Reference> in(String sql, Set<String> named, String schema) {
        Set<String> tables = new HashSet<>();
        for (String table : named) {
            tables.add(table.toLowerCase(Locale.ROOT));
        }
        List<Token> tokens = tokens(sql);
        List<Reference> found = new ArrayList<>();
        Deque<Boolean> fromList = new ArrayDeque<>();
        boolean inFrom = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.is(sql, "(")) {
                fromList.push(inFrom);
                inFrom = false;
                continue;
            }
            if (token.is(sql, ")")) {
                inFrom = !fromList.isEmpty() && fromList.pop();
                continue;
            }
            if (token.kind == SqlLexer.Kind.WORD) {
                String word = token.text(sql).toLowerCase(Locale.ROOT);
                if (word.equals("from") || word.equals("join")) {
                    inFrom = true;
                } else if (ENDS_FROM.contains(word)) {
                    inFrom = false;
                }
            }
            if (!token.names(sql, schema) || i + 2 >= tokens.size() || !tokens.get(i + 1).is(sql, ".")
                    || !tokens.get(i + 2).isName()
                    || !tables.contains(tokens.get(i + 2).name(sql).toLowerCase(Locale.ROOT))
                    || (i > 0 && tokens.get(i - 1).is(sql, "."))) {
                continue;
            }
            Token name = tokens.get(i + 2);
            Use use;
            if (i + 3 < tokens.size() && tokens.get(i + 3).is(sql, ".")) {
                use = Use.COLUMN;
            } else {
                use = tableUse(sql, tokens, i, inFrom, fromList);
                if (use == null) {
                    continue; // the column of a table or alias named main
                }
            }
            boolean aliased = use == Use.TABLE && i > 0 && !tokens.get(i - 1).isWord(sql, "in")
                    && aliasFollows(sql, tokens, i + 3);
            found.add(new Reference(name.name(sql), token.start, tokens.get(i + 1).end, name.end, use, aliased));
        }
        return found;
    }

    /** How {@code main.t} at token {@code at} uses the table, or null when it is an expression. */
    private static Use tableUse(String sql, List<Token> tokens, int at, boolean inFrom, Deque<Boolean> fromList) {
        if (at == 0) {
            return null;
        }
        Token before = tokens.get(at - 1);
        if (before.isWord(sql, "into") || before.isWord(sql, "update")
                || (before.isWord(sql, "from") && at >= 2 && tokens.get(at - 2).isWord(sql, "delete"))
                || (before.kind == SqlLexer.Kind.WORD && CONFLICT_WORDS.contains(before.text(sql).toLowerCase(
                        Locale.ROOT)) && at >= 3 && tokens.get(at - 2).isWord(sql, "or")
                        && tokens.get(at - 3).isWord(sql, "update"))) {
            return Use.TARGET;
        }
        if (before.isWord(sql, "from") || before.isWord(sql, "join") || before.isWord(sql, "in")
                || (before.is(sql, ",") && inFrom)
                || (before.is(sql, "(") && !fromList.isEmpty() && Boolean.TRUE.equals(fromList.peek()))) {
            return Use.TABLE;
        }
        return null;
    }

    private static boolean aliasFollows(String sql, List<Token> tokens, int at) {
        if (at >= tokens.size()) {
            return false;
        }
        Token next = tokens.get(at);
        if (next.kind == SqlLexer.Kind.NAME || (next.kind == SqlLexer.Kind.LITERAL && next.text(sql).startsWith("'"))) {
            return true;
        }
        return next.kind == SqlLexer.Kind.WORD && !AFTER_ITEM.contains(next.text(sql).toLowerCase(Locale.ROOT));
    }

    /**
     * {@code main.} cut from every reference to {@code tables}: the text a connection that cannot write runs over
     * decoded copies of the same names, which SQLite finds first by the bare name; where the connection can write,
     * the bare name is the table itself (when the temp schema has no object of that name).
     */
    static String stripped(String sql, Set<String> tables) {
        List<Reference> references = in(sql, tables);
        List<int[]> cuts = new ArrayList<>();
        List<String> inserted = new ArrayList<>();
        for (Reference reference : references) {
            cuts.add(new int[] {reference.start(), reference.dotEnd()});
            inserted.add("");
        }
        return edited(sql, cuts, inserted);
    }

    /**
     * The text a connection that cannot write runs when its temp schema has objects of its own named like tables the
     * statement qualifies with {@code main}: each such reference reads a decoded copy under a private name
     * ({@link #copyName}). A FROM item without an alias is given the table's name as its alias, so that
     * {@code t.column} and {@code main.t.column} (written {@code t.column}) still find it ({@link #aliasesAsTable});
     * otherwise {@code main.t.column} names the copy itself, and a bare {@code t.column} is what the caller checks
     * ({@link #bareQualifiers}). An index named by INDEXED BY is the copy's. A target of a write stays
     * {@code main.t}: SQLite refuses it on this connection as on the table.
     */
    static String throughPrivateCopies(String sql, Set<String> tables) {
        return throughPrivateCopies(sql, tables, Map.of());
    }

    /**
     * As {@link #throughPrivateCopies(String, Set)}, with each bare qualifier {@code t.} of {@code qualifiers} (its
     * position to its table), one that names {@code main.t}, written as the copy's name.
     */
    static String throughPrivateCopies(String sql, Set<String> tables, Map<Integer, String> qualifiers) {
        List<Reference> references = in(sql, tables);
        List<Token> tokens = tokens(sql);
        List<int[]> cuts = new ArrayList<>();
        List<String> inserted = new ArrayList<>();
        for (Reference reference : references) {
            if (reference.use() == Use.TARGET) {
                continue;
            }
            readThroughCopy(sql, tokens, reference, aliasesAsTable(sql, reference.table()), MainReferences::copyName,
                    cuts, inserted);
        }
        for (Map.Entry<Integer, String> qualifier : qualifiers.entrySet()) {
            Token token = tokens.get(indexAfter(tokens, qualifier.getKey()));
            cuts.add(new int[] {token.start, token.end});
            inserted.add(quote(copyName(qualifier.getValue())));
        }
        if (!qualifiers.isEmpty()) { // in text order, as edited() takes them
            Integer[] order = new Integer[cuts.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingInt(i -> cuts.get(i)[0]));
            List<int[]> sortedCuts = new ArrayList<>();
            List<String> sortedInserted = new ArrayList<>();
            for (int i : order) {
                sortedCuts.add(cuts.get(i));
                sortedInserted.add(inserted.get(i));
            }
            return edited(sql, sortedCuts, sortedInserted);
        }
        return edited(sql, cuts, inserted);
    }

    /**
     * The text a connection that cannot write runs where the statement names an attached database's
     * {@code schema.t}, whose values were stored compressed as {@code t}'s are (the rewriter reads it as {@code t}):
     * each reference reads a decoded copy in temp under a private name ({@link #attachedCopyName}) — the attached
     * database cannot be written there. A FROM item without an alias is given the table's name as its alias where the
     * statement names {@code t} no other way (so {@code t.column} finds it, and {@code schema.t.column} is written
     * {@code t.column}); otherwise {@code schema.t.column} names the copy itself. An index named by INDEXED BY is the
     * copy's. A table the statement writes is left as written, every reference to it: its columns name the target.
     */
    static String throughAttachedCopies(String sql, String schema, Set<String> tables) {
        List<Reference> references = in(sql, tables, schema);
        Set<String> written = new HashSet<>();
        for (Reference reference : references) {
            if (reference.use() == Use.TARGET) {
                written.add(reference.table().toLowerCase(Locale.ROOT));
            }
        }
        List<Token> tokens = tokens(sql);
        List<int[]> cuts = new ArrayList<>();
        List<String> inserted = new ArrayList<>();
        for (Reference reference : references) {
            if (written.contains(reference.table().toLowerCase(Locale.ROOT))) {
                continue; // the table it writes: its columns name the target, not a copy
            }
            readThroughCopy(sql, tokens, reference, !namedOtherwise(sql, reference.table(), schema),
                    name -> attachedCopyName(schema, name), cuts, inserted);
        }
        return edited(sql, cuts, inserted);
    }

    /**
     * The cuts that make {@code reference} read the copy {@code copyNames} names for its table: a FROM item or IN
     * operand becomes the copy (given the table's name as its alias when {@code aliasedAsTable} and it has none, its
     * INDEXED BY index the copy's), a {@code schema.t.column} becomes {@code t.column} or the copy's column.
     */
    private static void readThroughCopy(String sql, List<Token> tokens, Reference reference, boolean aliasedAsTable,
                                        UnaryOperator<String> copyNames, List<int[]> cuts, List<String> inserted) {
        String copy = quote(copyNames.apply(reference.table()));
        if (reference.use() == Use.COLUMN) {
            cuts.add(new int[] {reference.start(), aliasedAsTable ? reference.dotEnd() : reference.end()});
            inserted.add(aliasedAsTable ? "" : copy);
            return;
        }
        int next = indexAfter(tokens, reference.end());
        boolean in = isIn(sql, tokens, reference.start());
        cuts.add(new int[] {reference.start(), reference.end()});
        inserted.add(copy + (!reference.aliased() && aliasedAsTable && !in
                ? " AS " + sql.substring(reference.dotEnd(), reference.end()) : ""));
        if (reference.aliased() && next < tokens.size()) {
            next += tokens.get(next).isWord(sql, "as") ? 2 : 1; // past the alias
        }
        if (next + 2 < tokens.size() && tokens.get(next).isWord(sql, "indexed")
                && tokens.get(next + 1).isWord(sql, "by")) {
            Token index = tokens.get(next + 2);
            cuts.add(new int[] {index.start, index.end});
            inserted.add(quote(copyNames.apply(index.name(sql))));
        }
    }

    /** Whether {@code run}, the text run for {@code original}, reads attached tables through decoded copies. */
    static boolean readsAttachedCopies(String original, String run) {
        String prefix = ATTACHED_COPY_PREFIX.toLowerCase(Locale.ROOT);
        return !run.equals(original) && run.toLowerCase(Locale.ROOT).contains(prefix)
                && !original.toLowerCase(Locale.ROOT).contains(prefix);
    }

    /** The name of the decoded copy that an attached database's {@code schema.table} is read through. */
    static String attachedCopyName(String schema, String table) {
        return ATTACHED_COPY_PREFIX + schema + "_" + table;
    }

    /**
     * Whether {@code run}, the text run for {@code original}, reads tables of {@code tables} through copies under
     * private names ({@link #throughPrivateCopies}): it names a copy the application's text does not.
     */
    static boolean readsThroughPrivateCopies(String original, String run, Set<String> tables) {
        if (run.equals(original)) {
            return false;
        }
        String runText = run.toLowerCase(Locale.ROOT);
        String originalText = original.toLowerCase(Locale.ROOT);
        for (String table : tables) {
            String copy = copyName(table).toLowerCase(Locale.ROOT);
            if (runText.contains(copy) && !originalText.contains(copy)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the bare qualifier at {@code at} qualifies {@code *} ({@code t.*}). */
    static boolean qualifiesStar(String sql, int at) {
        List<Token> tokens = tokens(sql);
        int i = indexAfter(tokens, at);
        return i + 2 < tokens.size() && tokens.get(i + 1).is(sql, ".") && tokens.get(i + 2).is(sql, "*");
    }

    /** Where the {@code *} a bare qualifier at {@code at} qualifies ends. */
    static int starEnd(String sql, int at) {
        List<Token> tokens = tokens(sql);
        return tokens.get(indexAfter(tokens, at) + 2).end;
    }

    /**
     * {@code sql} with each cut replaced by its text, and each result column of the outermost SELECT that a cut
     * changed named after its original text ({@code AS "…"}), as SQLite names an expression without an alias — a
     * column reference, named after its column, and one with an alias keep their names anyway.
     */
    private static String edited(String sql, List<int[]> cuts, List<String> inserted) {
        if (cuts.isEmpty()) {
            return sql;
        }
        List<int[]> named = new ArrayList<>();
        for (int[] column : resultColumns(sql)) {
            for (int[] cut : cuts) {
                if (cut[0] >= column[0] && cut[1] <= column[1]) {
                    named.add(column);
                    break;
                }
            }
        }
        StringBuilder text = new StringBuilder(sql.length() + 32);
        int from = 0;
        int nextName = 0;
        for (int i = 0; i < cuts.size(); i++) {
            int[] cut = cuts.get(i);
            while (nextName < named.size() && named.get(nextName)[1] <= cut[0]) {
                int end = named.get(nextName)[1];
                text.append(sql, from, end).append(" AS ").append(quote(sql.substring(named.get(nextName)[0], end)));
                from = end;
                nextName++;
            }
            text.append(sql, from, cut[0]).append(inserted.get(i));
            from = cut[1];
        }
        for (; nextName < named.size(); nextName++) {
            int end = named.get(nextName)[1];
            text.append(sql, from, end).append(" AS ").append(quote(sql.substring(named.get(nextName)[0], end)));
            from = end;
        }
        return text.append(sql, from, sql.length()).toString();
    }

    /**
     * The result columns of the outermost SELECT that SQLite names after their text: start and end of each
     * expression that is neither a column reference nor aliased.
     */
    private static List<int[]> resultColumns(String sql) {
        List<Token> tokens = tokens(sql);
        List<int[]> columns = new ArrayList<>();
        int depth = 0;
        int first = -1;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.is(sql, "(")) {
                depth++;
            } else if (token.is(sql, ")")) {
                depth--;
            } else if (depth == 0 && first < 0 && token.isWord(sql, "select")) {
                first = i + 1;
                if (first < tokens.size() && (tokens.get(first).isWord(sql, "distinct")
                        || tokens.get(first).isWord(sql, "all"))) {
                    first++;
                }
            } else if (depth == 0 && first >= 0 && (token.is(sql, ",") || RESULT_ENDS.contains(
                    token.text(sql).toLowerCase(Locale.ROOT)) && token.kind == SqlLexer.Kind.WORD)) {
                addNamedByText(sql, tokens, first, i, columns);
                if (!token.is(sql, ",")) {
                    return columns;
                }
                first = i + 1;
            }
        }
        if (first >= 0) {
            addNamedByText(sql, tokens, first, tokens.size(), columns);
        }
        return columns;
    }

    /** Words that end the outermost SELECT's result columns. */
    private static final Set<String> RESULT_ENDS = Set.of("from", "where", "group", "having", "window", "order",
            "limit", "union", "except", "intersect");
    /** Words that end an expression, and so are no alias after it. */
    private static final Set<String> ENDS_EXPRESSION = Set.of("end", "null", "true", "false", "current_time",
            "current_date", "current_timestamp");

    private static void addNamedByText(String sql, List<Token> tokens, int from, int to, List<int[]> columns) {
        int count = to - from;
        if (count <= 0) {
            return;
        }
        boolean reference = count % 2 == 1 && count <= 5;
        for (int i = 0; reference && i < count; i++) {
            Token token = tokens.get(from + i);
            reference = i % 2 == 0 ? token.isName() : token.is(sql, ".");
        }
        Token last = tokens.get(to - 1);
        Token before = count >= 2 ? tokens.get(to - 2) : null;
        boolean aliased = before != null && (before.isWord(sql, "as")
                || (last.kind == SqlLexer.Kind.NAME && !before.is(sql, "."))
                || (last.kind == SqlLexer.Kind.WORD && !ENDS_EXPRESSION.contains(last.text(sql).toLowerCase(
                        Locale.ROOT)) && !before.is(sql, ".") && !before.isWord(sql, "collate")
                        && (before.is(sql, ")") || before.isName() || before.kind == SqlLexer.Kind.LITERAL)));
        if (!reference && !aliased && !last.is(sql, "*")) {
            columns.add(new int[] {tokens.get(from).start, last.end});
        }
    }

    /**
     * Whether a private copy read for {@code main.t} without an alias is given the alias {@code t}. SQLite binds
     * {@code t.column} to the nearest FROM item known as {@code t}, by alias or by name, so the alias binds every such
     * name as before — only a schema-qualified {@code main.t.column} (which would be written {@code t.column} and could
     * meet another {@code t}) or {@code temp.t.column} (which the copy, being in temp, would answer) could change,
     * and they can only where the statement names something else {@code t}.
     */
    static boolean aliasesAsTable(String sql, String table) {
        if (!namedOtherwise(sql, table)) {
            return true;
        }
        List<Token> tokens = tokens(sql);
        for (int i = 0; i + 3 < tokens.size(); i++) {
            if ((tokens.get(i).names(sql, "main") || tokens.get(i).names(sql, "temp"))
                    && tokens.get(i + 1).is(sql, ".") && tokens.get(i + 2).names(sql, table)
                    && tokens.get(i + 3).is(sql, ".") && (i == 0 || !tokens.get(i - 1).is(sql, "."))) {
                return false;
            }
        }
        return true;
    }

    /** The name of the decoded copy that {@code main.t} reads through ({@link #throughPrivateCopies}). */
    static String copyName(String table) {
        return StoredFormat.OWN_TABLE_PREFIX + "main_" + table;
    }

    /**
     * Whether the statement names {@code table} other than as {@code main.table} or as the qualifier
     * {@code table.}: as a bare name (a table, a view, a common table, an alias, a column), or {@code temp.table}.
     */
    static boolean namedOtherwise(String sql, String table) {
        return namedOtherwise(sql, table, "main");
    }

    /**
     * Whether the statement names {@code table} other than as {@code schema.table} or as the qualifier
     * {@code table.}: as a bare name, or qualified with {@code temp} or {@code main} (whichever is not {@code schema}).
     */
    static boolean namedOtherwise(String sql, String table, String schema) {
        List<Token> tokens = tokens(sql);
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (!token.isName() || !token.name(sql).equalsIgnoreCase(table)) {
                continue;
            }
            boolean afterDot = i > 0 && tokens.get(i - 1).is(sql, ".");
            boolean beforeDot = i + 1 < tokens.size() && tokens.get(i + 1).is(sql, ".");
            boolean afterSchema = afterDot && i > 1 && tokens.get(i - 2).names(sql, schema)
                    && (i < 3 || !tokens.get(i - 3).is(sql, "."));
            boolean afterOtherSchema = afterDot && !afterSchema && i > 1
                    && (tokens.get(i - 2).names(sql, "temp")
                            || !schema.equalsIgnoreCase("main") && tokens.get(i - 2).names(sql, "main"));
            if ((!afterDot && !beforeDot) || afterOtherSchema) {
                return true;
            }
        }
        return false;
    }

    /** Where {@code table.} begins as the qualifier of a column (or of {@code *}) with no schema before it. */
    static List<Integer> bareQualifiers(String sql, String table) {
        List<Token> tokens = tokens(sql);
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.isName() && token.name(sql).equalsIgnoreCase(table) && tokens.get(i + 1).is(sql, ".")
                    && (i == 0 || !tokens.get(i - 1).is(sql, "."))) {
                found.add(token.start);
            }
        }
        return found;
    }

    private static boolean isIn(String sql, List<Token> tokens, int start) {
        for (int i = 1; i < tokens.size(); i++) {
            if (tokens.get(i).start == start) {
                return tokens.get(i - 1).isWord(sql, "in");
            }
        }
        return false;
    }

    /** The index of the first token at or after {@code position}. */
    private static int indexAfter(List<Token> tokens, int position) {
        int i = 0;
        while (i < tokens.size() && tokens.get(i).start < position) {
            i++;
        }
        return i;
    }


    private static List<Token> tokens(String sql) {
        List<Token> tokens = new ArrayList<>();
        SqlLexer lexer = new SqlLexer(sql);
        for (SqlLexer.Kind kind = lexer.next(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
            tokens.add(new Token(kind, lexer.start(), lexer.end()));
        }
        return tokens;
    }

    private record Token(SqlLexer.Kind kind, int start, int end) {

        boolean is(String sql, String text) {
            return end - start == text.length() && sql.startsWith(text, start);
        }

        boolean isWord(String sql, String word) {
            return kind == SqlLexer.Kind.WORD && end - start == word.length()
                    && sql.regionMatches(true, start, word, 0, word.length());
        }

        boolean isName() {
            return kind == SqlLexer.Kind.WORD || kind == SqlLexer.Kind.NAME;
        }

        boolean names(String sql, String name) {
            return isName() && name(sql).equalsIgnoreCase(name);
        }

        String text(String sql) {
            return sql.substring(start, end);
        }

        String name(String sql) {
            SqlLexer lexer = new SqlLexer(sql, start);
            lexer.next();
            return lexer.name();
        }
    }
}
