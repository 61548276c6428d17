package io.github.enhancedsqlite.cli;

import io.github.enhancedsqlite.compress.Codec;
import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.CorruptValueException;
import io.github.enhancedsqlite.compress.StoredFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes a plain SQLite copy of DB: every compressed value decompressed to its original TEXT or "
                + "BLOB, the driver's _enhanced_sqlite_* tables removed, rollback-journal mode, vacuumed. The sqlite3 "
                + "shell and any other tool read it.",
                "The copy is taken with the online backup API, so DB may stay in use. OUT is never overwritten."})
final class ExportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DB", description = "the database to export")
    Path database;

    @Parameters(index = "1", paramLabel = "OUT", description = "the plain SQLite file to create")
    Path target;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DatabaseFile file = DatabaseFile.existing(database);
        Path out = target.toAbsolutePath().normalize();
        PrintWriter err = spec.commandLine().getErr();
        OnlineBackup.copy(file, out, err);
        long decoded;
        try (Connection copy = DatabaseFile.open(out, false)) {
            decoded = decompress(copy, err);
            dropOwnTables(copy);
            try (Statement statement = copy.createStatement()) {
                statement.execute("VACUUM");
            }
            String check = DatabaseFile.text(copy, "PRAGMA quick_check");
            if (!"ok".equals(check)) {
                throw new ToolException(ExitCodes.FAILED, "the export fails quick_check: " + check);
            }
        } catch (SQLException e) {
            OnlineBackup.deleteQuietly(out);
            throw DatabaseFile.explain(e, out);
        } catch (RuntimeException e) {
            OnlineBackup.deleteQuietly(out);
            throw e;
        }
        spec.commandLine().getOut().println("Exported " + file.path() + " to " + out + " (" + decoded
                + " values decompressed, " + DatabaseFile.sizeOf(out) + " bytes)");
        return ExitCodes.OK;
    }

    /** Decodes every envelope in place, in one transaction on the private copy; a damaged one aborts the export. */
    private static long decompress(Connection copy, PrintWriter err) throws SQLException {
        List<ColumnRef> columns = CompressedColumns.recorded(copy);
        long total = 0;
        for (ColumnRef column : columns) {
            total += CompressedColumns.countEnvelopes(copy, column);
        }
        long[] decoded = {0};
        try (Codec codec = CompressedColumns.codec(copy);
             Progress progress = new Progress(err, "export", total, "values");
             Statement transaction = copy.createStatement()) {
            transaction.execute("BEGIN IMMEDIATE");
            for (ColumnRef column : columns) {
                try (PreparedStatement update = copy.prepareStatement("UPDATE " + DatabaseFile.quote(column.table())
                        + " SET " + DatabaseFile.quote(column.column()) + " = ? WHERE rowid = ?")) {
                    CompressedColumns.forEachEnvelope(copy, column, (rowid, stored) -> {
                        Object value;
                        try {
                            value = codec.decode(stored, "in " + column + " at rowid " + rowid);
                        } catch (CorruptValueException e) {
                            throw new ToolException(ExitCodes.PROBLEMS, "table " + column.table() + ", column "
                                    + column.column() + ", rowid " + rowid + ": " + e.getMessage()
                                    + "; nothing was exported (verify lists every damaged value)", e);
                        }
                        if (value instanceof String text) {
                            update.setString(1, text);
                        } else {
                            update.setBytes(1, (byte[]) value);
                        }
                        update.setLong(2, rowid);
                        update.executeUpdate();
                        decoded[0]++;
                        progress.advance(1);
                    });
                }
            }
            transaction.execute("COMMIT");
        }
        return decoded[0];
    }

    private static void dropOwnTables(Connection copy) throws SQLException {
        List<String> own = new ArrayList<>();
        try (Statement statement = copy.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table' AND "
                     + StoredFormat.ownTable("name"))) {
            while (rows.next()) {
                own.add(rows.getString(1));
            }
        }
        // Litestream's bookkeeping describes the replicated file, not this copy; a Litestream that replicates the
        // export later creates its own.
        own.addAll(CompressedColumns.litestreamTables(copy));
        try (Statement statement = copy.createStatement()) {
            for (String table : own) {
                statement.execute("DROP TABLE " + DatabaseFile.quote(table));
            }
            if (StoredFormat.tableExists(copy, "sqlite_sequence")) {
                try (PreparedStatement forget = copy.prepareStatement("DELETE FROM sqlite_sequence WHERE name = ?")) {
                    for (String table : own) {
                        forget.setString(1, table);
                        forget.executeUpdate();
                    }
                }
            }
        }
    }
}
