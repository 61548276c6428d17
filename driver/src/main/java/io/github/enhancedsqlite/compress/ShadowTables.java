package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.SqlNames.quote;

import io.github.enhancedsqlite.sql.SqlLexer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The escape hatch of a connection that cannot write: a statement the rewriter cannot account for reads its
 * compressed tables through decoded copies instead of returning them to plain storage. For each table a TEMP table
 * of the same name is made from the table's own CREATE TABLE text (so every column keeps its declared type, affinity
 * and collation, and the copy its rowid, WITHOUT ROWID or STRICT), filled with the table's rows, their envelopes
 * decoded, and given the table's indexes (so INDEXED BY finds them); SQLite resolves an unqualified name in
 * {@code temp} before {@code main}, and the temp schema is writable even on a read-only connection or file. The
 * statement's compiled form is prepared again by SQLite once the temp schema changed. Where the connection has a
 * TEMP object of its own named like a table the statement writes {@code main.t}, that reference reads a copy under a
 * private name instead ({@link MainReferences}), as does, while copies exist, a TEMP view whose text names
 * {@code main.t}. The copies are dropped after it, or, while rows are still read on the connection, kept for the
 * statements run meanwhile, which read them too. One instance per physical connection.
 */
public final class ShadowTables {

    private static final String MAIN = "main";
    /** How SQLite begins the text it keeps for a view. */
    private static final String CREATE_VIEW = "CREATE VIEW ";

    private final Compression compression;
    private final Connection sqlite;
    /** The tables shadowed now: lower-case name to the name as created. */
    private final Map<String, String> shadowed = new LinkedHashMap<>();
    /** Copies made empty for a statement to be compiled ({@link #beforePrepare}), filled when it runs. */
    private final Set<String> empty = new HashSet<>();
    /**
     * TEMP views whose text names {@code main.t} of a copied table, made to read its private copy while the copies
     * exist: name to the text SQLite kept for them, which they get back when the copies go.
     */
    private final Map<String, String> swappedViews = new LinkedHashMap<>();
    /** The decoded BLOBs in the copies that begin like an envelope: reads of the copies return them as they are. */
    private final CopiedLookalikes lookalikes;

    ShadowTables(Compression compression, Connection sqlite, CopiedLookalikes lookalikes) {
        this.compression = compression;
        this.sqlite = sqlite;
        this.lookalikes = lookalikes;
    }

