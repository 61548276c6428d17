package io.github.enhancedsqlite.cli;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.Eligibility;
import io.github.enhancedsqlite.compress.Envelope;
import io.github.enhancedsqlite.compress.StoredFormat;
import io.github.enhancedsqlite.jdbc.PhysicalConnection;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Activates compression on an existing database, in phases: (1) online backup to DB.pre-migration "
                + "(the file rollback restores), (2) journal_mode=WAL, (3) existing values of the chosen or "
                + "auto-detected columns compressed through the enhanced driver in small transactions, so other "
                + "writers wait at most one chunk, then one VACUUM that switches the database to "
                + "auto_vacuum=INCREMENTAL and returns the space the values freed to the disk, (4) verify, (5) a "
                + "before/after report.",
                "Interrupted (Ctrl-C, crash)? Run it again: it keeps the first backup and continues with the values "
                        + "still stored plain. Applications must read the database through the enhanced driver "
                        + "afterwards (any compress setting decodes); export gives a plain copy back."})
final class MigrateCommand implements Callable<Integer> {

    static final String BACKUP_SUFFIX = ".pre-migration";
    /**
     * Written into the database once its backup is complete: a later run that finds it (and the backup) continues
     * that migration. Restoring the backup removes it with everything else; export drops it with the driver's tables.
     */
    static final String MARKER = StoredFormat.MIGRATION_TABLE;
    /** auto_vacuum as SQLite numbers it. */
    private static final String[] AUTO_VACUUM_MODES = {"NONE", "FULL", "INCREMENTAL"};

    @Parameters(index = "0", paramLabel = "DB", description = "the SQLite database to migrate (changed in place)")
    Path database;

    @Option(names = "--columns", split = ",", paramLabel = "TABLE.COLUMN",
            description = "columns to compress (default: every column the driver may compress that holds values of "
                    + "at least the threshold)")
    List<String> columnNames;

    @Option(names = "--dry-run", description = "print the plan and change nothing")
    boolean dryRun;

    @Option(names = "--threshold", paramLabel = "BYTES", defaultValue = "256",
            description = "values shorter than this stay plain, as the driver's compressThreshold (default ${DEFAULT-VALUE})")
    int threshold;

    @Option(names = "--chunk-rows", paramLabel = "ROWS", defaultValue = "200",
            description = "rows per transaction; other writers wait at most one chunk (default ${DEFAULT-VALUE})")
    int chunkRows;

