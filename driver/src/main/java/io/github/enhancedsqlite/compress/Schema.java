package io.github.enhancedsqlite.compress;

import io.github.enhancedsqlite.sql.SqlLexer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables of one database as far as compression cares, read from SQLite's own catalog into a
 * {@link SchemaSnapshot} that DDL run through this driver replaces as a whole. A column may be compressed only if
 * nothing but a plain read or write can touch its stored bytes: it has TEXT or BLOB affinity, is no part of a
 * primary key, index, UNIQUE or other constraint, is not called TRUE or FALSE, and its table is named by no view or
 * trigger (those would see the compressed bytes). When in doubt a column is left alone: that costs space, never a
 * wrong row.
 */
final class Schema {

    private final AtomicReference<SchemaSnapshot> current = new AtomicReference<>(SchemaSnapshot.FIRST);

    /** The generation of what is known now; it changes with every DDL run through this driver. */
    long generation() {
        return current.get().generation();
    }

    TableInfo table(Connection connection, String name) throws SQLException {
        String key = name.toLowerCase(Locale.ROOT);
        SchemaSnapshot snapshot = current.get();
        TableInfo known = snapshot.tables().get(key);
        if (known != null) {
            return known;
        }
        TableInfo loaded = load(connection, name, snapshot);
        // kept only while the snapshot it was read under is current: read before DDL, it must not survive it
        for (SchemaSnapshot now = current.get(); now.generation() == snapshot.generation(); now = current.get()) {
            if (current.compareAndSet(now, now.withTable(key, loaded))) {
                break;
            }
        }
        return loaded;
    }

    /** DDL ran: what was known is replaced, as a whole, by a snapshot of the next generation. */
    void invalidate() {
        // a loop rather than updateAndGet with a method reference: this runs on a short-lived process's first
        // statements, where each lambda costs more than the class it is (docs/ARCHITECTURE.md, "Start-up cost")
        SchemaSnapshot now;
        do {
            now = current.get();
        } while (!current.compareAndSet(now, now.next()));
    }

    /** What {@link #READ_TABLE} returns a row of, in its first column. */
    private static final int TABLE_SQL = 0;
    private static final int COLUMN = 1;
    private static final int INDEXED_COLUMN = 2;
    private static final int INDEX_SQL = 3;
    private static final int FOREIGN_KEY = 4;
    private static final int VIEW_OR_TRIGGER_SQL = 5;

    /**
     * Everything {@link #load} reads of one table, in one statement (a table was read by six before): the table's
     * SQL, its columns (name, declared type, pk, hidden), the columns its indexes key on, its indexes' SQL, its
     * foreign-key columns. A process that creates a file per test reads a table per file, and each statement is a
     * prepare, a step and a finalize through sqlite-jdbc, mostly interpreted there. Rows of the parts come in any
     * order relative to each other; the columns in their table's order.
     */
    private static final String READ_TABLE = "SELECT " + TABLE_SQL + ", sql, NULL, NULL, NULL FROM main.sqlite_schema"
            + " WHERE type = 'table' AND name = ?1 COLLATE NOCASE"
            + " UNION ALL SELECT " + COLUMN + ", name, type, pk, hidden FROM pragma_table_xinfo(?1, 'main')"
            + " UNION ALL SELECT " + INDEXED_COLUMN + ", c.name, NULL, NULL, NULL FROM pragma_index_list(?1, 'main')"
            + " AS i, pragma_index_xinfo(i.name, 'main') AS c WHERE c.key = 1"
            + " UNION ALL SELECT " + INDEX_SQL + ", sql, NULL, NULL, NULL FROM main.sqlite_schema"
            + " WHERE type = 'index' AND tbl_name = ?1 COLLATE NOCASE AND sql IS NOT NULL"
            + " UNION ALL SELECT " + FOREIGN_KEY + ", \"from\", NULL, NULL, NULL"
            + " FROM pragma_foreign_key_list(?1, 'main')";
    /** With the SQL of every view and trigger, when the snapshot has not read them yet. */
    private static final String READ_TABLE_AND_MENTIONS = READ_TABLE + " UNION ALL SELECT " + VIEW_OR_TRIGGER_SQL
            + ", sql, NULL, NULL, NULL FROM main.sqlite_schema WHERE type IN ('view', 'trigger') AND sql IS NOT NULL";

    /** One column of the table as pragma_table_xinfo reports it. */
    private record ColumnRow(String name, String type, int pk, int hidden) {
    }

