package io.github.enhancedsqlite.compress;

import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import io.github.enhancedsqlite.sql.SqlLexer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transparent compression for one database: which columns compress, how statements are rewritten so that no query
 * can notice (cached per SQL string, each rewrite with the schema generation it was made under), the record of
 * compressed columns and the
 * dictionaries. Shared by every connection of the database; each connection brings its own {@link Codec}.
 */
public final class Compression {

    private static final Logger LOG = LoggerFactory.getLogger(Compression.class);
    private static final int MAX_CACHED_REWRITES = 4096;
    private static final long MAX_DECODED_VALUE_BYTES = 8L * 1024 * 1024;

    public enum Mode { OFF, AUTO, LISTED }

    private final Mode mode;
    private final Set<ColumnRef> listed;
    private final int threshold;
    /** Values from this many bytes up to the threshold are stored compressed only with the column's dictionary. */
    private final int dictionaryMinimum;
    private final Levels levels;
    private final Schema schema = new Schema();
    private final Catalog catalog = new Catalog();
    private final Dictionaries dictionaries;
    private final DatabaseMetrics metrics;
    private final Map<String, CachedRewrite> rewrites = new ConcurrentHashMap<>();
    private final AtomicBoolean opened = new AtomicBoolean();
    /** Hands dictionary training to the pool's background thread; null where there is none (private databases). */
    private volatile Runnable dictionaryWork;
    /**
     * Lower-case names of the tables whose columns may hold compressed values, with the schema generation they were
     * read under; null until computed and whenever a column is newly recorded.
     */
    private volatile TablesOfInterest tablesOfInterest;

    /** A rewrite and the schema generation it was made under: served only while that generation is current. */
    private record CachedRewrite(long generation, RewrittenSql rewritten) {
    }

    private record TablesOfInterest(long generation, Set<String> names) {
    }

    /**
     * {@code CREATE TABLE … AS}, compiled at the first CREATE TABLE with the word AS (a generated column has it too):
     * compiling it costs milliseconds in a JVM that has just started, and most CREATE TABLE statements have no AS.
     */
    private static final class CreateTableAs {
        static final java.util.regex.Pattern PATTERN = java.util.regex.Pattern.compile(
                "(?is)^\\s*CREATE\\s+(?:TEMP\\s+|TEMPORARY\\s+)?TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?"
                        + "(?:\"(?:[^\"]|\"\")*\"|\\[[^\\]]*]|`[^`]*`|[\\w.]+)+\\s+AS\\b");
    }

    /** The statements that read or write rows: only they are rewritten. */
    private static final Set<String> ROW_STATEMENTS = Set.of("select", "with", "insert", "replace", "update",
            "delete", "values");

    /**
     * Whether a CREATE statement reads columns' values, so that they must be plain first: an index, a view or a
     * trigger (see {@link PlainStorage#readBy}), or a table created from a SELECT.
     */
    private static boolean readsColumns(String sql) {
        String kind = PlainStorage.createdKind(sql);
        return "index".equals(kind) || "view".equals(kind) || "trigger".equals(kind) || createsTableAs(sql);
    }

    /** Whether the statement makes a table from a SELECT; the pattern runs only where it could match. */
    private static boolean createsTableAs(String sql) {
        return "table".equals(PlainStorage.createdKind(sql)) && PlainStorage.hasWord(sql, "AS")
                && CreateTableAs.PATTERN.matcher(Schema.withoutComments(sql)).find();
    }
    /** Columns made plain in a transaction not yet known to have committed; they still count as compressed. */
    private final Set<ColumnRef> madePlainInTransaction = ConcurrentHashMap.newKeySet();
    /** Columns a temporary view or trigger reads, which no other connection could see to keep them plain. */
    private final Set<ColumnRef> keptPlain = ConcurrentHashMap.newKeySet();
    private final Supplier<ScheduledExecutorService> parseTimer;
    /**
     * By lower-case name of a temporary view, or of the table a temporary trigger fires on: the kept-plain columns it
     * reads, made plain again before a statement that names it.
     */
    private final Map<String, Set<ColumnRef>> temporaryReaders = new ConcurrentHashMap<>();

    public Compression(Mode mode, Set<ColumnRef> listed, int threshold, int dictionaryThreshold, Levels levels,
                       int dictionarySamples, DatabaseMetrics metrics) {
        this(mode, listed, threshold, dictionaryThreshold, levels, dictionarySamples, metrics, null);
    }

