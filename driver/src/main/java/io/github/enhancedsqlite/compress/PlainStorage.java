package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.SqlNames.quote;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Returning compressed columns to plain storage before CREATE INDEX, VIEW or TRIGGER reads them: an index, view or
 * trigger would see the stored envelopes, not the values, and once it exists {@link Schema} counts the columns
 * ineligible anyway. Their values are decompressed in place, in the statement's transaction, and their record is
 * removed, so nothing decodes them any more.
 */
final class PlainStorage {

    /** A bare or quoted name. */
    private static final String NAME = "\"(?:[^\"]|\"\")*\"|\\[[^\\]]*]|`[^`]*`|\\w+";

    /** {@code ON table (} of CREATE INDEX: the table, possibly quoted, after an optional schema. */
    private static final Pattern INDEXED_TABLE = Pattern.compile("(?is)\\bON\\s+(?:(?:\"(?:[^\"]|\"\")*\"|\\[[^\\]]*]"
            + "|`[^`]*`|\\w+)\\s*\\.\\s*)?(\"(?:[^\"]|\"\")*\"|\\[[^\\]]*]|`[^`]*`|\\w+)\\s*\\(");
    private static final Pattern CREATE_INDEX = Pattern.compile("(?is)^\\s*CREATE\\s+(?:UNIQUE\\s+)?INDEX\\b");
    private static final Pattern CREATE_VIEW_OR_TRIGGER = Pattern.compile(
            "(?is)^\\s*CREATE\\s+(?:TEMP\\s+|TEMPORARY\\s+)?(?:VIEW|TRIGGER)\\b");

    /** A temporary view or trigger: it lives on one connection, where {@link Schema} cannot see it. */
    private static final Pattern TEMPORARY = Pattern.compile("(?is)^\\s*CREATE\\s+(?:TEMP|TEMPORARY)\\s+(?:VIEW|TRIGGER)\\b"
            + "|^\\s*CREATE\\s+(?:VIEW|TRIGGER)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:temp|\"temp\")\\s*\\.");

    /** The name a temporary view is created under, or the table a temporary trigger fires on. */
    private static final Pattern TEMPORARY_VIEW_NAME = Pattern.compile("(?is)^\\s*CREATE\\s+(?:TEMP\\s+|TEMPORARY\\s+)?VIEW"
            + "\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:(?:temp|\"temp\")\\s*\\.\\s*)?(" + NAME + ")");
    private static final Pattern TRIGGER_TABLE = Pattern.compile("(?is)\\bON\\s+(?:(?:\\w+|\"(?:[^\"]|\"\")*\")\\s*\\.\\s*)?("
            + NAME + ")");

    private PlainStorage() {
    }

    /**
     * The lower-case names a statement uses a temporary object by: a view's own name; the table a trigger fires on
     * (a statement that writes it runs the trigger).
     */
    static Set<String> temporaryObjectNames(String sql) {
        String text = Schema.withoutComments(sql);
        Matcher view = TEMPORARY_VIEW_NAME.matcher(text);
        Matcher trigger = TRIGGER_TABLE.matcher(text);
        String name = view.find() ? view.group(1) : trigger.find() ? trigger.group(1) : null;
        return name == null ? Set.of() : Set.of(unquote(name).toLowerCase(Locale.ROOT));
    }

    /**
     * Whether the statement creates a temporary view or trigger: the columns it reads cannot be made plain for good,
     * since no other connection sees that they must stay so.
     */
    static boolean isTemporary(String sql) {
        return TEMPORARY.matcher(Schema.withoutComments(sql)).find();
    }

    /**
     * The columns a CREATE INDEX, VIEW or TRIGGER statement would read while they may hold compressed values: for an
     * index, those of its table that its text names (every column an expression or a WHERE reads is named there);
     * for a view or trigger, every such column of every table it names. Empty for any other statement.
     *
     * @param tables lower-case names of the tables whose columns may hold compressed values
     */
    static Set<ColumnRef> readBy(String sql, Set<String> tables, SqlRewriter.Catalogue catalogue)
            throws SQLException {
        String text = Schema.withoutComments(sql);
        Set<ColumnRef> columns = new LinkedHashSet<>();
        if (CREATE_INDEX.matcher(text).find()) {
            Matcher on = INDEXED_TABLE.matcher(text);
            if (on.find()) {
                String table = unquote(on.group(1)).toLowerCase(Locale.ROOT);
                if (tables.contains(table)) {
                    addColumns(columns, catalogue.table(table), words(text.substring(on.end())), catalogue);
                }
            }
        } else if (CREATE_VIEW_OR_TRIGGER.matcher(text).find()) {
            Set<String> named = words(text);
            for (String table : tables) {
                if (named.contains(table)) {
                    addColumns(columns, catalogue.table(table), null, catalogue);
                }
            }
        }
        return columns;
    }

    /** The table's columns that may hold compressed values, only those named when names are given. */
    private static void addColumns(Set<ColumnRef> columns, TableInfo table, Set<String> named,
                                   SqlRewriter.Catalogue catalogue) {
        for (String column : table.columns()) {
            ColumnRef ref = new ColumnRef(table.name(), column);
            if ((named == null || named.contains(ref.column())) && catalogue.mayHoldCompressed(ref)) {
                columns.add(ref);
            }
        }
    }

    /**
     * Rewrites every envelope of the column to the value it holds, on the statement's own connection and so in its
     * transaction (or as one auto-commit statement: a column whose values are plain but still recorded only costs a
     * needless decode, so the record goes after the values).
     *
     * @return how many values were envelopes
     */
    static int decompressInPlace(Connection sqlite, ColumnRef column, TableInfo table) throws SQLException {
        String name = quote(column.column());
        String where = "'" + column.toString().replace("'", "''") + "'";
        try (Statement statement = sqlite.createStatement()) {
            return statement.executeUpdate("UPDATE " + quote(table.name()) + " SET " + name + " = "
                    + SqlRewriter.DECOMPRESS + "(" + name + ", " + where + (table.hasRowid() ? ", rowid" : "")
                    + ") WHERE typeof(" + name + ") = 'blob' AND substr(" + name + ", 1, 4) = X'EC45535A'");
        }
    }

    private static Set<String> words(String text) {
        Set<String> words = new java.util.HashSet<>();
        for (String word : text.split("[^A-Za-z0-9_]+")) {
            if (!word.isEmpty()) {
                words.add(word.toLowerCase(Locale.ROOT));
            }
        }
        return words;
    }

    private static String unquote(String name) {
        if (name.startsWith("\"")) {
            return name.substring(1, name.length() - 1).replace("\"\"", "\"");
        }
        if (name.startsWith("[") || name.startsWith("`")) {
            return name.substring(1, name.length() - 1);
        }
        return name;
    }

}
