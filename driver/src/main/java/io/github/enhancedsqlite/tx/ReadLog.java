package io.github.enhancedsqlite.tx;

import io.github.enhancedsqlite.sql.SqlLexer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The reads of one open read transaction, kept so that, should it come to write after another writer committed, the
 * driver can tell whether what it read still holds: each read is run again with the same SQL and values, once in the
 * transaction's own snapshot (what the application saw) and once in the new write transaction, and the rows are
 * compared by digest. A result column whose envelopes the getters decode counts by the original, as the application
 * saw it, not by the stored bytes: background work re-encodes stored values with a trained dictionary without
 * changing one. Recording costs a list entry and a copy of the bound values; the digests are computed only
 * when the check runs, which is rare. The values array is sqlite-jdbc's copy for that execution, never changed after.
 *
 * <p>A read that could give other rows when run again although nothing changed cannot be checked: a function whose
 * result is not a function of the database ({@code random()}, {@code datetime('now')}, {@code changes()}, ...), or a
 * statement that is not a query (a PRAGMA). Such a read makes the check fail, so the transaction is rolled back and
 * replayed rather than continued on a guess.
 */
final class ReadLog {

    /** Reads kept per transaction; one more makes the check fail instead of growing without bound. */
    private static final int MAX_READS = 1_000;

    /**
     * SQLite's built-in functions whose result is not fixed by their arguments and the database. The date and time
     * functions are listed whole: with 'now', or a modifier such as 'localtime', they read the clock.
     */
    private static final Set<String> NOT_REPEATABLE = Set.of("random", "randomblob", "changes", "total_changes",
            "last_insert_rowid", "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff",
            "sqlite_offset", "load_extension");
    /** The clock, read without parentheses. */
    private static final Set<String> CLOCK_KEYWORDS = Set.of("current_date", "current_time", "current_timestamp");

    private final List<Read> reads = new ArrayList<>();
    /** More reads were made than are kept. */
    private boolean overflowed;

    /**
     * Records one read the transaction made; {@code values} are the bound values, null for none; {@code decoded} the
     * result columns whose envelopes the getters decode, null for none. Whether it can be run again is asked only when
     * the check runs: most readers never write.
     */
    void add(String sql, Object[] values, IntPredicate decoded) {
        if (reads.size() >= MAX_READS) {
            overflowed = true;
            return;
        }
        reads.add(new Read(sql, values, decoded));
    }

    void clear() {
        reads.clear();
        overflowed = false;
    }

    /** Why the reads cannot be checked, or null when they can. */
    String notRepeatable() {
        if (overflowed) {
            return "it made more than " + MAX_READS + " reads";
        }
        for (Read read : reads) {
            String why = whyNotRepeatable(read.sql());
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    /**
     * Runs every read on {@code sqlite} in its current transaction and returns one digest per read; decoded columns
     * count by {@code originals}.
     */
    List<byte[]> digests(Connection sqlite, StoredOriginals originals) throws SQLException {
        List<byte[]> digests = new ArrayList<>(reads.size());
        for (Read read : reads) {
            digests.add(read.digest(sqlite, originals));
        }
        return digests;
    }

    static boolean same(List<byte[]> before, List<byte[]> now) {
        if (before.size() != now.size()) {
            return false;
        }
        for (int i = 0; i < before.size(); i++) {
            if (!MessageDigest.isEqual(before.get(i), now.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Null when the statement is a query that gives the same rows on the same database; else why not. */
    static String whyNotRepeatable(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        lexer.next();
        if (!lexer.isWord("SELECT") && !lexer.isWord("WITH") && !lexer.isWord("VALUES")) {
            return "it read with a statement that is not a query (" + firstWords(sql) + ")";
        }
        String word = null; // the bare word just before the current token: a function's name when "(" follows
        for (SqlLexer.Kind kind = lexer.kind(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
            if (word != null && lexer.is("(") && NOT_REPEATABLE.contains(word.toLowerCase(Locale.ROOT))) {
                return "it read " + word + "(), which may give another result when run again";
            }
            word = kind == SqlLexer.Kind.WORD ? lexer.text() : null;
            if (word != null && CLOCK_KEYWORDS.contains(word.toLowerCase(Locale.ROOT))) {
                return "it read " + word + ", which gives another result when run again";
            }
        }
        return null;
    }

    private static String firstWords(String sql) {
        String trimmed = SqlLexer.withoutComments(sql).strip();
        return trimmed.length() <= 40 ? trimmed : trimmed.substring(0, 40) + "…";
    }

    private record Read(String sql, Object[] values, IntPredicate decoded) {

        byte[] digest(Connection sqlite, StoredOriginals originals) throws SQLException {
            MessageDigest digest = sha256();
            try (PreparedStatement statement = sqlite.prepareStatement(sql)) {
                if (values != null) {
                    for (int i = 0; i < values.length; i++) {
                        statement.setObject(i + 1, values[i]);
                    }
                }
                try (ResultSet rows = statement.executeQuery()) {
                    int columns = rows.getMetaData().getColumnCount();
                    ByteBuffer number = ByteBuffer.allocate(Long.BYTES);
                    while (rows.next()) {
                        digest.update((byte) 'r');
                        for (int column = 1; column <= columns; column++) {
                            Object value = rows.getObject(column);
                            if (value instanceof byte[] stored && decoded != null && decoded.test(column)) {
                                value = originals.original(stored);
                            }
                            add(digest, number, value);
                        }
                    }
                }
            }
            return digest.digest();
        }

        private static void add(MessageDigest digest, ByteBuffer number, Object value) {
            number.clear();
            if (value == null) {
                digest.update((byte) 'n');
            } else if (value instanceof Integer || value instanceof Long) {
                digest.update((byte) 'i');
                digest.update(number.putLong(((Number) value).longValue()).array());
            } else if (value instanceof Double || value instanceof Float) {
                digest.update((byte) 'f');
                digest.update(number.putLong(Double.doubleToLongBits(((Number) value).doubleValue())).array());
            } else if (value instanceof byte[]) {
                byte[] bytes = (byte[]) value;
                digest.update((byte) 'b');
                digest.update(number.putLong(bytes.length).array());
                digest.update(bytes);
            } else {
                byte[] text = value.toString().getBytes(StandardCharsets.UTF_8);
                digest.update((byte) 's');
                digest.update(number.putLong(text.length).array());
                digest.update(text);
            }
        }

        @Override
        public String toString() {
            return sql;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