    /**
     * Whether SQLite's own plan of the statement writes the main database: such a statement must run as written and
     * fail as SQLite makes it fail on a read-only connection (a copy would take its write). A statement SQLite cannot
     * prepare counts as writing: it then fails with SQLite's own error.
     */
    public boolean writesMain(String sql) {
        try (Statement statement = sqlite.createStatement();
             ResultSet program = statement.executeQuery("EXPLAIN " + sql)) {
            while (program.next()) {
                if ("Transaction".equals(program.getString(2)) && program.getInt(3) == 0 && program.getInt(4) != 0) {
                    return true;
                }
            }
            return false;
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * Whether {@code sql}, run in place of {@code original}, reads copies under private names: it then runs over
     * them whatever it writes, since they exist only while it runs (a write of the table fails as SQLite fails it).
     */
    public boolean readsPrivately(String original, String sql, Set<ColumnRef> columns) {
        return !readPrivately(original, sql, tablesOf(columns)).isEmpty()
                || MainReferences.readsAttachedCopies(original, sql);
    }

    /**
     * Shadows the tables of {@code columns} with decoded copies for the statement {@code sql} (run for
     * {@code original}), in one savepoint (so every copy reads one snapshot). A table the temp schema already has an
     * object of that name for is left: the statement reads that object, not the table; where {@code sql} reads
     * {@code main.t} through a copy under a private name, that copy is made (or filled, when made empty for
     * compiling the statement).
     */
    public void cover(String original, String sql, Set<ColumnRef> columns) throws SQLException {
        Map<String, Set<ColumnRef>> byTable = new LinkedHashMap<>();
        for (ColumnRef column : columns) {
            byTable.computeIfAbsent(column.table(), table -> new LinkedHashSet<>()).add(column);
        }
        Set<String> privately = readPrivately(original, sql, byTable.keySet());
        Map<String, String> views = viewsNamingMain(byTable.keySet());
        for (String view : views.values()) {
            privately.addAll(readFromMain(view, byTable.keySet()));
        }
        List<String> otherSchemas = EnvelopesElsewhere.otherSchemas(sqlite);
        Map<String, Set<String>> attached = attachedRead(original, sql, byTable.keySet(), otherSchemas);
        // an attached table the statement writes is left as written (MainReferences.throughAttachedCopies): decoded
        // in place below where the connection may write it, else the statement fails as SQLite fails it there
        Map<String, Set<String>> written = attachedWritten(original, byTable.keySet(), otherSchemas);
        Map<String, Set<String>> notRefused = new HashMap<>(attached);
        written.forEach((schema, tables) -> notRefused.merge(schema, tables, (a, b) -> {
            Set<String> both = new HashSet<>(a);
            both.addAll(b);
            return both;
        }));
        for (Map.Entry<String, Set<ColumnRef>> table : byTable.entrySet()) {
            TableInfo info = compression.tableInfo(sqlite, table.getKey());
            if (info.exists()) {
                EnvelopesElsewhere.refuse(sqlite, otherSchemas, original, info, table.getValue(), notRefused);
            }
        }
        boolean queryOnly = queryOnly();
        run("SAVEPOINT esq_shadow");
        try {
            copyAttached(attached, byTable, true);
            if (!queryOnly) {
                decodeWrittenAttached(written, byTable);
            }
            for (Map.Entry<String, Set<ColumnRef>> table : byTable.entrySet()) {
                TableInfo info = compression.tableInfo(sqlite, table.getKey());
                if (info.exists() && !inTemp(info.name())) {
                    copy(info, table.getValue(), info.name(), false, true);
                    shadowed.put(info.name().toLowerCase(Locale.ROOT), info.name());
                } else if (info.exists() && !shadowed.containsKey(info.name().toLowerCase(Locale.ROOT))) {
                    // the connection's own temp.t holds values stored compressed as t's are (the rewriter reads it as
                    // t), which the statement may compare with the copy's (USING): decoded in place, as a connection
                    // that can write decodes them with t's; its temp schema is its own and writable here too
                    decodeInPlace("temp", info.name(), table.getValue());
                }
                String copyName = MainReferences.copyName(info.name());
                if (info.exists() && privately.contains(info.name().toLowerCase(Locale.ROOT))) {
                    if (!shadowed.containsKey(copyName.toLowerCase(Locale.ROOT))) {
                        copy(info, table.getValue(), copyName, true, true);
                        shadowed.put(copyName.toLowerCase(Locale.ROOT), copyName);
                    } else if (empty.remove(copyName.toLowerCase(Locale.ROOT))) {
                        fill(info, table.getValue(), copyName); // made for compiling, still there
                    }
                }
            }
            for (Map.Entry<String, String> view : views.entrySet()) {
                String text = view.getValue();
                define(view.getKey(), MainReferences.throughPrivateCopies(text, byTable.keySet()));
                swappedViews.put(view.getKey(), text);
            }
            run("RELEASE esq_shadow");
        } catch (SQLException e) {
            shadowed.clear();
            empty.clear();
            lookalikes.clear();
            swappedViews.keySet().removeAll(views.keySet()); // their swap is rolled back with the copies
            try {
                run("ROLLBACK TO esq_shadow");
                run("RELEASE esq_shadow");
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            restoreQueryOnly(queryOnly);
        }
    }

    /**
     * The tables (lower case) that {@code sql}, the text run for {@code original}, reads through copies under private
     * names ({@link MainReferences#throughPrivateCopies}); empty when it reads none so.
     */
    private static Set<String> readPrivately(String original, String sql, Set<String> tables) {
        return MainReferences.readsThroughPrivateCopies(original, sql, tables) ? readFromMain(original, tables)
                : new HashSet<>();
    }

    /** The tables of {@code tables} (lower case) that {@code sql} reads as {@code main.t}. */
    private static Set<String> readFromMain(String sql, Set<String> tables) {
        Set<String> read = new HashSet<>();
        for (MainReferences.Reference reference : MainReferences.in(sql, tables)) {
            if (reference.use() != MainReferences.Use.TARGET) {
                read.add(reference.table().toLowerCase(Locale.ROOT));
            }
        }
        return read;
    }

    /**
     * The attached databases' tables of {@code tables} that {@code sql}, the text run for {@code original}, reads
     * through decoded copies ({@link MainReferences#throughAttachedCopies}): schema to the tables' lower-case names.
     */
    private Map<String, Set<String>> attachedRead(String original, String sql, Set<String> tables)
            throws SQLException {
        return MainReferences.readsAttachedCopies(original, sql)
                ? attachedRead(original, sql, tables, EnvelopesElsewhere.otherSchemas(sqlite)) : Map.of();
    }

    /** As {@link #attachedRead(String, String, Set)}, with the connection's schemas besides main read already. */
    private static Map<String, Set<String>> attachedRead(String original, String sql, Set<String> tables,
                                                         List<String> schemas) {
        Map<String, Set<String>> attached = new LinkedHashMap<>();
        if (sql.equals(original)) {
            return attached;
        }
        String run = sql.toLowerCase(Locale.ROOT);
        for (String schema : schemas) {
            if (schema.equalsIgnoreCase("temp")) {
                continue;
            }
            for (MainReferences.Reference reference : MainReferences.in(original, tables, schema)) {
                String copy = MainReferences.attachedCopyName(schema, reference.table()).toLowerCase(Locale.ROOT);
                if (reference.use() != MainReferences.Use.TARGET && run.contains(copy)) {
                    attached.computeIfAbsent(schema, s -> new LinkedHashSet<>())
                            .add(reference.table().toLowerCase(Locale.ROOT));
                }
            }
        }
        return attached;
    }

    /** The attached databases' tables of {@code tables} that {@code original} writes: schema to lower-case names. */
    private static Map<String, Set<String>> attachedWritten(String original, Set<String> tables,
                                                           List<String> schemas) {
        Map<String, Set<String>> written = new LinkedHashMap<>();
        for (String schema : schemas) {
            if (schema.equalsIgnoreCase("temp")) {
                continue;
            }
            for (MainReferences.Reference reference : MainReferences.in(original, tables, schema)) {
                if (reference.use() == MainReferences.Use.TARGET) {
                    written.computeIfAbsent(schema, s -> new LinkedHashSet<>())
                            .add(reference.table().toLowerCase(Locale.ROOT));
                }
            }
        }
        return written;
    }

    /**
     * The attached tables a statement writes hold values stored compressed as their main table's are, which it may
     * read as it writes (its WHERE, a USING join beside the copies): decoded in place, as a connection that can
     * write decodes them ({@link PlainStorage}) — the statement writes that database anyway. Only where an envelope
     * is: an UPDATE that changes nothing still sets SQLite's count of the last statement.
     */
    private void decodeWrittenAttached(Map<String, Set<String>> written, Map<String, Set<ColumnRef>> columns)
            throws SQLException {
        for (Map.Entry<String, Set<String>> schema : written.entrySet()) {
            for (Map.Entry<String, Set<ColumnRef>> table : columns.entrySet()) {
                if (schema.getValue().contains(table.getKey().toLowerCase(Locale.ROOT))) {
                    decodeInPlace(schema.getKey(), table.getKey(), table.getValue());
                }
            }
        }
    }

    /**
     * Decodes in place the envelopes of {@code schema}'s table of that name, column by column, only where one is: an
     * UPDATE that changes nothing still sets SQLite's count of the last statement, which the application reads as
     * its statement's.
     */
    private void decodeInPlace(String schema, String table, Set<ColumnRef> columns) throws SQLException {
        try (Statement statement = sqlite.createStatement()) {
            for (ColumnRef column : columns) {
                if (EnvelopesElsewhere.holdsEnvelope(sqlite, schema, table, Set.of(column))) {
                    PlainStorage.decompressIn(statement, schema, table, column);
                }
            }
        }
    }

    /**
     * Whether {@code original} reads a table of {@code tables} qualified with an attached database's name, one it
     * does not write ({@link MainReferences#throughAttachedCopies} leaves a written one as it is).
     */
    private boolean readsAttached(String original, Set<String> tables) throws SQLException {
        List<String> schemas = EnvelopesElsewhere.otherSchemas(sqlite);
        Map<String, Set<String>> written = attachedWritten(original, tables, schemas);
        for (String schema : schemas) {
            if (!schema.equalsIgnoreCase("temp")) {
                for (MainReferences.Reference reference : MainReferences.in(original, tables, schema)) {
                    if (!written.getOrDefault(schema, Set.of()).contains(reference.table().toLowerCase(Locale.ROOT))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Makes the decoded copies of the attached tables a statement reads ({@link #attachedRead}): filled, their
     * {@code columns} decoded, or (before the statement is compiled) empty.
     */
    private void copyAttached(Map<String, Set<String>> attached, Map<String, Set<ColumnRef>> columns, boolean filled)
            throws SQLException {
        for (Map.Entry<String, Set<String>> schema : attached.entrySet()) {
            for (String table : schema.getValue()) {
                TableInfo info = compression.tableInfo(sqlite, table);
                String copyName = MainReferences.attachedCopyName(schema.getKey(), info.name());
                Set<ColumnRef> decoded = Set.of();
                for (Map.Entry<String, Set<ColumnRef>> byTable : columns.entrySet()) {
                    if (byTable.getKey().equalsIgnoreCase(table)) {
                        decoded = byTable.getValue();
                    }
                }
                String key = copyName.toLowerCase(Locale.ROOT);
                if (!shadowed.containsKey(key)) {
                    copy(schema.getKey(), info, decoded, copyName,
                            index -> MainReferences.attachedCopyName(schema.getKey(), index), filled);
                    shadowed.put(key, copyName);
                } else if (filled && empty.remove(key)) {
                    fill(schema.getKey(), info, decoded, copyName); // made for compiling, still there
                }
            }
        }
    }

    /**
     * The TEMP views, not made to read copies yet, whose text names {@code main.t} for a table of {@code tables}:
     * such a reference would read the stored compressed values beside the copies, so while they exist the view reads
     * the table's copy under a private name instead. Name to the text SQLite keeps for the view.
     */
    private Map<String, String> viewsNamingMain(Set<String> tables) throws SQLException {
        Map<String, String> views = new LinkedHashMap<>();
        try (Statement statement = sqlite.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name, sql FROM temp.sqlite_schema WHERE type = 'view'"
                     + " ORDER BY rowid")) {
            while (rows.next()) {
                String name = rows.getString(1);
                String text = rows.getString(2);
                if (text != null && text.regionMatches(true, 0, CREATE_VIEW, 0, CREATE_VIEW.length())
                        && !swappedViews.containsKey(name) && !readFromMain(text, tables).isEmpty()) {
                    views.put(name, text);
                }
            }
        }
        return views;
    }

    /**
     * Defines the TEMP view {@code name} anew from {@code text}, as SQLite keeps a TEMP view's text: {@code CREATE VIEW
     * name …} (TEMP left out), so the view given its own text back reads the same text as before.
     */
    private void define(String name, String text) throws SQLException {
        run("DROP VIEW IF EXISTS temp." + quote(name));
        run("CREATE TEMP VIEW " + text.substring(CREATE_VIEW.length()));
    }

    /** The views made to read copies get their own text back, unless the application dropped or replaced them. */
    private void restoreViews() throws SQLException {
        for (var iterator = swappedViews.entrySet().iterator(); iterator.hasNext(); ) {
            Map.Entry<String, String> view = iterator.next();
            String now = null;
            try (PreparedStatement select = sqlite.prepareStatement(
                    "SELECT sql FROM temp.sqlite_schema WHERE type = 'view' AND name = ?")) {
                select.setString(1, view.getKey());
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        now = row.getString(1);
                    }
                }
            }
            if (now != null && !now.equals(view.getValue())) {
                define(view.getKey(), view.getValue());
            }
            iterator.remove();
        }
    }

    /**
     * A statement prepared to read copies under private names: SQLite compiles it at once, so each such copy must
     * exist by then. It is made empty, with its indexes, and goes before the next statement, as copies do; when the
     * statement runs, its real copy is made, and SQLite, seeing the temp schema changed, compiles it again.
     */
    public void beforePrepare(String original, String sql, Set<ColumnRef> columns) throws SQLException {
        Set<String> tables = tablesOf(columns);
        Set<String> privately = readPrivately(original, sql, tables);
        Map<String, Set<String>> attached = attachedRead(original, sql, tables);
        if (privately.isEmpty() && attached.isEmpty()) {
            return;
        }
        checkMainReferences(original, sql, columns, true); // its refusal rather than SQLite's error on the text
        boolean queryOnly = queryOnly();
        try {
            copyAttached(attached, Map.of(), false);
            for (String name : tables) {
                TableInfo info = compression.tableInfo(sqlite, name);
                String copyName = MainReferences.copyName(info.name());
                if (info.exists() && privately.contains(info.name().toLowerCase(Locale.ROOT))
                        && !shadowed.containsKey(copyName.toLowerCase(Locale.ROOT))) {
                    copy(info, Set.of(), copyName, true, false);
                    shadowed.put(copyName.toLowerCase(Locale.ROOT), copyName);
                }
            }
        } finally {
            restoreQueryOnly(queryOnly);
        }
    }

    /** Whether copies exist on the connection now. */
    public boolean any() {
        return !shadowed.isEmpty();
    }

    /**
     * Drops the copies. False when the statement that reads them still has a cursor open on them (SQLite refuses to
     * drop a table being read): they stay until a later call.
     */
    public boolean drop() throws SQLException {
        if (shadowed.isEmpty()) {
            return true;
        }
        boolean queryOnly = queryOnly();
        Map<String, String> triggers = temporaryTriggers();
        try {
            for (var iterator = shadowed.values().iterator(); iterator.hasNext(); ) {
                try {
                    String copy = iterator.next();
                    run("DROP TABLE IF EXISTS temp." + quote(copy));
                    empty.remove(copy.toLowerCase(Locale.ROOT));
                } catch (SQLException e) {
                    if ((e.getErrorCode() & 0xFF) == 6) { // SQLITE_LOCKED: a cursor of this connection reads it
                        return false;
                    }
                    throw e;
                }
                iterator.remove();
            }
            lookalikes.clear();
            restoreViews();
            return true;
        } finally {
            try {
                recreateDroppedWith(triggers);
            } finally {
                restoreQueryOnly(queryOnly);
            }
        }
    }

    /** The TEMP triggers on the connection: name to the text SQLite keeps of it. */
    private Map<String, String> temporaryTriggers() throws SQLException {
        Map<String, String> triggers = new LinkedHashMap<>();
        try (Statement statement = sqlite.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name, sql FROM temp.sqlite_schema WHERE type = 'trigger'"
                     + " ORDER BY rowid")) {
            while (rows.next()) {
                triggers.put(rows.getString(1), rows.getString(2));
            }
        }
        return triggers;
    }

    /**
     * A TEMP trigger the application created on a copied table while the copies were read ({@link
     * #beforeReadingAlongside}) was attached by SQLite to the copy, which its name found first, and went with it: it
     * is created again from its own text, which now finds the table. SQLite keeps that text as {@code CREATE TRIGGER
     * name …} (TEMP left out), so it is the same text again. No write could reach it meanwhile: the table and the copy
     * both refuse them on this connection.
     */
    private void recreateDroppedWith(Map<String, String> before) throws SQLException {
        if (before.isEmpty()) {
            return;
        }
        Set<String> left = temporaryTriggers().keySet();
        for (Map.Entry<String, String> trigger : before.entrySet()) {
            String text = trigger.getValue();
            if (!left.contains(trigger.getKey()) && text.regionMatches(true, 0, "CREATE TRIGGER ", 0, 15)) {
                run("CREATE TEMP TRIGGER " + text.substring(15));
            }
        }
    }

    /**
     * Before a statement runs while another statement's rows still read the copies: it reads them too, in the same
     * snapshot (inside a transaction the copies were made in it; in auto-commit mode the open rows keep SQLite's read
     * transaction, and so its snapshot, for every statement run meanwhile), so it answers as on the tables — but
     * where it would write one of them through the copy, SQLite must refuse it as it refuses any write on this
     * connection. Still refused (24000, naming the reason): a TEMP trigger on a copied table, which would fire on the
     * copy and go with it, and a statement the rewriter reads over a copy that holds a BLOB beginning like an
     * envelope, which it would take for one.
     *
     * @param changesSchema the statement is DDL
     */
    public void beforeReadingAlongside(String sql, boolean changesSchema) throws SQLException {
        Map<String, String> copied = copiedNames();
        String named = firstNamed(sql, copied.keySet());
        if (named == null) {
            return;
        }
        if (changesSchema) {
            SqlLexer lexer = new SqlLexer(sql);
            lexer.next();
            boolean creates = lexer.isWord("CREATE");
            boolean temporary = false;
            for (SqlLexer.Kind kind = lexer.next(); kind == SqlLexer.Kind.WORD; kind = lexer.next()) {
                if (lexer.isWord("TEMP") || lexer.isWord("TEMPORARY")) {
                    temporary = true;
                } else if (creates && (lexer.isWord("VIEW") || lexer.isWord("TABLE"))) {
                    return; // a view or table of its own, which reads the copies as it would the tables
                } else if (creates && lexer.isWord("TRIGGER") && (temporary || sql.regionMatches(true,
                        SqlLexer.skipSpaceAndComments(sql, lexer.end()), "temp", 0, 4))) {
                    return; // SQLite attaches it to the copy; created again on the table when the copy goes (drop)
                } else if (!lexer.isWord("UNIQUE") && !lexer.isWord("IF")) {
                    break;
                }
            }
            failAsReadOnly(); // a change of the main schema, which this connection cannot make
        }
        if (writesCopy(sql)) {
            failAsReadOnly();
        }
    }

    /** The copies and their indexes: lower-case name to the table copied. */
    private Map<String, String> copiedNames() throws SQLException {
        Map<String, String> names = new HashMap<>();
        try (Statement statement = sqlite.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name, tbl_name FROM temp.sqlite_schema"
                     + " WHERE type IN ('table', 'index')")) {
            while (rows.next()) {
                String table = rows.getString(2).toLowerCase(Locale.ROOT);
                if (shadowed.containsKey(table)) {
                    names.put(rows.getString(1).toLowerCase(Locale.ROOT), table);
                }
            }
        }
        return names;
    }

    /** The first of {@code names} (lower case) the statement names, or null. */
    private static String firstNamed(String sql, Set<String> names) {
        SqlLexer lexer = new SqlLexer(sql);
        for (SqlLexer.Kind kind = lexer.next(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
            if (kind == SqlLexer.Kind.WORD || kind == SqlLexer.Kind.NAME) {
                String name = lexer.name().toLowerCase(Locale.ROOT);
                if (names.contains(name)) {
                    return name;
                }
            }
        }
        return null;
    }

    /** Whether SQLite's plan of the statement opens a copy, or one of its indexes, to write it, or empties one. */
    private boolean writesCopy(String sql) throws SQLException {
        Set<Long> roots = new HashSet<>();
        try (Statement statement = sqlite.createStatement();
             ResultSet rows = statement.executeQuery("SELECT tbl_name, rootpage FROM temp.sqlite_schema"
                     + " WHERE type IN ('table', 'index')")) {
            while (rows.next()) {
                if (shadowed.containsKey(rows.getString(1).toLowerCase(Locale.ROOT))) {
                    roots.add(rows.getLong(2));
                }
            }
        }
        try (Statement statement = sqlite.createStatement();
             ResultSet program = statement.executeQuery("EXPLAIN " + sql)) {
            while (program.next()) {
                String opcode = program.getString(2);
                long p1 = program.getLong(3);
                long p2 = program.getLong(4);
                long p3 = program.getLong(5);
                if ((("OpenWrite".equals(opcode) || "Destroy".equals(opcode)) && p3 == 1
                        && roots.contains("Destroy".equals(opcode) ? p1 : p2))
                        || ("Clear".equals(opcode) && p2 == 1 && roots.contains(p1))) {
                    return true;
                }
            }
            return false;
        } catch (SQLException e) {
            return false; // SQLite cannot prepare it: it fails with SQLite's own error when it runs
        }
    }

    /**
     * Fails as SQLite fails a write on this connection: with SQLite's own error, drawn from a write that changes
     * nothing.
     */
    private void failAsReadOnly() throws SQLException {
        String copy = shadowed.values().iterator().next();
        String privateCopy = MainReferences.copyName("");
        String table = copy.regionMatches(true, 0, privateCopy, 0, privateCopy.length())
                ? copy.substring(privateCopy.length()) : copy; // the table a copy under a private name copies
        run("DELETE FROM main." + quote(table) + " WHERE 0");
        throw new SQLException("[SQLITE_READONLY] Attempt to write a readonly database (attempt to write a readonly"
                + " database)", null, 8);
    }

    /**
     * Whether the temp schema has an object of its own (not a copy) named like a table of {@code references}: the
     * escape hatch then cannot run {@code main.t} as {@code t} ({@link Compression#rewrite}).
     */
    static boolean temporaryNamesAmong(Connection sqlite, List<MainReferences.Reference> references)
            throws SQLException {
        for (MainReferences.Reference reference : references) {
            try (PreparedStatement select = sqlite.prepareStatement("SELECT 1 FROM temp.sqlite_schema"
                    + " WHERE name = ? COLLATE NOCASE AND type IN ('table', 'view')")) {
                select.setString(1, reference.table());
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Before the escape hatch runs a statement that names {@code main.t}: the text it runs was chosen for this
     * connection when it was prepared ({@link Compression#rewrite}) — {@code t} for {@code main.t}, which needs the
     * bare name to reach the table or its copy; as written, which needs the connection to write (its columns are made
     * plain in place); or through private copies, which needs it not to. Where the connection changed since (it was
     * set read-only or back, or it made a temporary object of that name), {@link ConnectionChangedSincePrepared}
     * says so, rather than the statement being answered from another table: the pipeline prepares it again. Through
     * private copies, the statement as written must be one SQLite accepts (its error is the statement's); a bare
     * {@code t.column} naming a {@code main.t} written without an alias names the copy in that text
     * ({@link #privateText}).
     */
    public void checkMainReferences(String original, String run, Set<ColumnRef> columns, boolean cannotWrite)
            throws SQLException {
        Set<String> tables = tablesOf(columns);
        boolean readsAttachedCopies = MainReferences.readsAttachedCopies(original, run);
        if (readsAttachedCopies && !cannotWrite) {
            throw changedSincePrepared(original, "could not write then, and can now");
        }
        if (!readsAttachedCopies && cannotWrite && readsAttached(original, tables)) {
            throw changedSincePrepared(original, "could write then, and cannot now");
        }
        List<MainReferences.Reference> references = MainReferences.in(original, tables);
        if (references.isEmpty()) {
            return;
        }
        boolean reads = false;
        for (MainReferences.Reference reference : references) {
            reads |= reference.use() != MainReferences.Use.TARGET;
        }
        String created = PlainStorage.createdKind(original);
        if (created != null && !created.equals("table")) {
            // an index, trigger or view reads nothing as it is created; a TEMP view naming main.t is read later
            // through the table's copy under a private name (cover)
            return;
        }
        if (run.equals(original)) {
            if (cannotWrite && reads) {
                throw changedSincePrepared(original, "could write then, and cannot now");
            }
            return;
        }
        if (reads && MainReferences.readsThroughPrivateCopies(original, run, tables)) {
            if (!cannotWrite) {
                throw changedSincePrepared(original, "could not write then, and can now");
            }
            program(sqlite, original); // SQLite's own error, if it refuses the statement as written
            return;
        }
        for (MainReferences.Reference reference : references) {
            String table = reference.table();
            if (!shadowed.containsKey(table.toLowerCase(Locale.ROOT)) && inTemp(table)) {
                throw changedSincePrepared(original, "had no temporary object named " + table + " then, and has one"
                        + " now");
            }
        }
    }

    private static SQLException changedSincePrepared(String sql, String how) {
        return new ConnectionChangedSincePrepared(sql, how);
    }

    /**
     * The text a connection that cannot write runs for {@code original} when its temp schema has objects of its own
     * named like tables it qualifies with {@code main} ({@link MainReferences#throughPrivateCopies}). A
     * {@code main.t} written without an alias beside another {@code t} is read under the copy's private name, which a
     * bare {@code t.column} naming it would no longer reach: each bare qualifier {@code t.} that SQLite binds to that
     * {@code main.t} is written as the copy's name. Whether it does is SQLite's own answer: {@code main.t.column} in
     * its place compiles to the same program ({@code t.*}: {@code t.c} and {@code main.t.c} for a column {@code c} of
     * the table do).
     */
    static String privateText(Connection sqlite, String original, Set<String> tables) throws SQLException {
        Map<Integer, String> qualifiers = new HashMap<>();
        List<String> plan;
        try {
            plan = program(sqlite, original);
        } catch (SQLException e) {
            return MainReferences.throughPrivateCopies(original, tables); // it fails with SQLite's own error
        }
        for (MainReferences.Reference reference : MainReferences.in(original, tables)) {
            String table = reference.table();
            if (reference.use() != MainReferences.Use.TABLE || reference.aliased()
                    || MainReferences.aliasesAsTable(original, table)) {
                continue;
            }
            for (int at : MainReferences.bareQualifiers(original, table)) {
                if (!qualifiers.containsKey(at) && namesMain(sqlite, original, at, table, plan)) {
                    qualifiers.put(at, table);
                }
            }
        }
        return MainReferences.throughPrivateCopies(original, tables, qualifiers);
    }

    /** Whether the bare qualifier {@code table.} at {@code at} names {@code main.table} (see {@link #privateText}). */
    private static boolean namesMain(Connection sqlite, String sql, int at, String table, List<String> plan) {
        try {
            if (!MainReferences.qualifiesStar(sql, at)) {
                return program(sqlite, sql.substring(0, at) + "main." + sql.substring(at)).equals(plan);
            }
            String column = firstColumn(sqlite, table);
            if (column == null) {
                return false;
            }
            String before = sql.substring(0, at);
            String after = sql.substring(MainReferences.starEnd(sql, at));
            String qualifier = sql.substring(at, sql.indexOf('.', at));
            return program(sqlite, before + qualifier + "." + column + after)
                    .equals(program(sqlite, before + "main." + qualifier + "." + column + after));
        } catch (SQLException e) {
            return false; // the variant names nothing there: the qualifier names another object
        }
    }

    private static String firstColumn(Connection sqlite, String table) throws SQLException {
        try (PreparedStatement select = sqlite.prepareStatement(
                "SELECT name FROM pragma_table_info(?, 'main') ORDER BY cid LIMIT 1")) {
            select.setString(1, table);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? quote(row.getString(1)) : null;
            }
        }
    }

    /** SQLite's program for the statement, one line per instruction. */
    private static List<String> program(Connection sqlite, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = sqlite.createStatement();
             ResultSet program = statement.executeQuery("EXPLAIN " + sql)) {
            int columns = program.getMetaData().getColumnCount();
            while (program.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 2; i <= columns; i++) {
                    line.append(program.getString(i)).append('|');
                }
                lines.add(line.toString());
            }
        }
        return lines;
    }

    private static Set<String> tablesOf(Set<ColumnRef> columns) {
        Set<String> tables = new HashSet<>();
        for (ColumnRef column : columns) {
            tables.add(column.table());
        }
        return tables;
    }


    /**
     * Copies {@code table} with its values decoded into the temp schema as {@code copyName}, with its indexes: under
     * their own names, or for a private copy ({@link MainReferences#throughPrivateCopies}) under the names that
     * statement's INDEXED BY is written with.
     */
    private void copy(TableInfo table, Set<ColumnRef> compressed, String copyName, boolean privateNames,
                      boolean filled) throws SQLException {
        copy(MAIN, table, compressed, copyName, privateNames ? MainReferences::copyName : null, filled);
    }

    /**
     * As {@link #copy(TableInfo, Set, String, boolean, boolean)}, from {@code schema}'s table of that name, its
     * indexes named by {@code indexNames} (null: their own names).
     */
    private void copy(String schema, TableInfo table, Set<ColumnRef> compressed, String copyName,
                      java.util.function.UnaryOperator<String> indexNames, boolean filled) throws SQLException {
        String ddl = createTable(schema, table);
        if (ddl == null) {
            return;
        }
        run(TableText.asTemporary(ddl, quote(copyName)));
        if (filled) {
            fill(schema, table, compressed, copyName);
        } else {
            empty.add(copyName.toLowerCase(Locale.ROOT));
        }
        for (String index : indexes(schema, table)) {
            run(indexNames != null ? TableText.indexOnCopy(index, indexNames) : TableText.indexInTemp(index));
        }
    }

    /** The table's CREATE TABLE text as SQLite keeps it in {@code schema}, or null when it has none. */
    private String createTable(String schema, TableInfo table) throws SQLException {
        try (PreparedStatement select = sqlite.prepareStatement("SELECT sql FROM " + quote(schema) + ".sqlite_schema"
                + " WHERE name = ? COLLATE NOCASE AND type = 'table' AND sql IS NOT NULL")) {
            select.setString(1, table.name());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /** The CREATE INDEX texts of the table's indexes (those SQLite makes for constraints have none). */
    private List<String> indexes(String schema, TableInfo table) throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (PreparedStatement select = sqlite.prepareStatement("SELECT sql FROM " + quote(schema) + ".sqlite_schema"
                + " WHERE tbl_name = ? COLLATE NOCASE AND type = 'index' AND sql IS NOT NULL ORDER BY rowid")) {
            select.setString(1, table.name());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    indexes.add(rows.getString(1));
                }
            }
        }
        return indexes;
    }

    /** Fills the copy with the table's rows, the values of {@code compressed} decoded. */
    private void fill(TableInfo table, Set<ColumnRef> compressed, String copyName) throws SQLException {
        fill(MAIN, table, compressed, copyName);
    }

    /**
     * Fills the copy with the rows of {@code schema}'s table of that name, the values of {@code compressed} decoded;
     * the decoded BLOBs of main's tables that begin like an envelope are recorded ({@link CopiedLookalikes}).
     */
    private void fill(String schema, TableInfo table, Set<ColumnRef> compressed, String copyName)
            throws SQLException {
        boolean main = schema.equals(MAIN);
        boolean rowid = main ? table.hasRowid() : hasRowid(schema, table.name());
        List<String> stored = new ArrayList<>();
        try (PreparedStatement columns = sqlite.prepareStatement(
                "SELECT name FROM pragma_table_xinfo(?, ?) WHERE hidden = 0 ORDER BY cid")) {
            columns.setString(1, table.name());
            columns.setString(2, schema);
            try (ResultSet names = columns.executeQuery()) {
                while (names.next()) {
                    stored.add(names.getString(1));
                }
            }
        }
        Set<String> decoded = new HashSet<>();
        for (ColumnRef column : compressed) {
            decoded.add(column.column().toLowerCase(Locale.ROOT));
        }
        StringBuilder into = new StringBuilder(rowid ? "rowid" : "");
        StringBuilder values = new StringBuilder(rowid ? "rowid" : "");
        for (String column : stored) {
            String name = quote(column);
            into.append(into.length() == 0 ? "" : ", ").append(name);
            values.append(values.length() == 0 ? "" : ", ");
            if (decoded.contains(column.toLowerCase(Locale.ROOT))) {
                values.append("CASE WHEN typeof(").append(name).append(") = 'blob' THEN ").append(SqlRewriter.DECOMPRESS)
                        .append('(').append(name).append(", '").append((table.name() + "." + column).replace("'", "''"))
                        .append('\'').append(rowid ? ", rowid" : "").append(") ELSE ").append(name)
                        .append(" END");
            } else {
                values.append(name);
            }
        }
        run("INSERT INTO temp." + quote(copyName) + " (" + into + ") SELECT " + values + " FROM " + quote(schema)
                + "." + quote(table.name()));
        if (!main) {
            return; // read only by the statement as written, never by a rewritten read
        }
        List<String> copiedDecoded = new ArrayList<>();
        StringBuilder lookalike = new StringBuilder();
        for (String column : stored) {
            if (decoded.contains(column.toLowerCase(Locale.ROOT))) {
                String name = quote(column);
                copiedDecoded.add(column);
                lookalike.append(lookalike.length() == 0 ? "" : ", ").append("CASE WHEN typeof(").append(name)
                        .append(") = 'blob' AND substr(").append(name).append(", 1, 4) = X'")
                        .append(StoredFormat.MAGIC_HEX).append("' THEN ").append(name).append(" END");
            }
        }
        if (lookalike.length() > 0) {
            // one scan for the decoded BLOBs that begin like an envelope: a rewritten read of the copy returns
            // them as they are (CopiedLookalikes)
            try (Statement statement = sqlite.createStatement();
                 ResultSet found = statement.executeQuery("SELECT " + lookalike + " FROM temp."
                         + quote(copyName) + " WHERE coalesce(" + lookalike + (copiedDecoded.size() == 1
                         ? ", NULL" : "") + ") IS NOT NULL")) {
                while (found.next()) {
                    for (int i = 0; i < copiedDecoded.size(); i++) {
                        byte[] value = found.getBytes(i + 1);
                        if (value != null) {
                            lookalikes.add(table.name() + "." + copiedDecoded.get(i), value);
                        }
                    }
                }
            }
        }
    }

    /** Whether {@code schema}'s table of that name has a rowid (is not WITHOUT ROWID). */
    private boolean hasRowid(String schema, String table) throws SQLException {
        try (PreparedStatement select = sqlite.prepareStatement(
                "SELECT wr FROM pragma_table_list WHERE schema = ? AND name = ? COLLATE NOCASE")) {
            select.setString(1, schema);
            select.setString(2, table);
            try (ResultSet row = select.executeQuery()) {
                return !row.next() || row.getInt(1) == 0;
            }
        }
    }

    private boolean inTemp(String name) throws SQLException {
        try (PreparedStatement select = sqlite.prepareStatement(
                "SELECT 1 FROM temp.sqlite_schema WHERE name = ? COLLATE NOCASE")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /**
     * {@code PRAGMA query_only} keeps the temp schema from being written too: lifted for the driver's own work on the
     * copies, and set again before the application's statement runs.
     */
    private boolean queryOnly() throws SQLException {
        try (Statement statement = sqlite.createStatement();
             ResultSet value = statement.executeQuery("PRAGMA query_only")) {
            boolean on = value.next() && value.getInt(1) != 0;
            if (on) {
                statement.execute("PRAGMA query_only = 0");
            }
            return on;
        }
    }

    private void restoreQueryOnly(boolean on) throws SQLException {
        if (on) {
            run("PRAGMA query_only = 1");
        }
    }

    private void run(String sql) throws SQLException {
        try (Statement statement = sqlite.createStatement()) {
            statement.execute(sql);
        }
    }

}
