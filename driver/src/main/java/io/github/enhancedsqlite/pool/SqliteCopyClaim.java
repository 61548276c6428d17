package io.github.enhancedsqlite.pool;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which copy of SQLite in this JVM uses a database file. sqlite-jdbc loads its native library once per class loader,
 * so two applications of one server that each bring their own sqlite-jdbc run two copies of SQLite in one process.
 * POSIX locks never exclude within a process: on one file each copy takes the write lock beside the other, and one
 * copy's checkpoint restarts the WAL under the other's readers. Acknowledged writes are lost (SQLite's "multiple
 * copies of SQLite" hazard). A pool claims its file for its copy of SQLite; a pool of another copy is refused while
 * the claim stands. Copies of this driver that share one sqlite-jdbc share one SQLite and may both use the file.
 *
 * <p>The copies share nothing but the JDK's own objects, so a claim is a system property per file (its value names
 * the copy and counts its pools), changed under the monitor of the system properties object, which every class
 * loader sees as the same object.
 */
final class SqliteCopyClaim {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteCopyClaim.class);
    private static final String KEY_PREFIX = "io.github.enhancedsqlite.sqlite-copy-using:";
    /** This copy of SQLite: the class loader that loaded sqlite-jdbc, whose native library it loaded. */
    private static final String THIS_COPY = copyName(org.sqlite.SQLiteConnection.class.getClassLoader());

    private final String key;

    private SqliteCopyClaim(String key) {
        this.key = key;
    }

    /** Claims {@code file} for this copy of SQLite, or fails when another copy in this JVM uses it. */
    static SqliteCopyClaim claim(String file) throws SQLException {
        String key = KEY_PREFIX + file;
        try {
            Properties properties = System.getProperties();
            synchronized (properties) {
                String held = properties.getProperty(key);
                if (held != null && !copyOf(held).equals(THIS_COPY)) {
                    throw new SQLNonTransientConnectionException("The database file " + file + " is open in this JVM"
                            + " through another copy of SQLite (sqlite-jdbc loaded by " + copyOf(held) + "; this"
                            + " driver's by " + THIS_COPY + "). Two copies of SQLite in one process cannot lock each"
                            + " other out, so writes through both would be lost. Load sqlite-jdbc and"
                            + " enhanced-sqlite-jdbc once per JVM (e.g. from the server's shared library folder), or"
                            + " close the other copy's pools first (EnhancedSqlite.shutdown() there).", "08004");
                }
                properties.setProperty(key, THIS_COPY + " " + (pools(held) + 1));
            }
        } catch (SecurityException e) {
            LOG.debug("Cannot record which copy of SQLite uses {}: {}", file, e.getMessage());
            return new SqliteCopyClaim(null);
        }
        return new SqliteCopyClaim(key);
    }

    /** The pool that claimed the file closed: the file is free for another copy once this copy's pools all closed. */
    void release() {
        if (key == null) {
            return;
        }
        try {
            Properties properties = System.getProperties();
            synchronized (properties) {
                String held = properties.getProperty(key);
                if (held == null || !copyOf(held).equals(THIS_COPY)) {
                    return; // the properties were replaced meanwhile (System.setProperties): nothing of ours is left
                }
                int pools = pools(held) - 1;
                if (pools > 0) {
                    properties.setProperty(key, THIS_COPY + " " + pools);
                } else {
                    properties.remove(key);
                }
            }
        } catch (SecurityException e) {
            LOG.debug("Cannot release the claim on {}: {}", key, e.getMessage());
        }
    }

    private static String copyOf(String held) {
        int space = held.lastIndexOf(' ');
        return space < 0 ? held : held.substring(0, space);
    }

    private static int pools(String held) {
        if (held == null) {
            return 0;
        }
        try {
            return Integer.parseInt(held.substring(held.lastIndexOf(' ') + 1));
        } catch (NumberFormatException e) {
            return 0; // not written by a claim: taken over
        }
    }

    private static String copyName(ClassLoader loader) {
        if (loader == null) {
            return "the boot class loader";
        }
        String name = loader.getName() != null ? loader.getName() + " " : "";
        return name + loader.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(loader));
    }
}