    private TableInfo load(Connection connection, String name, SchemaSnapshot snapshot) throws SQLException {
        Set<String> mentions = snapshot.mentionedByViewsOrTriggers();
        Set<String> mentionsRead = mentions == null ? new HashSet<>() : null;
        TableInfo shape = readShape(connection, name, mentionsRead);
        if (mentions == null) {
            mentions = mentionsRead;
            Set<String> read = mentionsRead;
            for (SchemaSnapshot now = current.get(); now.generation() == snapshot.generation()
                    && now.mentionedByViewsOrTriggers() == null; now = current.get()) {
                if (current.compareAndSet(now, now.withMentions(read))) {
                    break;
                }
            }
        }
        return mentionedBy(shape, mentions);
    }

    /**
     * Every application table of the main database (not SQLite's, the driver's or Litestream's), as {@link #table}
     * would give each, read with one statement over {@code sqlite_schema}: a process that creates a file per test
     * reads the tables of every file it opens, and the pragma functions {@link #READ_TABLE} needs cost far more to
     * prepare and run than the schema rows. A table whose SQL and indexes' SQL this JVM has read before (the same
     * schema created in each file) takes its shape from {@link #SHAPES}; only the others are read in full. What is
     * read becomes part of the current snapshot, as through {@link #table}.
     */
    List<TableInfo> applicationTables(Connection connection) throws SQLException {
        SchemaSnapshot snapshot = current.get();
        Set<String> mentions = snapshot.mentionedByViewsOrTriggers();
        Set<String> mentionsRead = mentions == null ? new HashSet<>() : null;
        Map<String, String[]> tables = new LinkedHashMap<>();
        Map<String, List<String>> indexSql = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(SCHEMA_ROWS)) {
            while (row.next()) {
                String type = row.getString(1);
                String sql = row.getString(4);
                if (type.equals("table")) {
                    tables.put(row.getString(2).toLowerCase(Locale.ROOT), new String[] {row.getString(2), sql});
                } else if (type.equals("index")) {
                    String table = row.getString(3).toLowerCase(Locale.ROOT);
                    List<String> ofTable = indexSql.get(table);
                    if (ofTable == null) {
                        ofTable = new ArrayList<>(2); // no lambda: docs/ARCHITECTURE.md, "Start-up cost"
                        indexSql.put(table, ofTable);
                    }
                    ofTable.add(sql);
                } else if (mentionsRead != null) {
                    mentionsRead.addAll(namesIn(sql)); // a view or a trigger
                }
            }
        }
        if (mentions == null) {
            mentions = mentionsRead;
        }
        List<TableInfo> found = new ArrayList<>(tables.size());
        Map<String, TableInfo> learned = new HashMap<>();
        for (Map.Entry<String, String[]> table : tables.entrySet()) {
            TableInfo known = snapshot.tables().get(table.getKey());
            if (known == null) {
                String name = table.getValue()[0];
                TableInfo shape = SHAPES.get(shapeKey(table.getValue()[1], indexSql.get(table.getKey())));
                if (shape == null) {
                    shape = readShape(connection, name, null);
                } else if (!shape.name().equals(name)) {
                    shape = new TableInfo(name, shape.columns(), shape.compressible(), shape.textAffinity(),
                            shape.hasRowid());
                }
                known = mentionedBy(shape, mentions);
                learned.put(table.getKey(), known);
            }
            found.add(known);
        }
        // kept only while the snapshot it was read under is current, as in table()
        for (SchemaSnapshot now = current.get(); now.generation() == snapshot.generation(); now = current.get()) {
            if (current.compareAndSet(now, now.withTables(learned, mentions))) {
                break;
            }
        }
        return found;
    }

    /**
     * The rows {@link #applicationTables} reads: every view's and trigger's SQL, and the SQL of the application's
     * tables and of their indexes (SQLite's automatic indexes have none: the table's SQL decides them).
     */
    private static final String SCHEMA_ROWS = "SELECT type, name, tbl_name, sql FROM main.sqlite_schema"
            + " WHERE sql IS NOT NULL AND (type IN ('view', 'trigger') OR type IN ('table', 'index')"
            + " AND NOT " + StoredFormat.sqliteTable("tbl_name") + " AND NOT " + StoredFormat.ownTable("tbl_name")
            + " AND NOT " + StoredFormat.litestreamTable("tbl_name") + ")";

    /**
     * Tables as read from SQLite's catalog, before views and triggers are taken into account, by
     * {@link #shapeKey}: what {@link #readShape} derives is a function of the table's SQL and its indexes' SQL
     * alone (the pragma functions report what SQLite parsed from them), so a JVM that opens many files of one
     * schema reads it in full once. Virtual tables are not kept: their columns are their module's to declare.
     * Bounded like {@link #MENTIONS}.
     */
    private static final Map<String, TableInfo> SHAPES = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_SHAPES = 256;

    /** The table's SQL and its indexes' SQL, in an order that does not depend on the order they were read in. */
    private static String shapeKey(String tableSql, List<String> indexSql) {
        if (indexSql == null || indexSql.isEmpty()) {
            return tableSql;
        }
        List<String> sorted = new ArrayList<>(indexSql);
        Collections.sort(sorted);
        return tableSql + '\u0000' + String.join("\u0000", sorted);
    }

    /** The table read in full; {@code mentionsRead}, when not null, also receives the names views and triggers use. */
    private static TableInfo readShape(Connection connection, String name, Set<String> mentionsRead)
            throws SQLException {
        String storedSql = null;
        List<ColumnRow> columnRows = new ArrayList<>();
        Set<String> indexed = new HashSet<>();
        List<String> indexSql = new ArrayList<>();
        Set<String> foreignKeys = new HashSet<>();
        try (PreparedStatement read = connection.prepareStatement(mentionsRead != null ? READ_TABLE_AND_MENTIONS
                : READ_TABLE)) {
            read.setString(1, name);
            try (ResultSet row = read.executeQuery()) {
                while (row.next()) {
                    switch (row.getInt(1)) {
                        case TABLE_SQL -> storedSql = row.getString(2);
                        case COLUMN -> columnRows.add(new ColumnRow(row.getString(2), row.getString(3), row.getInt(4),
                                row.getInt(5)));
                        case INDEXED_COLUMN -> {
                            if (row.getString(2) != null) {
                                indexed.add(row.getString(2).toLowerCase(Locale.ROOT));
                            }
                        }
                        case INDEX_SQL -> {
                            indexSql.add(row.getString(2));
                            indexed.addAll(namesIn(row.getString(2)));
                        }
                        case FOREIGN_KEY -> foreignKeys.add(row.getString(2).toLowerCase(Locale.ROOT));
                        case VIEW_OR_TRIGGER_SQL -> mentionsRead.addAll(namesIn(row.getString(2)));
                        default -> throw new IllegalStateException("unknown row kind " + row.getInt(1));
                    }
                }
            }
        }
        if (storedSql == null) {
            return TableInfo.MISSING;
        }
        String tableSql = withoutComments(storedSql);
        List<String> columns = new ArrayList<>();
        Set<String> candidates = new HashSet<>();
        Set<String> textColumns = new HashSet<>();
        boolean strict = isStrict(tableSql);
        for (ColumnRow row : columnRows) {
            if (row.hidden() == 1) {
                continue; // a virtual table's hidden column: not part of *
            }
            String column = row.name();
            columns.add(column); // generated columns (hidden 2, 3) are part of *, never compressed
            if (textAffinity(row.type())) {
                textColumns.add(column.toLowerCase(Locale.ROOT));
            }
            if (row.hidden() == 0 && row.pk() == 0 && textOrBlobAffinity(row.type())
                    && (!strict || "BLOB".equalsIgnoreCase(row.type()))
                    && mentions(tableSql, column) == 1 && !declaresCollation(tableSql, column)
                    && !namedLikeALiteral(column)) {
                candidates.add(column.toLowerCase(Locale.ROOT));
            }
        }
        boolean virtual = tableSql.stripLeading().regionMatches(true, 0, "CREATE VIRTUAL TABLE", 0, 20);
        if (virtual) {
            // a virtual table hands its values to its module (FTS indexes the words of the text, R*Tree numbers):
            // an envelope there would be indexed as bytes, and MATCH needs the bare column
            candidates.clear();
        }
        candidates.removeAll(indexed);
        candidates.removeAll(foreignKeys);
        String upper = tableSql.toUpperCase(Locale.ROOT);
        // the pattern only where it can match: compiling it is a cost of its own in a JVM that has just started
        boolean hasRowid = !(upper.contains("WITHOUT") && WithoutRowid.PATTERN.matcher(upper).find())
                && !hasColumnNamedRowid(columns);
        TableInfo shape = new TableInfo(name, List.copyOf(columns), Set.copyOf(candidates), Set.copyOf(textColumns),
                hasRowid);
        if (!virtual) {
            if (SHAPES.size() >= MAX_CACHED_SHAPES) {
                SHAPES.clear();
            }
            SHAPES.put(shapeKey(storedSql, indexSql), shape);
        }
        return shape;
    }

    /** The table as a view or trigger sees it: none of its columns may hold what they would read as bytes. */
    private static TableInfo mentionedBy(TableInfo shape, Set<String> mentions) {
        if (shape.compressible().isEmpty() || !mentions.contains(shape.name().toLowerCase(Locale.ROOT))) {
            return shape;
        }
        return new TableInfo(shape.name(), shape.columns(), Set.of(), shape.textAffinity(), shape.hasRowid());
    }

    /**
     * A column called TRUE or FALSE: SQLite reads the bare word as the column where the table has one, the parser as
     * the literal, so the rewriter could not see it read (it would return the stored envelope). Left plain.
     */
    private static boolean namedLikeALiteral(String column) {
        return column.equalsIgnoreCase("true") || column.equalsIgnoreCase("false");
    }

    /** A loop, not a stream: read for every table of every file a process opens, mostly still interpreted. */
    private static boolean hasColumnNamedRowid(List<String> columns) {
        for (String column : columns) {
            if (column.equalsIgnoreCase("rowid")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the table is STRICT (an option after its column list): its TEXT columns refuse a BLOB, so only its BLOB
     * columns can hold envelopes.
     */
    static boolean isStrict(String tableSql) {
        String options = tableSql.substring(tableSql.lastIndexOf(')') + 1).toUpperCase(Locale.ROOT);
        // String.matches would compile the pattern for every table read; most tables have no such option
        return options.contains("STRICT") && Strict.PATTERN.matcher(options).find();
    }

    /** Compiled on first use, by the few tables whose options name STRICT. */
    private static final class Strict {
        static final Pattern PATTERN = Pattern.compile("\\bSTRICT\\b");
    }

    /** SQLite's affinity rules (https://www.sqlite.org/datatype3.html, 3.1): TEXT, or BLOB for no type. */
    static boolean textAffinity(String declaredType) {
        String type = declaredType == null ? "" : declaredType.toUpperCase(Locale.ROOT);
        return !type.contains("INT") && (type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT"));
    }

    static boolean textOrBlobAffinity(String declaredType) {
        String type = declaredType == null ? "" : declaredType.toUpperCase(Locale.ROOT);
        if (type.contains("INT")) {
            return false;
        }
        if (type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT")) {
            return true;
        }
        return type.isEmpty() || type.contains("BLOB");
    }

    /**
     * Whether the column's definition (its only mention) names a collation: a comparison reads the collation off a
     * column reference, which a decompressed value no longer is, so such a column is left alone.
     */
    static boolean declaresCollation(String tableSql, String column) {
        SqlLexer lexer = new SqlLexer(tableSql);
        SqlLexer.Kind kind = lexer.next();
        while (kind != SqlLexer.Kind.END && !lexer.names(column)) {
            kind = lexer.next();
        }
        if (kind == SqlLexer.Kind.END) {
            return true; // cannot tell: leave it alone
        }
        int depth = 0;
        while (lexer.next() != SqlLexer.Kind.END) {
            if (lexer.is("(")) {
                depth++;
            } else if (lexer.is(")") && depth-- == 0) {
                return false;
            } else if (lexer.is(",") && depth == 0) {
                return false;
            } else if (lexer.isWord("COLLATE")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The SQL with its comments blanked out: a column named again in a comment is in no constraint, and counting it
     * would leave the column uncompressed. Quoted text and identifiers are kept as they are.
     */
    static String withoutComments(String sql) {
        return SqlLexer.withoutComments(sql);
    }

    /**
     * Every name the SQL mentions, bare or quoted, in lower case: what an index, view or trigger may read. Words in
     * string literals are not names ({@code '$.body'} reads no column body); a quoted name is one name, spaces and all.
     */
    static Set<String> namesIn(String sql) {
        Set<String> names = new HashSet<>();
        SqlLexer lexer = new SqlLexer(sql);
        for (SqlLexer.Kind kind = lexer.next(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
            if (kind == SqlLexer.Kind.WORD || kind == SqlLexer.Kind.NAME) {
                names.add(lexer.name().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** How often a name occurs as a whole word in SQL; a column mentioned again is in some constraint. */
    static int mentions(String sql, String name) {
        Pattern word = MENTIONS.get(name);
        if (word == null) {
            word = Pattern.compile("(?<![A-Za-z0-9_])\"?" + Pattern.quote(name) + "\"?(?![A-Za-z0-9_])",
                    Pattern.CASE_INSENSITIVE);
            if (MENTIONS.size() >= MAX_CACHED_PATTERNS) {
                MENTIONS.clear();
            }
            MENTIONS.put(name, word);
        }
        int count = 0;
        for (Matcher found = word.matcher(sql); found.find(); ) {
            count++;
        }
        return count;
    }

    /**
     * The patterns of {@link #mentions} by column name: every table of every file a process opens is read, and
     * compiling them again per column was a good part of what reading a table cost (a test suite's files share
     * their column names).
     */
    private static final Map<String, Pattern> MENTIONS = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_PATTERNS = 1024;
    /** Compiled on first use, by the few tables that declare WITHOUT ROWID. */
    private static final class WithoutRowid {
        static final Pattern PATTERN = Pattern.compile("\\bWITHOUT\\s+ROWID\\b");
    }
}