    @Option(names = "--backup", paramLabel = "FILE", description = "where the pre-migration backup goes (default DB"
            + BACKUP_SUFFIX + ")")
    Path backupPath;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        if (threshold < 0 || chunkRows < 1) {
            throw new ParameterException(spec.commandLine(), "--threshold must be 0 or more and --chunk-rows 1 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DatabaseFile file = DatabaseFile.existing(database);
        if (!dryRun) {
            file.requireWritable("migrate");
        }
        Path backup = (backupPath != null ? backupPath : file.sidecar(BACKUP_SUFFIX)).toAbsolutePath().normalize();
        List<ColumnRef> columns;
        Map<String, Object> before;
        boolean resuming;
        try (Connection plain = file.open(dryRun)) {
            String check = DatabaseFile.text(plain, "PRAGMA quick_check");
            if (!"ok".equals(check)) {
                throw new ToolException(ExitCodes.FILE, file.path() + " is corrupt (quick_check: " + check
                        + "); migrate refuses to change it");
            }
            columns = chooseColumns(plain);
            before = snapshot(file, plain, columns);
            resuming = Files.exists(backup) && (StoredFormat.tableExists(plain, MARKER)
                    || !CompressedColumns.recorded(plain).isEmpty());
            if (Files.exists(backup) && !resuming && !dryRun) {
                throw new ToolException(ExitCodes.REFUSED, "a backup " + backup + " exists, but " + file.path()
                        + " shows no migration in progress, so it is not from an interrupted migration of this file;"
                        + " move it away (or pass --backup FILE) so that it is not mistaken for this one");
            }
            printPlan(out, file, backup, resuming, columns, before);
            if (dryRun) {
                out.println("Dry run: nothing was changed.");
                return ExitCodes.OK;
            }
            if (!resuming) {
                out.println("[1/5] backup -> " + backup);
                OnlineBackup.copy(file, backup, err);
                try (Statement statement = plain.createStatement()) {
                    statement.execute("CREATE TABLE IF NOT EXISTS " + MARKER
                            + " (backup TEXT NOT NULL, started_at INTEGER NOT NULL)");
                    try (PreparedStatement record = plain.prepareStatement("INSERT INTO " + MARKER
                            + " (backup, started_at) VALUES (?, strftime('%s','now'))")) {
                        record.setString(1, backup.toString());
                        record.executeUpdate();
                    }
                }
            } else {
                out.println("[1/5] backup: keeping " + backup + " from the interrupted migration");
            }
            out.println("[2/5] journal_mode=WAL");
            String mode = DatabaseFile.text(plain, "PRAGMA journal_mode=WAL");
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new ToolException(ExitCodes.FAILED, "SQLite kept journal_mode=" + mode + " instead of wal");
            }
        } catch (SQLException e) {
            throw DatabaseFile.explain(e, file.path());
        }
        out.println("[3/5] compress " + columns.size() + " column(s) in transactions of " + chunkRows + " rows");
        out.flush();
        long compressed = compress(file, columns, err);
        out.println("      " + compressed + " values rewritten");
        out.println("      VACUUM with auto_vacuum=INCREMENTAL: the freed pages go back to the disk");
        out.flush();
        vacuum(file);
        out.println("[4/5] verify");
        out.flush();
        try (Connection plain = file.open(true)) {
            Verification.Result result = Verification.run(plain, err);
            Map<String, Object> after = snapshot(file, plain, columns);
            for (Verification.Problem problem : result.problems()) {
                out.println("PROBLEM " + problem);
            }
            out.println("[5/5] report");
            printReport(out, before, after);
            if (!result.problems().isEmpty()) {
                out.println("Verification found " + result.problems().size() + " problem(s); `rollback "
                        + file.path() + "` restores " + backup);
                return ExitCodes.PROBLEMS;
            }
        } catch (SQLException e) {
            throw DatabaseFile.explain(e, file.path());
        }
        out.println("Migrated. The pre-migration backup stays at " + backup + " (`rollback` restores it).");
        return ExitCodes.OK;
    }

    private List<ColumnRef> chooseColumns(Connection plain) throws SQLException {
        List<ColumnRef> chosen = new ArrayList<>();
        if (columnNames != null && !columnNames.isEmpty()) {
            for (String name : columnNames) {
                ColumnRef column = ColumnRef.parse(name.trim());
                if (column == null) {
                    throw new ParameterException(spec.commandLine(), "--columns takes table.column names; '" + name
                            + "' is not one");
                }
                if (!StoredFormat.tableExists(plain, column.table())) {
                    throw new ParameterException(spec.commandLine(), "--columns " + name + ": no table "
                            + column.table() + "; tables: " + String.join(", ", CompressedColumns.userTables(plain)));
                }
                if (!Eligibility.compressibleColumns(plain, column.table()).contains(column.column())
                        || !Eligibility.hasRowid(plain, column.table())) {
                    throw new ParameterException(spec.commandLine(), "--columns " + name + " cannot be compressed: "
                            + "only a TEXT or BLOB column that is in no key, index or constraint, of a rowid table "
                            + "that no view or trigger names, can be (anything else could change query results); "
                            + "compressible columns of " + column.table() + ": "
                            + Eligibility.compressibleColumns(plain, column.table()));
                }
                chosen.add(column);
            }
            return chosen;
        }
        for (String table : CompressedColumns.userTables(plain)) {
            if (!Eligibility.hasRowid(plain, table)) {
                continue;
            }
            for (String column : Eligibility.compressibleColumns(plain, table)) {
                ColumnRef candidate = new ColumnRef(table, column);
                if (DatabaseFile.number(plain, "SELECT count(*) FROM " + DatabaseFile.quote(table) + " WHERE "
                        + toCompress(column)) > 0) {
                    chosen.add(candidate);
                }
            }
        }
        chosen.sort((a, b) -> a.toString().compareTo(b.toString()));
        return chosen;
    }

    /** Stored plain values at or above the threshold: what the migration still has to compress. */
    private String toCompress(String column) {
        String name = DatabaseFile.quote(column);
        return "((typeof(" + name + ") = 'text' AND length(CAST(" + name + " AS BLOB)) >= " + threshold + ")"
                + " OR (typeof(" + name + ") = 'blob' AND length(" + name + ") >= " + threshold
                + " AND NOT " + StoredFormat.beginsWithMagic(name) + "))";
    }

