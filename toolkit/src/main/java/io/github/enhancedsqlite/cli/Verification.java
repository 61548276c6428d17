package io.github.enhancedsqlite.cli;

import io.github.enhancedsqlite.compress.Codec;
import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.CorruptValueException;
import io.github.enhancedsqlite.compress.Envelope;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything {@code verify} checks, also run by {@code migrate} after compressing: SQLite's integrity_check and
 * foreign_key_check, every compressed value decoded (the envelope's check, or in format version 1 the zstd frame's
 * checksum, is checked as it is decoded), and BLOBs in compressed columns that look like envelopes with a damaged
 * magic.
 */
final class Verification {

    /** One thing found wrong; table, column and rowid when SQLite or the decoder can tell them. */
    record Problem(String table, String column, Long rowid, String message) {
        @Override
        public String toString() {
            StringBuilder where = new StringBuilder();
            if (table != null) {
                where.append("table ").append(table);
            }
            if (column != null) {
                where.append(", column ").append(column);
            }
            if (rowid != null) {
                where.append(", rowid ").append(rowid);
            }
            return where.length() == 0 ? message : where + ": " + message;
        }
    }

    /** What was checked, for the report. */
    record Result(List<Problem> problems, int compressedColumns, long compressedValues) {
    }

    private Verification() {
    }

    static Result run(Connection connection, PrintWriter err) throws SQLException {
        List<Problem> problems = new ArrayList<>();
        integrity(connection, problems);
        foreignKeys(connection, problems);
        List<ColumnRef> columns = CompressedColumns.recorded(connection);
        long total = 0;
        for (ColumnRef column : columns) {
            total += CompressedColumns.countEnvelopes(connection, column);
        }
        long[] decoded = {0};
        try (Codec codec = CompressedColumns.codec(connection);
             Progress progress = new Progress(err, "verify", total, "values")) {
            for (ColumnRef column : columns) {
                CompressedColumns.forEachEnvelope(connection, column, (rowid, stored) -> {
                    try {
                        codec.decode(stored, "in " + column + " at rowid " + rowid);
                    } catch (CorruptValueException e) {
                        problems.add(new Problem(column.table(), column.column(), rowid, e.getMessage()));
                    }
                    decoded[0]++;
                    progress.advance(1);
                });
                CompressedColumns.forEachNearEnvelope(connection, column, (rowid, stored) -> {
                    int position = Envelope.damagedMagicByte(stored);
                    if (position != 0) {
                        problems.add(new Problem(column.table(), column.column(), rowid, damagedMagic(codec, stored,
                                position)));
                    }
                });
            }
        }
        return new Result(problems, columns.size(), decoded[0]);
    }

    /**
     * A damaged magic makes an envelope pass for a plain BLOB, which the driver returns as its stored bytes; only
     * here can it be pointed at. Whether the value decodes with the magic repaired tells how sure that is.
     */
    private static String damagedMagic(Codec codec, byte[] stored, int position) {
        String repaired;
        try {
            codec.decode(Envelope.withMagicRestored(stored), "with its magic repaired");
            repaired = "with the magic repaired it decodes, so it is a compressed value that now reads back as these"
                    + " raw bytes";
        } catch (CorruptValueException e) {
            repaired = "it does not decode with the magic repaired either";
        }
        return "a BLOB whose first bytes differ from an envelope's magic in byte " + position + " (" + repaired + ")";
    }

    private static void integrity(Connection connection, List<Problem> problems) {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
            while (rows.next()) {
                String line = rows.getString(1);
                if (!"ok".equals(line)) {
                    problems.add(new Problem(null, null, null, "integrity_check: " + line));
                }
            }
        } catch (SQLException e) {
            problems.add(new Problem(null, null, null, "integrity_check could not complete: " + e.getMessage()));
        }
    }

    private static void foreignKeys(Connection connection, List<Problem> problems) {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA foreign_key_check")) {
            while (rows.next()) {
                long rowid = rows.getLong(2);
                problems.add(new Problem(rows.getString(1), null, rows.wasNull() ? null : rowid,
                        "foreign_key_check: no row in parent table " + rows.getString(3) + " (foreign key "
                                + rows.getInt(4) + ")"));
            }
        } catch (SQLException e) {
            problems.add(new Problem(null, null, null, "foreign_key_check could not complete: " + e.getMessage()));
        }
    }
}