    /** @param parseTimer keeps each parse's {@link ParseDeadline}: the pools' timer; null for none */
    public Compression(Mode mode, Set<ColumnRef> listed, int threshold, int dictionaryThreshold, Levels levels,
                       int dictionarySamples, DatabaseMetrics metrics,
                       Supplier<ScheduledExecutorService> parseTimer) {
        this.parseTimer = parseTimer;
        this.metrics = metrics;
        this.mode = mode;
        this.listed = Set.copyOf(listed);
        this.threshold = threshold;
        this.dictionaryMinimum = Math.min(threshold, dictionaryThreshold);
        this.levels = levels;
        this.dictionaries = new Dictionaries(dictionarySamples);
    }

    /**
     * Prepares a new physical connection: registers the {@value SqlRewriter#DECOMPRESS} function, and on the
     * database's first connection loads the record of compressed columns and the dictionaries.
     */
    public Codec attach(Connection sqlite) throws SQLException {
        return attach(sqlite, -1);
    }

    /**
     * As {@link #attach(Connection)}, for a connection whose page cache is known already (the profile set it, and
     * its read-back proved it): no statement runs to ask for it.
     *
     * @param pageCacheBytes the connection's page cache in bytes; negative when unknown, and then the connection
     *                       is asked
     */
    public Codec attach(Connection sqlite, long pageCacheBytes) throws SQLException {
        if (opened.compareAndSet(false, true)) {
            try {
                loadOwnTables(sqlite);
            } catch (SQLException e) {
                opened.set(false);
                throw e;
            }
        }
        Codec codec = new Codec(levels, dictionaries, sqlite,
                decodedValueBytes(pageCacheBytes >= 0 ? pageCacheBytes : pageCacheBytes(sqlite)));
        SQLiteConnection connection = sqlite.unwrap(SQLiteConnection.class);
        Function.create(connection, SqlRewriter.DECOMPRESS, new DecompressFunction(codec), -1,
                Function.FLAG_DETERMINISTIC);
        Function.create(connection, SqlRewriter.ESCAPE, new EscapeFunction(), 1, Function.FLAG_DETERMINISTIC);
        return codec;
    }

    /**
     * The record of compressed columns and the dictionaries, from the driver's tables where they exist: which exist is
     * read by one statement for both (the database's first connection is on the path of every file a process opens).
     */
    private void loadOwnTables(Connection sqlite) throws SQLException {
        boolean catalogExists = false;
        boolean dictionariesExist = false;
        try (Statement statement = sqlite.createStatement();
             ResultSet names = statement.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('"
                     + Catalog.TABLE + "', '" + Dictionaries.TABLE + "')")) {
            while (names.next()) {
                catalogExists |= Catalog.TABLE.equals(names.getString(1));
                dictionariesExist |= Dictionaries.TABLE.equals(names.getString(1));
            }
        }
        if (catalogExists) {
            catalog.loadExisting(sqlite);
        }
        if (dictionariesExist) {
            dictionaries.loadExisting(sqlite);
        }
    }

    public Mode mode() {
        return mode;
    }

    /**
     * How many bytes of decoded TEXT a connection keeps ({@link DecodedValues}): 1/128 of the page cache SQLite keeps
     * for it, at most {@value #MAX_DECODED_VALUE_BYTES} — 8 MiB with the default profile's 1 GiB cache, 128 KiB with
     * low-memory's 16 MiB.
     */
    private static long decodedValueBytes(long pageCacheBytes) {
        return Math.min(pageCacheBytes / 128, MAX_DECODED_VALUE_BYTES);
    }

    /** The page cache SQLite keeps for the connection, in bytes, as the connection reports it. */
    private static long pageCacheBytes(Connection sqlite) throws SQLException {
        try (Statement statement = sqlite.createStatement();
             ResultSet sizes = statement.executeQuery("SELECT cache_size, page_size FROM pragma_cache_size,"
                     + " pragma_page_size")) {
            if (!sizes.next()) {
                return 0;
            }
            return pageCacheBytes(sizes.getLong(1), sizes.getLong(2));
        }
    }

    /** SQLite's cache_size in bytes: KiB when negative, pages of {@code pageSize} bytes when positive. */
    public static long pageCacheBytes(long cacheSize, long pageSize) {
        return cacheSize < 0 ? -cacheSize * 1024 : cacheSize * pageSize;
    }

    /** Frees the native dictionaries; called when the connections this compression served are closed. */
    public void close() {
        dictionaries.close();
    }

    public int threshold() {
        return threshold;
    }

    /** The shortest value that is ever compressed (with the column's dictionary, below the threshold). */
    int dictionaryMinimum() {
        return dictionaryMinimum;
    }

    Levels levels() {
        return levels;
    }