    private Map<String, Object> snapshot(DatabaseFile file, Connection plain, List<ColumnRef> columns)
            throws SQLException {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        long pageSize = DatabaseFile.number(plain, "PRAGMA page_size");
        snapshot.put("journal_mode", DatabaseFile.text(plain, "PRAGMA journal_mode"));
        snapshot.put("auto_vacuum", AUTO_VACUUM_MODES[(int) DatabaseFile.number(plain, "PRAGMA auto_vacuum")]);
        snapshot.put("file bytes", DatabaseFile.sizeOf(file.path()) + DatabaseFile.sizeOf(file.sidecar("-wal")));
        snapshot.put("used bytes", (DatabaseFile.number(plain, "PRAGMA page_count")
                - DatabaseFile.number(plain, "PRAGMA freelist_count")) * pageSize);
        for (ColumnRef column : columns) {
            String name = DatabaseFile.quote(column.column());
            String table = DatabaseFile.quote(column.table());
            snapshot.put(column + " bytes", DatabaseFile.number(plain,
                    "SELECT coalesce(sum(length(CAST(" + name + " AS BLOB))), 0) FROM " + table));
            snapshot.put(column + " to compress", DatabaseFile.number(plain,
                    "SELECT count(*) FROM " + table + " WHERE " + toCompress(column.column())));
        }
        return snapshot;
    }

    private void printPlan(PrintWriter out, DatabaseFile file, Path backup, boolean resuming, List<ColumnRef> columns,
                           Map<String, Object> before) {
        out.println("Plan for " + file.path() + (resuming ? " (resuming an interrupted migration)" : ""));
        out.println("  1. online backup to " + backup + (resuming ? " (exists: kept)" : ""));
        out.println("  2. journal_mode " + before.get("journal_mode") + " -> wal");
        out.println("  3. compress values of " + threshold + " bytes or more, " + chunkRows + " rows per transaction:");
        if (columns.isEmpty()) {
            out.println("     (no column holds values to compress)");
        }
        for (ColumnRef column : columns) {
            out.println(String.format(Locale.ROOT, "     %-40s %,8d values, column holds %,d bytes", column,
                    before.get(column + " to compress"), before.get(column + " bytes")));
        }
        out.println("     then one VACUUM: auto_vacuum " + before.get("auto_vacuum") + " -> INCREMENTAL, freed pages back to"
                + " the disk");
        out.println("  4. verify (integrity_check, foreign_key_check, every compressed value decoded)");
        out.println("  5. before/after report");
    }

    private static void printReport(PrintWriter out, Map<String, Object> before, Map<String, Object> after) {
        out.println(String.format(Locale.ROOT, "      %-46s %16s %16s %7s", "", "before", "after", "ratio"));
        for (Map.Entry<String, Object> entry : before.entrySet()) {
            Object then = entry.getValue();
            Object now = after.get(entry.getKey());
            String ratio = then instanceof Long b && now instanceof Long a && a > 0 && entry.getKey().endsWith("bytes")
                    ? String.format(Locale.ROOT, "%6.2fx", (double) b / a) : "";
            out.println(String.format(Locale.ROOT, "      %-46s %16s %16s %7s", entry.getKey(), format(then),
                    format(now), ratio));
        }
    }

    private static String format(Object value) {
        return value instanceof Long number ? String.format(Locale.ROOT, "%,d", number) : String.valueOf(value);
    }

