package io.github.enhancedsqlite.examples.plainjdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * How a note's body sits in the file, read with plain sqlite-jdbc so no decoding hides it: SQLite's storage class
 * and the bytes stored. A compressed value is a BLOB in the driver's envelope, which starts with {@link #MAGIC}.
 */
public record StoredForm(String storageClass, byte[] bytes) {

    /** The first bytes of every value the enhanced driver stored compressed: {@code EC 45 53 5A} ("\u00ecESZ"). */
    public static final byte[] MAGIC = {(byte) 0xEC, 'E', 'S', 'Z'};

    public static StoredForm of(String databaseFile, long noteId) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + databaseFile);
             PreparedStatement ps = c.prepareStatement("SELECT typeof(body), CAST(body AS BLOB) FROM notes WHERE id = ?")) {
            ps.setLong(1, noteId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no note " + noteId + " in " + databaseFile);
                }
                return new StoredForm(rs.getString(1), rs.getBytes(2));
            }
        }
    }

    public boolean compressed() {
        return storageClass.equals("blob") && bytes.length >= MAGIC.length
                && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }
}