    /**
     * The schema generation: changes whenever cached rewrites become invalid, so statement caches holding rewritten
     * SQL can be dropped.
     */
    public long generation() {
        return schema.generation();
    }

    /**
     * DDL ran through this driver: what was known of the schema is replaced by a new generation, and every rewrite
     * made from the old one is never served again (the cache is emptied too, only to free it).
     */
    public void schemaChanged() {
        schema.invalidate();
        rewrites.clear();
    }

    /**
     * The database's content was replaced under the pool (a backup restored over it through sqlite-jdbc's
     * {@code restore} command): what the pool knew of it is read again from it — the schema, the record of compressed
     * columns and the dictionaries, whose ids the restored file may give other bytes.
     */
    public void contentReplaced(Connection sqlite) throws SQLException {
        schemaChanged();
        catalog.clear();
        dictionaries.forget();
        loadOwnTables(sqlite);
    }

    /**
     * The statement as it must run. Statements that cannot touch a column holding compressed values run
     * unchanged and are not even parsed.
     */
    public RewrittenSql rewrite(String sql, Connection sqlite) throws SQLException {
        return rewrite(sql, sqlite, false);
    }

    /**
     * As {@link #rewrite(String, Connection)}, on a connection that can write or not now.
     *
     * @param cannotWrite the connection is read-only now: a statement that runs over decoded copies and names
     *                    {@code main.t} while the connection's temp schema has an object named {@code t} of its
     *                    own reads a copy under a private name ({@link #forConnection})
     */
    public RewrittenSql rewrite(String sql, Connection sqlite, boolean cannotWrite) throws SQLException {
        long generation = schema.generation();
        CachedRewrite cached = rewrites.get(sql);
        RewrittenSql rewritten;
        if (cached != null && cached.generation() == generation) {
            rewritten = cached.rewritten();
        } else {
            // tagged with the generation read before the analysis: if DDL runs meanwhile, the rewrite may mix
            // the old schema with the new one, and the tag keeps it from being served again
            rewritten = analyse(SchemaListings.withoutOwnTables(sql), sqlite);
            if (rewrites.size() >= MAX_CACHED_REWRITES) {
                rewrites.clear();
            }
            rewrites.put(sql, new CachedRewrite(generation, rewritten));
        }
        rewritten = forConnection(sql, rewritten, sqlite, cannotWrite);
        if (!rewritten.sql().equals(sql)) {
            metrics.statementRewritten();
        }
        return rewritten;
    }

    /**
     * The escape hatch runs {@code main.t} as {@code t} ({@link MainReferences#stripped}), which reads the table, or
     * on a connection that cannot write its decoded copy of the same name. Where this connection's temp schema has
     * an object named {@code t} of its own, the bare name would read that object instead: the statement then runs as
     * written where the connection can write (its columns are made plain in place), and where it cannot, reads a copy
     * under a private name ({@link ShadowTables#privateText}). Both depend on this connection, so they
     * are decided here, after the shared analysis; {@link ShadowTables#checkMainReferences} checks that the
     * connection is still so when the statement runs.
     */
    private static RewrittenSql forConnection(String sql, RewrittenSql rewritten, Connection sqlite,
                                              boolean cannotWrite) throws SQLException {
        if (rewritten.madePlain().isEmpty()) {
            return rewritten;
        }
        Set<String> tables = new HashSet<>();
        for (ColumnRef column : rewritten.madePlain()) {
            tables.add(column.table());
        }
        if (!rewritten.sql().equals(MainReferences.stripped(sql, tables))) {
            return rewritten; // not the escape hatch's main.t written t
        }
        String text = cannotWrite ? throughAttachedCopies(sql, sqlite, tables) : sql;
        if (!ShadowTables.temporaryNamesAmong(sqlite, MainReferences.in(sql, tables))) {
            return text.equals(sql) ? rewritten : rewritten.running(MainReferences.stripped(text, tables));
        }
        return rewritten.running(cannotWrite ? ShadowTables.privateText(sqlite, text, tables) : sql);
    }

    /**
     * On a connection that cannot write, an attached database's {@code aux.t} read beside {@code t}'s decoded copy
     * holds values stored compressed as {@code t}'s are, and cannot be made plain there: the statement reads a decoded
     * copy of it instead ({@link MainReferences#throughAttachedCopies}).
     */
    private static String throughAttachedCopies(String sql, Connection sqlite, Set<String> tables)
            throws SQLException {
        String text = sql;
        for (String schema : EnvelopesElsewhere.otherSchemas(sqlite)) {
            if (!schema.equalsIgnoreCase("temp") && !MainReferences.in(text, tables, schema).isEmpty()) {
                text = MainReferences.throughAttachedCopies(text, schema, tables);
            }
        }
        return text;
    }