    /**
     * Rewrites every plain value of the columns through the enhanced driver, which compresses bound values, records
     * the columns and trains their dictionaries exactly as it does for the application (closing its pool finishes
     * the training the commits asked for, and moves the values written before onto the dictionaries). Each chunk is one
     * transaction: the driver begins it IMMEDIATE at its first statement, so the rows read through the physical
     * connection (their stored form) cannot change before they are rewritten.
     */
    private long compress(DatabaseFile file, List<ColumnRef> columns, PrintWriter err) {
        if (columns.isEmpty()) {
            return 0;
        }
        StringJoiner listed = new StringJoiner(",");
        columns.forEach(column -> listed.add(column.toString()));
        long total = 0;
        try (Connection plain = file.open(true)) {
            for (ColumnRef column : columns) {
                total += DatabaseFile.number(plain, "SELECT count(*) FROM " + DatabaseFile.quote(column.table()));
            }
        } catch (SQLException e) {
            throw DatabaseFile.explain(e, file.path());
        }
        long rewritten = 0;
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource("jdbc:enhanced-sqlite:" + file.path());
             Progress progress = new Progress(err, "compress", total, "rows")) {
            dataSource.setProperty("compress", listed.toString());
            dataSource.setProperty("compressThreshold", Integer.toString(threshold));
            dataSource.setMaximumPoolSize(1);
            try (Connection connection = dataSource.getConnection()) {
                for (ColumnRef column : columns) {
                    rewritten += compressColumn(connection, column, progress);
                }
            }
        } catch (SQLException e) {
            throw DatabaseFile.explain(e, file.path());
        }
        return rewritten;
    }

    /**
     * One VACUUM through the enhanced driver (an auto-commit write: it takes the writer turn and is retried while
     * another process writes; in WAL mode readers of other processes go on reading), after switching the database to
     * auto_vacuum=INCREMENTAL, which only a VACUUM can do on an existing database. Compressing values leaves their old
     * pages free inside the file; this returns them, and from now on the driver's maintenance and {@code compact}
     * return freed pages in small steps. The TRUNCATE checkpoint copies the vacuumed database back into its file,
     * which is when a WAL database's file shrinks.
     */
    private static void vacuum(DatabaseFile file) {
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource("jdbc:enhanced-sqlite:" + file.path())) {
            dataSource.setMaximumPoolSize(1);
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA auto_vacuum = INCREMENTAL");
                statement.execute("VACUUM");
                statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        } catch (SQLException e) {
            throw DatabaseFile.explain(e, file.path());
        }
    }

    private long compressColumn(Connection connection, ColumnRef column, Progress progress) throws SQLException {
        String name = DatabaseFile.quote(column.column());
        String table = DatabaseFile.quote(column.table());
        // the driver's internal handle: unwrapping sqlite-jdbc's connection would make the pool evict the lease
        Connection physical = connection.unwrap(PhysicalConnection.class).sqlite();
        // A BLOB that begins like an envelope in a column the driver never wrote to is the user's data: the driver
        // escapes it when it is rewritten. Once the column is recorded, such a BLOB is taken for an envelope.
        boolean recorded = CompressedColumns.recorded(physical).contains(column);
        long rewritten = 0;
        long after = Long.MIN_VALUE;
        try (PreparedStatement read = physical.prepareStatement("SELECT rowid, typeof(" + name + "), " + name
                + " FROM " + table + " WHERE rowid > ? ORDER BY rowid LIMIT " + chunkRows);
             PreparedStatement write = connection.prepareStatement("UPDATE " + table + " SET " + name
                     + " = ? WHERE rowid = ?");
             Statement begin = connection.createStatement()) {
            int rows;
            do {
                connection.setAutoCommit(false);
                try {
                    begin.executeQuery("SELECT 1").close(); // begins the chunk's transaction (IMMEDIATE)
                    rows = 0;
                    read.setLong(1, after);
                    try (ResultSet stored = read.executeQuery()) {
                        while (stored.next()) {
                            rows++;
                            after = stored.getLong(1);
                            if (bind(write, stored.getString(2), stored, after, recorded)) {
                                write.executeUpdate();
                                rewritten++;
                            }
                        }
                    }
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
                progress.advance(rows);
            } while (rows == chunkRows);
        }
        return rewritten;
    }

    /** Binds a stored plain value of at least the threshold for rewriting; false when it stays as it is. */
    private boolean bind(PreparedStatement write, String type, ResultSet stored, long rowid, boolean recorded)
            throws SQLException {
        if ("text".equals(type)) {
            String text = stored.getString(3);
            if (text.getBytes(StandardCharsets.UTF_8).length < threshold) {
                return false;
            }
            write.setString(1, text);
        } else if ("blob".equals(type)) {
            byte[] bytes = stored.getBytes(3);
            boolean magic = Envelope.looksLikeEnvelope(bytes);
            if (magic ? recorded : bytes.length < threshold) {
                return false;
            }
            write.setBytes(1, bytes);
        } else {
            return false;
        }
        write.setLong(2, rowid);
        return true;
    }
}
