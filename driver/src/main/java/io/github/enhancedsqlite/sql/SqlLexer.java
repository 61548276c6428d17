package io.github.enhancedsqlite.sql;

/**
 * SQLite's tokens, one at a time, with white space and comments skipped: the one lexer of the driver, shared by
 * the statement inspector, the compression's schema reading and the restating of SQLite-only syntax. A cursor
 * rather than a list of token objects, because the inspector reads every statement the application runs and
 * must not allocate per token; {@link #kind()}, {@link #start()} and {@link #end()} describe the current token.
 */
public final class SqlLexer {

    public enum Kind {
        /** A bare word: a keyword or an identifier. */
        WORD,
        /** A quoted name: {@code "…"}, {@code `…`} or {@code […]}. */
        NAME,
        /** A string {@code '…'}, a BLOB {@code x'…'} or a number. */
        LITERAL,
        /** {@code ?}, {@code ?1}, {@code :name}, {@code @name} or {@code $name}. */
        PARAMETER,
        /** Any other character, or one of SQLite's two- and three-character operators. */
        OPERATOR,
        /** No token left. */
        END
    }

    private static final String[] LONG_OPERATORS = {"->>", "||", "->", "<<", ">>", "<=", ">=", "==", "!=", "<>"};

    private final String sql;
    private int position;
    private Kind kind;
    private int start;
    private int end;

    public SqlLexer(String sql) {
        this(sql, 0);
    }

    /** A lexer that starts at {@code from}, which must not be inside a token. */
    public SqlLexer(String sql, int from) {
        this.sql = sql;
        this.position = from;
    }

    /** Moves to the next token and returns its kind; {@link Kind#END} once the SQL is used up. */
    public Kind next() {
        int length = sql.length();
        int i = skipSpaceAndComments(sql, position);
        start = i;
        if (i >= length) {
            kind = Kind.END;
        } else {
            char c = sql.charAt(i);
            if (c == '\'' || ((c == 'x' || c == 'X') && i + 1 < length && sql.charAt(i + 1) == '\'')) {
                i = closeQuote(sql, c == '\'' ? i : i + 1, '\'');
                kind = Kind.LITERAL;
            } else if (c == '"' || c == '`') {
                i = closeQuote(sql, i, c);
                kind = Kind.NAME;
            } else if (c == '[') {
                int close = sql.indexOf(']', i + 1);
                i = close < 0 ? length : close + 1;
                kind = Kind.NAME;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < length && Character.isDigit(sql.charAt(i + 1)))) {
                i++;
                while (i < length && (isWordChar(sql.charAt(i)) || sql.charAt(i) == '.'
                        || ((sql.charAt(i) == '+' || sql.charAt(i) == '-')
                        && (sql.charAt(i - 1) == 'e' || sql.charAt(i - 1) == 'E')))) {
                    i++;
                }
                kind = Kind.LITERAL;
            } else if (c == '?' || ((c == ':' || c == '@' || c == '$') && i + 1 < length
                    && isWordChar(sql.charAt(i + 1)))) {
                i++;
                while (i < length && isWordChar(sql.charAt(i))) {
                    i++;
                }
                kind = Kind.PARAMETER;
            } else if (isWordChar(c)) {
                while (i < length && isWordChar(sql.charAt(i))) {
                    i++;
                }
                kind = Kind.WORD;
            } else {
                i += operatorLength(sql, i);
                kind = Kind.OPERATOR;
            }
        }
        end = i;
        position = i;
        return kind;
    }

    public Kind kind() {
        return kind;
    }

    /** Where the current token begins in the SQL. */
    public int start() {
        return start;
    }

    /** Where the current token ends (exclusive). */
    public int end() {
        return end;
    }

    /** Whether the current token is this bare word, in any case. */
    public boolean isWord(String word) {
        return kind == Kind.WORD && end - start == word.length() && sql.regionMatches(true, start, word, 0, word.length());
    }

    /** Whether the current token is exactly this text (an operator such as "(" or "."). */
    public boolean is(String text) {
        return end - start == text.length() && sql.startsWith(text, start);
    }

    /** Whether the current token names {@code name} (ASCII case ignored): as a bare word or quoted. */
    public boolean names(String name) {
        if (kind == Kind.WORD) {
            return isWord(name);
        }
        return kind == Kind.NAME && name().equalsIgnoreCase(name);
    }

    /** The current token's text as written. */
    public String text() {
        return sql.substring(start, end);
    }

    /** The name a bare word or a quoted name stands for: quotes removed, a doubled quote read as one. */
    public String name() {
        if (kind != Kind.NAME) {
            return text();
        }
        char open = sql.charAt(start);
        boolean closed = end - start >= 2 && sql.charAt(end - 1) == (open == '[' ? ']' : open);
        String inside = sql.substring(start + 1, closed ? end - 1 : end);
        if (open == '[') {
            return inside;
        }
        String quote = String.valueOf(open);
        return inside.replace(quote + quote, quote);
    }

    /** The SQL with each comment replaced by one space; white space, quoted text and names kept as they are. */
    public static String withoutComments(String sql) {
        StringBuilder kept = new StringBuilder(sql.length());
        SqlLexer lexer = new SqlLexer(sql);
        int copied = 0;
        while (lexer.next() != Kind.END) {
            appendGap(kept, sql, copied, lexer.start());
            kept.append(sql, lexer.start(), lexer.end());
            copied = lexer.end();
        }
        appendGap(kept, sql, copied, sql.length());
        return kept.toString();
    }

    /** White space between two tokens kept, each comment there as one space (a line comment keeps its newline). */
    private static void appendGap(StringBuilder kept, String sql, int from, int to) {
        int i = from;
        while (i < to) {
            if (sql.startsWith("--", i)) {
                int newline = sql.indexOf('\n', i);
                i = newline < 0 || newline > to ? to : newline;
                kept.append(' ');
            } else if (sql.startsWith("/*", i)) {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 || close + 2 > to ? to : close + 2;
                kept.append(' ');
            } else {
                kept.append(sql.charAt(i));
                i++;
            }
        }
    }

    /** The first position at or after {@code from} that is neither white space nor inside a comment. */
    public static int skipSpaceAndComments(String sql, int from) {
        int length = sql.length();
        int i = from;
        while (i < length) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && sql.startsWith("--", i)) {
                int newline = sql.indexOf('\n', i);
                i = newline < 0 ? length : newline + 1;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? length : close + 2;
            } else {
                return i;
            }
        }
        return i;
    }

    /** A character of a bare word: SQLite takes every non-ASCII character for a letter. */
    public static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c > 0x7f;
    }

    /** The end of a quoted token opened at {@code open}; a doubled quote stands for itself. */
    private static int closeQuote(String sql, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    private static int operatorLength(String sql, int i) {
        for (String operator : LONG_OPERATORS) {
            if (sql.startsWith(operator, i)) {
                return operator.length();
            }
        }
        return 1;
    }
}