    private RewrittenSql analyse(String sql, Connection sqlite) throws SQLException {
        return analyse(sql, sqlite, true);
    }

    /**
     * The analysis, with the simple shapes recognised without the parser ({@link SimpleStatements}) or, for the
     * test that compares the two, every statement through the parser.
     */
    RewrittenSql analyse(String sql, Connection sqlite, boolean simpleShapesFirst) throws SQLException {
        Set<String> words = words(sql);
        RewrittenSql rewritten = analyseTables(sql, sqlite, words, simpleShapesFirst);
        Set<ColumnRef> readThroughTemporary = readThroughTemporary(words);
        return readThroughTemporary.isEmpty() ? rewritten : rewritten.alsoMakingPlain(readThroughTemporary);
    }

    /**
     * The kept-plain columns a TEMP view or trigger the statement names (or whose table it names) reads: another
     * process may have compressed values into them since (it cannot see this connection's temp objects), so they
     * are returned to plain storage again first — or, on a connection that cannot write, read through decoded
     * copies ({@link ShadowTables}).
     */
    private Set<ColumnRef> readThroughTemporary(Set<String> words) {
        if (temporaryReaders.isEmpty()) {
            return Set.of();
        }
        Set<ColumnRef> columns = new java.util.LinkedHashSet<>();
        for (String word : words) {
            Set<ColumnRef> read = temporaryReaders.get(word);
            if (read != null) {
                columns.addAll(read);
            }
        }
        return columns;
    }

    private RewrittenSql analyseTables(String sql, Connection sqlite, Set<String> words,
                                      boolean simpleShapesFirst) throws SQLException {
        String keyword = firstWord(sql);
        boolean rows = ROW_STATEMENTS.contains(keyword);
        if (!rows && !(keyword.equals("create") && readsColumns(sql))) {
            // nothing below changes it (DDL of tables and indexes on expressions alike, PRAGMA, ...): the schema is
            // not even read, which a process creating a file per test would pay before each CREATE TABLE
            return RewrittenSql.unchanged(sql);
        }
        Set<String> mentioned = new HashSet<>(words);
        mentioned.retainAll(tablesOfInterest(sqlite));
        if (mentioned.isEmpty()) {
            return RewrittenSql.unchanged(sql);
        }
        BoundCatalogue catalogue = new BoundCatalogue(sqlite);
        if (!rows) {
            if (keyword.equals("create") && createsTableAs(sql)) {
                // the new table takes its values, and its declared types, from the SELECT as written: only plain
                // values give both as without compression
                return runsOnPlainColumns(sql, mentioned, catalogue);
            }
            Set<ColumnRef> read = keyword.equals("create") ? PlainStorage.readBy(sql, mentioned, catalogue) : Set.of();
            if (!read.isEmpty() && PlainStorage.isTemporary(sql)) {
                // it lives on one connection, where the schema knowledge cannot see it: its columns stay plain
                // for as long as this process has the database open
                keepPlain(read, PlainStorage.temporaryObjectNames(sql));
            }
            return read.isEmpty() ? RewrittenSql.unchanged(sql) : RewrittenSql.makingPlain(sql, read);
        }
        if (UntouchedColumns.cannotTouch(sql, words, mentioned, catalogue)) {
            return RewrittenSql.unchanged(sql);
        }
        if (simpleShapesFirst) {
            RewrittenSql simple = SimpleStatements.rewrite(sql, catalogue);
            if (simple != null) {
                return simple;
            }
        }
        ParserText text = ParserText.of(sql);
        net.sf.jsqlparser.statement.Statement parsed;
        try {
            parsed = SqlRewriter.parse(text, parseTimer);
        } catch (SqlRewriter.Unparsed e) {
            if (holdsCompressedValues(mentioned)) {
                LOG.debug("Not parsed ({}); running on plain columns: {}", e.getMessage(), sql);
                return runsOnPlainColumns(sql, mentioned, catalogue);
            }
            return RewrittenSql.unchanged(sql); // no compressed value exists there yet: nothing to get wrong
        }
        try {
            return SqlRewriter.rewrite(sql, text, parsed, catalogue);
        } catch (SqlRewriter.NotRewritable | IllegalStateException e) {
            LOG.debug("Not rewritable ({}); running on plain columns: {}", e.getMessage(), sql);
            return runsOnPlainColumns(sql, mentioned, catalogue);
        }
    }

