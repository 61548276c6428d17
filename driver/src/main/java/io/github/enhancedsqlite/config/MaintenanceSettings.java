package io.github.enhancedsqlite.config;

/**
 * The background work of a database file's pool.
 *
 * @param intervalMillis             time between passive checkpoints (0: no background maintenance)
 * @param checkpointEveryWriterTurns writer turns between the checkpoints writers ask for: an eighth of
 *                                   {@code wal_autocheckpoint} (a write adds at least one page to the WAL), so
 *                                   SQLite's own checkpoint, which runs while a writer holds the turn, finds at most
 *                                   about an eighth of the WAL left to copy and sync; 0 when automatic checkpoints
 *                                   are off or the pragma is not set
 * @param restartWalAtFrames         WAL frames (pages) at which the background checkpoint starts the WAL over from its
 *                                   beginning, holding this JVM's writers back for the moment that takes, so readers
 *                                   that never pause cannot make it grow without bound: {@code wal_autocheckpoint};
 *                                   0 when automatic checkpoints are off, or when a replication tool owns checkpoints
 */
public record MaintenanceSettings(long intervalMillis, int checkpointEveryWriterTurns, int restartWalAtFrames) {

    /** Whether the background checkpoint keeps the WAL bounded (see {@link #restartWalAtFrames}). */
    public boolean boundsWal() {
        return restartWalAtFrames > 0;
    }
}
