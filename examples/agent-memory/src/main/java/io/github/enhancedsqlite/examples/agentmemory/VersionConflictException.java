package io.github.enhancedsqlite.examples.agentmemory;

/**
 * An update named the version it expected to replace, and the entry has another: someone wrote in between.
 * Read the entry again, redo the change on what it holds now, and store with the new version.
 */
public final class VersionConflictException extends MemoryStoreException {

    private static final long serialVersionUID = 1L;

    private final long expectedVersion;
    private final long actualVersion;

    public VersionConflictException(String namespace, String key, long expectedVersion, long actualVersion) {
        super("entry " + namespace + "/" + key + " is at version " + describe(actualVersion) + ", not at version "
                + describe(expectedVersion) + " as the update expected; read it again and retry the change");
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    private static String describe(long version) {
        return version == MemoryStore.ABSENT ? "0 (absent)" : Long.toString(version);
    }

    public long expectedVersion() {
        return expectedVersion;
    }

    /** The entry's current version, {@link MemoryStore#ABSENT} when it does not exist. */
    public long actualVersion() {
        return actualVersion;
    }
}