    /**
     * The escape hatch for a statement the rewriter cannot account for: every column of the tables it names that may
     * hold compressed values is returned to plain storage before it runs (as before a CREATE INDEX), and it runs as
     * written, so it answers exactly as without compression. Values written later are compressed again.
     */
    private static RewrittenSql runsOnPlainColumns(String sql, Set<String> tables, BoundCatalogue catalogue)
            throws SQLException {
        Set<ColumnRef> columns = new java.util.LinkedHashSet<>();
        Set<String> copied = new HashSet<>();
        for (String name : tables) {
            TableInfo table = catalogue.table(name);
            for (String column : table.columns()) {
                ColumnRef ref = new ColumnRef(table.name(), column);
                if (catalogue.mayHoldCompressed(ref)) {
                    columns.add(ref);
                    copied.add(table.name());
                }
            }
        }
        // main.t written t: where the connection cannot write, the bare name reads the decoded copy of t
        return RewrittenSql.makingPlain(MainReferences.stripped(sql, copied), columns);
    }

    /**
     * Columns a temporary view or trigger reads: never compressed again while this pool is open, and made plain
     * again before each statement that names the view or the trigger's table ({@code names}).
     */
    private void keepPlain(Set<ColumnRef> columns, Set<String> names) {
        for (String name : names) {
            temporaryReaders.merge(name, Set.copyOf(columns), (known, added) -> {
                Set<ColumnRef> both = new HashSet<>(known);
                both.addAll(added);
                return Set.copyOf(both);
            });
        }
        keptPlain.addAll(columns);
        schemaChanged(); // rewrites made before still compress into them, or do not make them plain
    }

    private boolean holdsCompressedValues(Set<String> tables) {
        for (ColumnRef column : catalog.columns()) {
            if (tables.contains(column.table())) {
                return true;
            }
        }
        return false;
    }

    private Set<String> tablesOfInterest(Connection sqlite) throws SQLException {
        long generation = schema.generation();
        TablesOfInterest known = tablesOfInterest;
        if (known != null && known.generation() == generation) {
            return known.names();
        }
        Set<String> tables = new HashSet<>();
        for (ColumnRef column : catalog.columns()) {
            tables.add(column.table());
        }
        for (ColumnRef column : keptPlain) {
            tables.add(column.table()); // another process may compress into it: read it as if it might hold envelopes
        }
        if (mode != Mode.OFF) {
            for (TableInfo table : schema.applicationTables(sqlite)) {
                for (String column : table.columns()) {
                    if (takesCompressed(new ColumnRef(table.name(), column), table)) {
                        tables.add(table.name().toLowerCase(Locale.ROOT));
                        break;
                    }
                }
            }
        }
        tablesOfInterest = new TablesOfInterest(generation, tables);
        return tables;
    }

    boolean takesCompressed(ColumnRef column, TableInfo table) {
        if (mode == Mode.OFF || !table.isCompressible(column.column()) || keptPlain.contains(column)) {
            return false;
        }
        return mode == Mode.AUTO || listed.contains(column);
    }

    /** Records a column about to receive its compressed values. */
    public void beforeCompressedWrite(Connection sqlite, Set<ColumnRef> columns, boolean inTransaction)
            throws SQLException {
        madePlainInTransaction.removeAll(columns); // compressed again: a transaction that made it plain rolled back
        for (ColumnRef column : columns) {
            catalog.record(sqlite, column, inTransaction);
        }
    }

    TableInfo tableInfo(Connection sqlite, String table) throws SQLException {
        return schema.table(sqlite, table);
    }

    /** Whether the column is known to hold compressed values (its record committed). */
    boolean recorded(ColumnRef column) {
        return catalog.contains(column);
    }

