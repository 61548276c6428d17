package io.github.enhancedsqlite.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 4 point 7 and issue 13, storage on real data: each corpus database's {@code memory_entries} is loaded through
 * the driver — row by row in auto-commit, or in one transaction — into a new database with {@code compress=off} and
 * another with {@code compress=auto}, then both are checkpointed and VACUUMed and compared — the stored bytes of the
 * text column (read without decoding), dictionaries included, and the file. Targets (issue 13): value storage at
 * least 6x smaller in total, the file at least 2.5x smaller.
 */
final class CorpusSizes implements Scenario {

    static final double TARGET_RATIO = 6.0;
    static final double TARGET_FILE_RATIO = 2.5;
    private static final String TABLE = "memory_entries";

    /** Whether each database is loaded in one transaction rather than row by row. */
    private final boolean oneTransaction;

    CorpusSizes(boolean oneTransaction) {
        this.oneTransaction = oneTransaction;
    }

    @Override
    public String name() {
        return oneTransaction ? "compression-corpus-tx" : "compression-corpus";
    }

    @Override
    public String title() {
        return "database size, corpus loaded " + (oneTransaction ? "in one transaction" : "row by row")
                + " through compress=off vs compress=auto";
    }

    @Override
    public ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception {
        SizeComparison sizes = new SizeComparison();
        List<String> notes = new ArrayList<>();
        long[] loadNanos = new long[2];
        for (Path database : workspace.corpus().databases()) {
            String name = database.getFileName().toString().replaceFirst("\\.db$", "");
            Path source = workspace.directory().resolve(name() + "-" + name + "-source.db");
            Files.copy(database, source); // the corpus is read-only input
            try (Connection plain = DriverManager.getConnection(Workspace.RAW_PREFIX + source)) {
                String column = textColumn(plain);
                long written = ValueStorage.count(plain, TABLE, column)[1];
                ValueStorage[] sides = new ValueStorage[2];
                String[] modes = {"off", "auto"};
                for (int side = 0; side < 2; side++) {
                    Path target = workspace.newDatabase(name() + "-" + name + "-compress-" + modes[side]);
                    long start = System.nanoTime();
                    try (PooledDatabase pool = PooledDatabase.open(workspace.enhancedUrl(target, modes[side]));
                            Connection connection = pool.dataSource().getConnection()) {
                        TableCopy.copy(plain, TABLE, connection, oneTransaction);
                    }
                    loadNanos[side] += System.nanoTime() - start;
                    sides[side] = ValueStorage.measure(target, TABLE, column);
                }
                sizes.add(new SizeComparison.Entry("`" + name + "` (" + column + ")", written, sides[0], sides[1]));
            }
        }
        SizeComparison.Entry total = sizes.total();
        List<Target.Verdict> verdicts = List.of(new Target.Verdict("target value storage ≥" + (int) TARGET_RATIO
                + "x smaller on the corpus", total.valueRatio() >= TARGET_RATIO,
                "total " + Stats.formatBytes(total.off().valueBytes()) + " with compress=off, "
                        + Stats.formatBytes(total.auto().valueBytesWithDictionaries())
                        + " with compress=auto, dictionaries included: " + Stats.formatRatio(total.valueRatio())),
                new Target.Verdict("target file ≥" + TARGET_FILE_RATIO + "x smaller than compress=off's",
                        total.fileRatio() >= TARGET_FILE_RATIO, "files " + Stats.formatRatio(total.fileRatio())
                        + " smaller in total"));
        sizes.offSideMismatches().forEach(mismatch -> notes.add("**" + mismatch + "**"));
        notes.add("load: every row an INSERT with its values bound, " + (oneTransaction ? "all in one transaction"
                : "each in auto-commit") + ", one connection; the pool closed after it (which finishes the"
                + " dictionary training the commits asked for); took "
                + Stats.formatNanos(loadNanos[0]) + " with compress=off, " + Stats.formatNanos(loadNanos[1])
                + " with compress=auto for " + total.off().rows() + " rows (once, not repeated: a size measurement)");
        notes.add("stored bytes: SUM(length(CAST(col AS BLOB))) through raw sqlite-jdbc after the pools closed,"
                + " so envelopes count as stored; a compressed value is a BLOB beginning with X'"
                + ValueStorage.ENVELOPE_MAGIC_HEX + "'; files after wal_checkpoint(TRUNCATE) and VACUUM,"
                + " other columns, indexes and the driver's own tables included");
        return new ScenarioResult(this, SizeComparison.HEADINGS, sizes.rows(), verdicts, notes);
    }

    /** The corpus's two schemas keep the text in {@code value} (older) or {@code content} (newer). */
    static String textColumn(Connection source) throws SQLException {
        List<String> columns = TableCopy.columns(source, TABLE);
        for (String candidate : List.of("value", "content")) {
            if (columns.contains(candidate)) {
                return candidate;
            }
        }
        throw new SQLException(TABLE + " has neither a value nor a content column: " + columns);
    }
}
