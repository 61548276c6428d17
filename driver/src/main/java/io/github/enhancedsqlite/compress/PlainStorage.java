package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.SqlNames.quote;

import io.github.enhancedsqlite.sql.SqlLexer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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

    /**
     * The patterns that read CREATE INDEX, VIEW and TRIGGER statements, compiled at the first such statement: compiling
     * them costs milliseconds in a JVM that has just started, which every other statement (a hook's
     * {@code CREATE TABLE IF NOT EXISTS} among them) is spared by a look at its first words ({@link #createdKind}).
     */
    private static final class Patterns {
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
    }

    private PlainStorage() {
    }

    /**
     * The kind of object a CREATE statement makes ("table", "index", "view", "trigger", "virtual"…, in lower case),
     * read with the lexer past {@code TEMP}, {@code TEMPORARY} and {@code UNIQUE}; null for any other statement.
     * Every pattern here (and {@code CREATE TABLE … AS} in {@link Compression}) needs its kind to match.
     */
    static String createdKind(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        if (lexer.next() != SqlLexer.Kind.WORD || !lexer.isWord("CREATE")) {
            return null;
        }
        SqlLexer.Kind kind = lexer.next();
        while (lexer.isWord("TEMP") || lexer.isWord("TEMPORARY") || lexer.isWord("UNIQUE")) {
            kind = lexer.next();
        }
        return kind == SqlLexer.Kind.WORD ? lexer.text().toLowerCase(Locale.ROOT) : null;
    }

    /** Whether the statement has this bare word anywhere outside comments, quoted names and literals. */
    static boolean hasWord(String sql, String word) {
        SqlLexer lexer = new SqlLexer(sql);
        for (SqlLexer.Kind kind = lexer.next(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
            if (lexer.isWord(word)) {
                return true;
            }
        }
        return false;
    }

    private static boolean createsViewOrTrigger(String sql) {
        String kind = createdKind(sql);
        return "view".equals(kind) || "trigger".equals(kind);
    }

    /**
     * The lower-case names a statement uses a temporary object by: a view's own name; the table a trigger fires on
     * (a statement that writes it runs the trigger).
     */
    static Set<String> temporaryObjectNames(String sql) {
        if (!createsViewOrTrigger(sql)) {
            return Set.of(); // neither pattern can match
        }
        String text = Schema.withoutComments(sql);
        Matcher view = Patterns.TEMPORARY_VIEW_NAME.matcher(text);
        Matcher trigger = Patterns.TRIGGER_TABLE.matcher(text);
        String name = view.find() ? view.group(1) : trigger.find() ? trigger.group(1) : null;
        return name == null ? Set.of() : Set.of(unquote(name).toLowerCase(Locale.ROOT));
    }

    /**
     * Whether the statement creates a temporary view or trigger: the columns it reads cannot be made plain for good,
     * since no other connection sees that they must stay so.
     */
    static boolean isTemporary(String sql) {
        return createsViewOrTrigger(sql) && Patterns.TEMPORARY.matcher(Schema.withoutComments(sql)).find();
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
        String kind = createdKind(sql);
        if (!"index".equals(kind) && !"view".equals(kind) && !"trigger".equals(kind)) {
            return Set.of(); // neither pattern can match
        }
        String text = Schema.withoutComments(sql);
        Set<ColumnRef> columns = new LinkedHashSet<>();
        if (Patterns.CREATE_INDEX.matcher(text).find()) {
            Matcher on = Patterns.INDEXED_TABLE.matcher(text);
            if (on.find()) {
                String table = unquote(on.group(1)).toLowerCase(Locale.ROOT);
                if (tables.contains(table)) {
                    addColumns(columns, catalogue.table(table), words(text.substring(on.end())), catalogue);
                }
            }
        } else if (Patterns.CREATE_VIEW_OR_TRIGGER.matcher(text).find()) {
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
        try (Statement statement = sqlite.createStatement()) {
            // main.: a temporary table of the connection's own of that name is not the one
            int changed = statement.executeUpdate("UPDATE main." + quote(table.name())
                    + decompressing(column, table.hasRowid()));
            for (String schema : otherSchemasWith(statement, table.name(), column.column())) {
                // the rewriter reads temp.t and aux.t as t, so values written there were compressed too: a statement
                // comparing them with t's values made plain (USING, NATURAL) must find them plain as well
                decompressIn(statement, schema, table.name(), column);
            }
            return changed;
        }
    }

    /** Rewrites every envelope of the column in {@code schema}'s table of that name to the value it holds. */
    static void decompressIn(Statement statement, String schema, String table, ColumnRef column) throws SQLException {
        statement.executeUpdate("UPDATE " + quote(schema) + "." + quote(table) + decompressing(column, false));
    }

    /** The SET and WHERE of an UPDATE that decodes the column's envelopes (naming the rowid in errors when asked). */
    private static String decompressing(ColumnRef column, boolean rowid) {
        String name = quote(column.column());
        return " SET " + name + " = " + SqlRewriter.DECOMPRESS + "(" + name + ", '"
                + column.toString().replace("'", "''") + "'" + (rowid ? ", rowid" : "") + ") WHERE "
                + StoredFormat.isEnvelope(name);
    }

    /** The schemas besides main (temp, attached databases) that have a table of that name with that column. */
    private static List<String> otherSchemasWith(Statement statement, String table, String column) throws SQLException {
        List<String> with = new ArrayList<>();
        for (String schema : EnvelopesElsewhere.otherSchemas(statement.getConnection())) {
            try (ResultSet found = statement.executeQuery("SELECT 1 FROM pragma_table_info('"
                    + table.replace("'", "''") + "', '" + schema.replace("'", "''") + "') WHERE name = '"
                    + column.replace("'", "''") + "' COLLATE NOCASE")) {
                if (found.next()) {
                    with.add(schema);
                }
            }
        }
        return with;
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