    /** Whether every one of the columns is known to hold compressed values: recording them writes nothing. */
    public boolean recordedAll(Set<ColumnRef> columns) {
        for (ColumnRef column : columns) {
            if (!catalog.contains(column)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where dictionary training goes: the pool's background thread, which then calls {@link #trainDictionaries}.
     * A database without one (a private in-memory database) trains none.
     */
    public void onDictionaryWanted(Runnable work) {
        this.dictionaryWork = work;
    }

    /**
     * Writes committed (an auto-commit statement, or a transaction): if a column has seen enough values for a new
     * dictionary, the background work is asked to train it from what is now committed. Cheap when none asks.
     */
    public void writesCommitted() {
        Runnable work = dictionaryWork;
        if (work != null && dictionaries.anyWanted()) {
            work.run();
        }
    }

    /**
     * Trains the dictionaries columns ask for from their committed values, and moves the values written before
     * each onto it ({@link DictionaryTrainer}); on the pool's background thread, through a pooled connection.
     *
     * @param lease  the pooled connection, through which transactions take the writer turn
     * @param sqlite its sqlite-jdbc connection
     * @param codec  its codec
     */
    public void trainDictionaries(Connection lease, Connection sqlite, Codec codec, WriteBegin writeBegin) {
        new DictionaryTrainer(this, dictionaries, lease, sqlite, codec, writeBegin).run();
    }

    /** A candidate dictionary was trained (a figure: training is the costly part of the background work). */
    void dictionaryTrained() {
        metrics.dictionaryTrained();
    }

    /**
     * The transaction that recorded these columns committed: they are known to hold compressed values now — or,
     * for those it made plain, known not to.
     */
    public void confirmRecorded(Set<ColumnRef> columns) {
        Set<ColumnRef> recorded = new HashSet<>(columns);
        Set<ColumnRef> plain = new HashSet<>(columns);
        recorded.removeAll(madePlainInTransaction);
        plain.retainAll(madePlainInTransaction);
        catalog.confirm(recorded);
        if (!plain.isEmpty()) {
            forgetPlain(plain);
        }
        tablesOfInterest = null;
    }

    /** Confirms those of the columns whose record the database holds (after a transaction ended by SQL). */
    public void confirmCommitted(Connection sqlite, Set<ColumnRef> columns) throws SQLException {
        Set<ColumnRef> committed = catalog.committedAmong(sqlite, columns);
        Set<ColumnRef> plain = new HashSet<>(columns);
        plain.retainAll(madePlainInTransaction);
        plain.removeAll(committed); // a record still there: the transaction that removed it rolled back
        committed.removeAll(madePlainInTransaction);
        if (!committed.isEmpty()) {
            confirmRecorded(committed);
        }
        if (!plain.isEmpty()) {
            forgetPlain(plain);
        }
    }

    /**
     * Returns columns to plain storage before a statement that must read their stored form as values runs: a CREATE
     * INDEX, VIEW or TRIGGER over them, or a statement the rewriter cannot account for (see {@link PlainStorage}).
     * Their envelopes are decompressed in place and their record removed, on the statement's connection and so in
     * its transaction. Outside a transaction that is final at once; inside one the columns count as compressed until
     * it commits ({@link #confirmRecorded}), so a rollback leaves them readable. A column that held no envelope and
     * no record changes nothing, so running such a statement again costs one scan per column and no schema change.
     *
     * @return the columns to settle with the transaction, when inside one; empty otherwise
     */
    public Set<ColumnRef> makePlain(Connection sqlite, Set<ColumnRef> columns, boolean inTransaction)
            throws SQLException {
        Set<ColumnRef> changed = new HashSet<>();
        for (ColumnRef column : columns) {
            // a statement run again once its DDL committed (or a batch after it) finds them plain already
            TableInfo table = schema.table(sqlite, column.table());
            boolean recorded = catalog.contains(column);
            if (!recorded && !keptPlain.contains(column) && !takesCompressed(column, table)) {
                continue;
            }
            if (PlainStorage.decompressInPlace(sqlite, column, table) > 0 || recorded) {
                catalog.remove(sqlite, column);
                changed.add(column);
            }
        }
        if (changed.isEmpty()) {
            return Set.of();
        }
        LOG.warn("Storing {} plain: a statement reads their stored form (an index, view or trigger over them, or SQL"
                + " the compression rewriter cannot account for), so their values are decompressed in place", changed);
        if (!inTransaction) {
            forgetPlain(changed);
            return Set.of();
        }
        madePlainInTransaction.addAll(changed);
        return changed;
    }

    /**
     * After a statement that ran on plain columns and may have written: a BLOB it stored there that begins like an
     * envelope (bound as a parameter or computed, the statement could not be read to escape it on the way in) is
     * escaped in place and the column recorded again, so it reads back as the bytes stored, as without compression.
     * Right after the columns were made plain no envelope is there, so every such BLOB is the statement's.
     *
     * @return the columns recorded again, to settle with the transaction when inside one
     */
    public Set<ColumnRef> escapeStoredPlain(Connection sqlite, Set<ColumnRef> columns, boolean inTransaction)
            throws SQLException {
        Set<ColumnRef> escaped = new HashSet<>();
        for (ColumnRef column : columns) {
            String name = SqlNames.quote(column.column());
            String table = "main." + SqlNames.quote(schema.table(sqlite, column.table()).name());
            String looksLikeEnvelope = " WHERE typeof(" + name + ") = 'blob' AND substr(" + name + ", 1, 4) = X'"
                    + StoredFormat.MAGIC_HEX + "'";
            try (Statement statement = sqlite.createStatement()) {
                // looked for first: nearly always there is none, and a read needs no commit (a statement with
                // RETURNING whose rows are still being read keeps SQLite from committing a write)
                try (ResultSet found = statement.executeQuery("SELECT 1 FROM " + table + looksLikeEnvelope
                        + " LIMIT 1")) {
                    if (!found.next()) {
                        continue;
                    }
                }
                statement.executeUpdate("UPDATE " + table + " SET " + name + " = " + SqlRewriter.ESCAPE + "(" + name
                        + ")" + looksLikeEnvelope);
                escaped.add(column);
            }
        }
        if (!escaped.isEmpty()) {
            beforeCompressedWrite(sqlite, escaped, inTransaction);
        }
        return inTransaction ? escaped : Set.of();
    }

    /** The decoded copies through which a connection that cannot write runs what it cannot make plain. */
    public ShadowTables shadowTables(Connection sqlite, Codec codec) {
        return new ShadowTables(this, sqlite, codec.copiedLookalikes());
    }

    private void forgetPlain(Set<ColumnRef> columns) {
        catalog.forget(columns);
        madePlainInTransaction.removeAll(columns);
        schemaChanged(); // cached rewrites still decode these columns
    }

    /** The envelope a value is stored as in a column, or null to store it as it is. */
    public byte[] encode(Codec codec, ColumnRef column, byte[] raw, boolean blob) {
        if (raw.length < dictionaryMinimum) {
            return blob && Envelope.looksLikeEnvelope(raw) ? Envelope.escape(raw) : null;
        }
        dictionaries.seen(column);
        int dictionary = dictionaries.currentFor(column);
        if (dictionary == 0 && raw.length < threshold) {
            // short values shrink only with a dictionary: stored as they are until the column has one
            return blob && Envelope.looksLikeEnvelope(raw) ? Envelope.escape(raw) : null;
        }
        byte[] stored = codec.encode(raw, blob, dictionary);
        if (stored != null) {
            metrics.compressed(raw.length, stored.length);
        }
        if (dictionary != 0) {
            dictionaries.compressedWithCurrent(column, raw.length, stored == null ? raw.length : stored.length);
        }
        return stored;
    }

    /**
     * The words of the SQL's names, bare or quoted, in lower case: a quoted name gives the words it is made of, as
     * table names are matched by word. String literals and parameters name nothing.
     */
    private static Set<String> words(String sql) {
        Set<String> known = WORDS.get(sql);
        if (known != null) {
            return known;
        }
        Set<String> words = new HashSet<>();
        SqlLexer lexer = new SqlLexer(sql);
        for (SqlLexer.Kind kind = lexer.next(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
            if (kind == SqlLexer.Kind.WORD || kind == SqlLexer.Kind.NAME) {
                addWords(lexer.name(), words);
            }
        }
        Set<String> read = Set.copyOf(words);
        if (WORDS.size() >= MAX_CACHED_REWRITES) {
            WORDS.clear();
        }
        WORDS.put(sql, read);
        return read;
    }

    /**
     * {@link #words} by SQL text, for every database of the JVM: the words depend on the text alone, and a process that
     * touches a file per test runs the same few statements on every file, whose rewrites are cached per database.
     */
    private static final Map<String, Set<String>> WORDS = new ConcurrentHashMap<>();

    /**
     * Adds the runs of letters, digits and underscores in the name, in lower case. By hand rather than by a regular
     * expression's split: this runs for every name of every statement a new file's pool reads first, mostly still
     * interpreted in a process that touches a file per test.
     */
    private static void addWords(String name, Set<String> words) {
        int start = -1;
        for (int i = 0; i <= name.length(); i++) {
            boolean wordChar = i < name.length() && isWordChar(name.charAt(i));
            if (wordChar && start < 0) {
                start = i;
            } else if (!wordChar && start >= 0) {
                words.add(name.substring(start, i).toLowerCase(Locale.ROOT));
                start = -1;
            }
        }
    }

    private static boolean isWordChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    /** The statement's first keyword in lower case; empty when it does not begin with one. */
    private static String firstWord(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        if (lexer.next() != SqlLexer.Kind.WORD) {
            return "";
        }
        int end = lexer.start();
        while (end < lexer.end() && Character.isLetter(sql.charAt(end))) {
            end++;
        }
        return sql.substring(lexer.start(), end).toLowerCase(Locale.ROOT);
    }

    /** The rewriter's view of the database through this connection (for the test of the simple shapes). */
    SqlRewriter.Catalogue catalogueOn(Connection sqlite) {
        return new BoundCatalogue(sqlite);
    }

    /** The rewriter's view of the database, through the connection of the statement being rewritten. */
    private final class BoundCatalogue implements SqlRewriter.Catalogue {
        private final Connection sqlite;

        BoundCatalogue(Connection sqlite) {
            this.sqlite = sqlite;
        }

        @Override
        public TableInfo table(String name) throws SQLException {
            return schema.table(sqlite, name);
        }

        @Override
        public boolean mayHoldCompressed(ColumnRef column) {
            if (catalog.contains(column) || keptPlain.contains(column)) {
                return true; // kept plain here, but another process, which cannot see our temp objects, compresses
            }
            try {
                return Compression.this.takesCompressed(column, schema.table(sqlite, column.table()));
            } catch (SQLException e) {
                return true; // unknown: decompressing a plain value is harmless, missing an envelope is not
            }
        }

        @Override
        public boolean takesCompressed(ColumnRef column) {
            try {
                return Compression.this.takesCompressed(column, schema.table(sqlite, column.table()));
            } catch (SQLException e) {
                return false;
            }
        }
    }

    /** sqlite-jdbc hands a zero-length value over as null. */
    private static byte[] bytes(byte[] value) {
        return value == null ? new byte[0] : value;
    }

    /**
     * {@code esq_escape(value)}: the value as it must be stored in a column that may hold envelopes — a BLOB that
     * begins like one is wrapped in a raw-payload envelope, every other value is stored as it is. The rewriter
     * wraps only values that may be BLOBs in it.
     */
    private static final class EscapeFunction extends Function {

        @Override
        protected void xFunc() throws SQLException {
            switch (value_type(0)) {
                case DecompressFunction.SQLITE_BLOB:
                    byte[] value = bytes(value_blob(0));
                    result(Envelope.looksLikeEnvelope(value) ? Envelope.escape(value) : value);
                    return;
                case DecompressFunction.SQLITE_TEXT:
                    result(validText(bytes(value_blob(0))));
                    return;
                case DecompressFunction.SQLITE_INTEGER:
                    result(value_long(0));
                    return;
                case DecompressFunction.SQLITE_FLOAT:
                    result(value_double(0));
                    return;
                default:
                    result();
            }
        }

        /**
         * TEXT passes through Java as a String, which only valid UTF-8 survives unchanged. The rewriter hands only
         * BLOBs and bound parameters (always valid UTF-8) to this function, so other TEXT never gets here; were it
         * to, it is refused rather than stored altered.
         */
        private static String validText(byte[] utf8) throws SQLException {
            try {
                return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(utf8)).toString();
            } catch (CharacterCodingException e) {
                throw new SQLException("A value computed in SQL for a compressed column is TEXT that is not valid"
                        + " UTF-8; store it as a BLOB (CAST(… AS BLOB)) or bind it as a parameter", "22021");
            }
        }
    }

    /** {@code esq_decompress(value[, 'table.column'[, rowid]])}: the original value, whatever is stored. */
    private static final class DecompressFunction extends Function {
        private static final int SQLITE_INTEGER = 1;
        private static final int SQLITE_FLOAT = 2;
        private static final int SQLITE_TEXT = 3;
        private static final int SQLITE_BLOB = 4;

        private final Codec codec;

        DecompressFunction(Codec codec) {
            this.codec = codec;
        }

        @Override
        protected void xFunc() throws SQLException {
            switch (value_type(0)) {
                case SQLITE_BLOB:
                    byte[] stored = bytes(value_blob(0));
                    if (!Envelope.looksLikeEnvelope(stored) || !codec.copiedLookalikes().isEmpty()
                            && !codec.isEnvelope(stored, args() > 1 ? value_text(1) : null)) {
                        result(stored); // a plain BLOB, or a decoded copy's value that begins like an envelope
                        return;
                    }
                    Object value;
                    try {
                        value = codec.decode(stored, "");
                    } catch (CorruptValueException unnamed) {
                        // fails again, naming the value: reading its name costs two more calls into SQLite per
                        // row, so it is read only for the error message (a LIKE over every row made those calls)
                        value = codec.decode(stored, where());
                    }
                    if (value instanceof String) {
                        result((String) value);
                    } else {
                        result((byte[]) value);
                    }
                    return;
                case SQLITE_TEXT:
                    result(value_text(0));
                    return;
                case SQLITE_INTEGER:
                    result(value_long(0));
                    return;
                case SQLITE_FLOAT:
                    result(value_double(0));
                    return;
                default:
                    result();
            }
        }

        private String where() throws SQLException {
            String column = args() > 1 ? value_text(1) : "(unknown column)";
            return args() > 2 ? "in " + column + " at rowid " + value_long(2) : "in " + column;
        }
    }
}
