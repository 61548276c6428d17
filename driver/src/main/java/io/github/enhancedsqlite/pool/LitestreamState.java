package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.compress.StoredFormat;
import io.github.enhancedsqlite.config.ReplicationSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Litestream keeps its state for {@code dir/app.db} in the directory {@code dir/.app.db-litestream}. Finding it
 * while the pool was not told ({@code replication=litestream}) means the driver's checkpoints and Litestream's
 * are about to fight: closes that wait seconds, Litestream's syncs failing with "database is locked", new
 * generations. The pool says so once, when it opens.
 */
final class LitestreamState {

    private static final Logger LOG = LoggerFactory.getLogger(LitestreamState.class);

    private LitestreamState() {
    }

    static void warnIfUnannounced(Path database, ReplicationSettings replication) {
        if (replication.driverCheckpoints() && Files.isDirectory(StoredFormat.litestreamStateDirectory(database))) {
            LOG.warn("{} has Litestream's state directory {} beside it, but replication=litestream is not set:"
                    + " the driver checkpoints the WAL, which makes Litestream's syncs fail and pool closes wait."
                    + " Add replication=litestream to the URL if Litestream replicates this file.",
                    database, StoredFormat.litestreamStateDirectory(database).getFileName());
        }
    }
}
