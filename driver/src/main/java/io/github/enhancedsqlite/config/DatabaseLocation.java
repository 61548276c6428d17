package io.github.enhancedsqlite.config;

/**
 * Where a URL points, as sqlite-jdbc understands it.
 *
 * @param kind       what sort of database this is; decides pooling
 * @param sqliteUrl  the {@code jdbc:sqlite:} URL for sqlite-jdbc, without any of our keys
 * @param poolKey    identity of the database: the canonical real path of a file, so two spellings of one file
 *                   share one pool; the URI of a shared in-memory database; null for a private one
 */
public record DatabaseLocation(Kind kind, String sqliteUrl, String poolKey) {

    public enum Kind {
        /** A database file on disk. */
        FILE,
        /** {@code :memory:}, the empty path or a non-shared memory URI: every connection is its own database. */
        PRIVATE_MEMORY,
        /** A {@code cache=shared} memory URI: one database for all connections while any stays open. */
        SHARED_MEMORY,
        /** sqlite-jdbc's {@code :resource:} form, a database copied out of the class path. */
        RESOURCE
    }

    public boolean isMemory() {
        return kind == Kind.PRIVATE_MEMORY || kind == Kind.SHARED_MEMORY;
    }

    public boolean isPooled() {
        return kind != Kind.PRIVATE_MEMORY;
    }
}
