package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.natives.LibraryCache;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * sqlite-jdbc's native library, loaded once per JVM before the first connection opens. sqlite-jdbc's own loader, at
 * every start, runs {@code uname} to tell Android apart, lists the process's mapped files to tell musl apart, digests
 * the library in its jar, copies it into a new temporary file and sweeps the temporary directory for the copies of
 * earlier processes: about a sixth of a short-lived process's start, more than everything the driver adds to it.
 * Here sqlite-jdbc is pointed, through its own {@code org.sqlite.lib.path} and {@code org.sqlite.lib.name}, at the
 * driver's per-user copy ({@link LibraryCache}), and loads that. Which library of its jar sqlite-jdbc wants on this
 * machine is asked of sqlite-jdbc once, at the first start, and kept in the cache directory beside the copy.
 *
 * <p>The two properties are set only while sqlite-jdbc initialises and cleared right after: a copy of sqlite-jdbc in
 * another class loader that initialises in that moment tries the same file, fails to load a library another class
 * loader holds, and falls back to its own loader. An application that set either property keeps its choice; on any
 * doubt (no cache directory, a note or a library that does not fit this jar) sqlite-jdbc's own loader runs, as it
 * would without the driver.
 */
final class SqliteLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteLibrary.class);
    private static final String PATH = "org.sqlite.lib.path";
    private static final String NAME = "org.sqlite.lib.name";
    private static final String RESOURCE_ROOT = "/org/sqlite/native/";

    private SqliteLibrary() {
    }

    /** Loads the library unless sqlite-jdbc did; cheap after the first call. */
    static void load() {
        Loaded.once();
    }

    /** The JVM runs a class's initialiser once, other callers waiting for it: the load happens once, and is seen. */
    private static final class Loaded {
        static {
            loadOnce();
        }

        static void once() {
            // initialising this class did the work
        }
    }

    private static void loadOnce() {
        if (System.getProperty(PATH) != null || System.getProperty(NAME) != null) {
            return; // the application chose the file: sqlite-jdbc's business
        }
        Path cached;
        try {
            cached = cached();
        } catch (IOException | RuntimeException e) {
            LOG.debug("SQLite's native library not loaded from the cache; sqlite-jdbc loads it", e);
            return;
        }
        if (cached == null) {
            return;
        }
        System.setProperty(PATH, cached.getParent().toString());
        System.setProperty(NAME, cached.getFileName().toString());
        try {
            SQLiteJDBCLoader.initialize(); // loads the copy; if that fails, sqlite-jdbc's own way
        } catch (Exception e) {
            LOG.debug("sqlite-jdbc did not initialise here; its first connection will say why", e);
        } finally {
            System.clearProperty(PATH);
            System.clearProperty(NAME);
        }
    }

    /** The verified copy of the library sqlite-jdbc wants here, or null when in doubt. */
    private static Path cached() throws IOException {
        String note = "sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + ".resource";
        String resource = LibraryCache.note(note);
        if (resource == null || !resource.startsWith(RESOURCE_ROOT)) {
            // sqlite-jdbc's own choice (os, architecture, musl or glibc, Android), once
            resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
            if (!resource.startsWith(RESOURCE_ROOT)) {
                return null;
            }
            LibraryCache.keepNote(note, resource);
        }
        return LibraryCache.copyOf(SQLiteJDBCLoader.class, resource, "SQLite's native library");
    }
}
