package io.github.enhancedsqlite;

import io.github.enhancedsqlite.pool.PoolRegistry;
import java.util.List;

/** Static helpers for what a URL cannot express. */
public final class EnhancedSqlite {

    private EnhancedSqlite() {
    }

    /**
     * Closes every pool this JVM opened: the WAL of each database is checkpointed and, where this JVM was
     * its last user, no -wal or -shm file remains. Connections opened afterwards start new pools. Also runs
     * at JVM exit and when the driver is deregistered.
     */
    public static void shutdown() {
        PoolRegistry.instance().closeAll();
    }

    /** Canonical paths (or shared-memory URIs) of the databases this JVM has pools for. */
    public static List<String> openDatabases() {
        return PoolRegistry.instance().openDatabases();
    }
}
