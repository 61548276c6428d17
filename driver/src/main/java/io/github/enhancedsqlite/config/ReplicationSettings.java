package io.github.enhancedsqlite.config;

/**
 * Who else works on the database file's WAL.
 *
 * @param replicator {@link Replicator#LITESTREAM} when Litestream replicates the file: Litestream then owns every
 *                   checkpoint, because a checkpoint it did not take makes it wait, fail its sync or start a new
 *                   generation
 */
public record ReplicationSettings(Replicator replicator) {

    /** The values of the {@code replication} setting. */
    public enum Replicator {
        /** Nobody replicates the file: the driver checkpoints (in the background and when a pool closes). */
        NONE,
        /** Litestream replicates the file and takes every checkpoint; the driver takes none. */
        LITESTREAM
    }

    /**
     * Whether the driver may checkpoint the WAL at all: every checkpoint the driver runs (background, at pool
     * close, any bound on the WAL's size) asks this first.
     */
    public boolean driverCheckpoints() {
        return replicator == Replicator.NONE;
    }
}
