package io.github.enhancedsqlite.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A compressed value damaged on disk is found by verify (table, column, rowid; exit 1) and stops export. */
class VerifyCorruptionTest {

    private static final int DAMAGED_ROWID = 7;

    @TempDir
    Path dir;

    private Path db;

    @BeforeEach
    void compressedDatabase() throws Exception {
        db = dir.resolve("notes.db");
        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + db + "?compress=auto")) {
            connection.createStatement().execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notes(id, body) VALUES (?, ?)")) {
                for (int id = 1; id <= 20; id++) {
                    insert.setInt(1, id);
                    insert.setString(2, ("note " + id + " says the same thing again; ").repeat(40));
                    insert.executeUpdate();
                }
            }
        }
        EnhancedSqlite.shutdown();
    }

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void anIntactCompressedDatabaseVerifies() {
        Toolkit.Run run = Toolkit.run("verify", db);

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).contains("OK", "20 compressed values in 1 columns");
    }

    @Test
    void aDamagedEnvelopeIsNamedByTableColumnAndRowid() throws Exception {
        damage(DAMAGED_ROWID);

        Toolkit.Run run = Toolkit.run("verify", db);

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.out()).contains("PROBLEM table notes, column body, rowid " + DAMAGED_ROWID + ":")
                .contains("1 problem(s)");
        assertThat(run.out().lines().filter(line -> line.startsWith("PROBLEM"))).hasSize(1);
    }

    @Test
    void exportStopsAtADamagedValueAndLeavesNoFile() throws Exception {
        damage(DAMAGED_ROWID);
        Path out = dir.resolve("plain.db");

        Toolkit.Run run = Toolkit.run("export", db, out);

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.err()).contains("table notes, column body, rowid " + DAMAGED_ROWID);
        assertThat(out).doesNotExist();
    }

    /**
     * A damaged magic makes an envelope look like a plain BLOB, which reads back as its stored bytes; verify finds
     * such BLOBs in compressed columns (the magic off by one byte) and names them by table, column and rowid.
     */
    @Test
    void anEnvelopeWithADamagedMagicIsReportedByVerify() throws Exception {
        for (int position = 0; position < 4; position++) {
            int at = position;
            change(DAMAGED_ROWID + position, stored -> stored[at] ^= 0x21);
        }

        Toolkit.Run run = Toolkit.run("verify", db);

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        for (int position = 0; position < 4; position++) {
            assertThat(run.out()).contains("PROBLEM table notes, column body, rowid " + (DAMAGED_ROWID + position)
                    + ": a BLOB whose first bytes differ from an envelope's magic in byte " + (position + 1));
        }
        assertThat(run.out().lines().filter(line -> line.startsWith("PROBLEM"))).hasSize(4);
        assertThat(run.out()).contains("4 problem(s)");
    }

    /** A damaged header byte (the original type) is found by verify like a damaged frame. */
    @Test
    void aDamagedTypeByteIsReportedByVerify() throws Exception {
        change(DAMAGED_ROWID, stored -> stored[5] ^= 0x01);

        Toolkit.Run run = Toolkit.run("verify", db);

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.out()).contains("PROBLEM table notes, column body, rowid " + DAMAGED_ROWID + ":");
    }

    private void change(int rowid, java.util.function.Consumer<byte[]> change) throws Exception {
        try (Connection connection = Toolkit.plain(db)) {
            byte[] stored;
            try (PreparedStatement select = connection.prepareStatement("SELECT body FROM notes WHERE id = ?")) {
                select.setInt(1, rowid);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    stored = row.getBytes(1);
                }
            }
            assertThat(stored[0]).as("an envelope is stored").isEqualTo((byte) 0xEC);
            change.accept(stored);
            try (PreparedStatement update = connection.prepareStatement("UPDATE notes SET body = ? WHERE id = ?")) {
                update.setBytes(1, stored);
                update.setInt(2, rowid);
                update.executeUpdate();
            }
        }
    }

    /** Flips one byte inside the zstd frame of a stored envelope, as a bad disk or a stray write would. */
    private void damage(int rowid) throws Exception {
        try (Connection connection = Toolkit.plain(db)) {
            byte[] stored;
            try (PreparedStatement select = connection.prepareStatement("SELECT body FROM notes WHERE id = ?")) {
                select.setInt(1, rowid);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    stored = row.getBytes(1);
                }
            }
            assertThat(stored[0]).as("an envelope is stored").isEqualTo((byte) 0xEC);
            stored[stored.length - 6] ^= 0x5A;
            try (PreparedStatement update = connection.prepareStatement("UPDATE notes SET body = ? WHERE id = ?")) {
                update.setBytes(1, stored);
                update.setInt(2, rowid);
                update.executeUpdate();
            }
        }
    }
}
