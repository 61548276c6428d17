package io.github.enhancedsqlite.compress;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * What the driver leaves in a database file, spelled once: the envelope's magic and format versions, the names of
 * the driver's own tables, and the SQL predicates that find them. The driver, the toolkit and the bench read the
 * file through these, so a spelling can no longer diverge (a copied LIKE once lost its ESCAPE, and its {@code _}
 * matched any character). The layout of an envelope beyond its first five bytes is {@link Envelope}'s.
 */
public final class StoredFormat {

    /** An envelope begins with these four bytes: {@code EC 45 53 5A} ("\xECESZ"). Never changed in place. */
    static final byte[] MAGIC = {(byte) 0xEC, 'E', 'S', 'Z'};
    /** The magic as SQL's hexadecimal digits, for {@code x'…'} literals. */
    public static final String MAGIC_HEX = "EC45535A";
    /** The envelope format written today. */
    public static final byte VERSION = 2;
    /** The first envelope format, still read. */
    public static final byte VERSION_1 = 1;

    /** Tables whose names start with this belong to the driver; metadata listings and the toolkit pass them by. */
    public static final String OWN_TABLE_PREFIX = "_enhanced_sqlite_";
    /** The record of which columns hold envelopes (see {@link Catalog}). */
    public static final String COLUMNS_TABLE = OWN_TABLE_PREFIX + "columns";
    /** The zstd dictionaries (see {@link Dictionaries}). */
    public static final String DICTIONARIES_TABLE = OWN_TABLE_PREFIX + "dictionaries";
    /** The toolkit's {@code migrate} marks a migration under way with this table. */
    public static final String MIGRATION_TABLE = OWN_TABLE_PREFIX + "migration";

    /**
     * The tables Litestream creates in a file it replicates (its sequence and the table it writes to hold the
     * write lock). Not the driver's and not the application's: listings, export, migrate and verify pass them by
     * as they pass the driver's; inspect shows them apart.
     */
    public static final List<String> LITESTREAM_TABLES = List.of("_litestream_seq", "_litestream_lock");

    private StoredFormat() {
    }

    /** The directory where Litestream keeps its state for a database file: {@code dir/.app.db-litestream}. */
    public static Path litestreamStateDirectory(Path database) {
        return database.resolveSibling("." + database.getFileName() + "-litestream");
    }

    /** The magic bytes (a copy: the array must not change). */
    public static byte[] magic() {
        return MAGIC.clone();
    }

    /** Whether a table is one of the driver's own (SQLite compares table names without regard to ASCII case). */
    public static boolean isOwnTable(String name) {
        return name != null && name.toLowerCase(Locale.ROOT).startsWith(OWN_TABLE_PREFIX);
    }

    /**
     * Whether the main database of {@code connection} has a table of this name (in any ASCII case, as SQLite
     * resolves names): the driver's own tables exist only in files that ever held compressed values.
     */
    public static boolean tableExists(Connection connection, String table) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM main.sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
            select.setString(1, table);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /** Whether a table is one of Litestream's (see {@link #LITESTREAM_TABLES}). */
    public static boolean isLitestreamTable(String name) {
        return name != null && LITESTREAM_TABLES.contains(name.toLowerCase(Locale.ROOT));
    }

    /** SQL that is true when {@code nameExpression} names one of Litestream's tables. */
    public static String litestreamTable(String nameExpression) {
        return "lower(" + nameExpression + ") IN ('" + String.join("', '", LITESTREAM_TABLES) + "')";
    }

    /**
     * SQL that is true when {@code nameExpression} names one of the driver's own tables. Every {@code _} is
     * escaped: unescaped, LIKE takes it for any character and a user's table could pass for the driver's.
     */
    public static String ownTable(String nameExpression) {
        return nameExpression + " LIKE '" + OWN_TABLE_PREFIX.replace("_", "\\_") + "%' ESCAPE '\\'";
    }

    /** SQL that is true when {@code nameExpression} names one of SQLite's own tables ({@code sqlite_…}). */
    public static String sqliteTable(String nameExpression) {
        return nameExpression + " LIKE 'sqlite\\_%' ESCAPE '\\'";
    }

    /** SQL that is true when the stored value of {@code expression} begins with the magic (for a BLOB). */
    public static String beginsWithMagic(String expression) {
        return "substr(" + expression + ", 1, 4) = x'" + MAGIC_HEX + "'";
    }

    /** SQL that is true when the stored value of {@code expression} is an envelope: a BLOB that begins with the magic. */
    public static String isEnvelope(String expression) {
        return "typeof(" + expression + ") = 'blob' AND " + beginsWithMagic(expression);
    }

    /**
     * SQL that is true when the first four bytes of {@code expression} are the magic but for exactly one: what an
     * envelope whose magic was damaged looks like (see {@link Envelope#damagedMagicByte}, which looks further).
     */
    public static String differsFromMagicInOneByte(String expression) {
        StringBuilder sum = new StringBuilder("(");
        for (int i = 0; i < MAGIC.length; i++) {
            sum.append(i == 0 ? "" : " + ").append("(substr(").append(expression).append(", ").append(i + 1)
                    .append(", 1) = x'").append(MAGIC_HEX, 2 * i, 2 * i + 2).append("')");
        }
        return sum.append(") = 3").toString();
    }
}
