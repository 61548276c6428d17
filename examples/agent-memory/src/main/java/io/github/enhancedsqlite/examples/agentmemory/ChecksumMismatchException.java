package io.github.enhancedsqlite.examples.agentmemory;

/** A stored value no longer matches the checksum written with it: it was changed outside the store, or damaged. */
public final class ChecksumMismatchException extends MemoryStoreException {

    private static final long serialVersionUID = 1L;

    public ChecksumMismatchException(long id, String namespace, String key, String stored, String computed) {
        super("entry " + namespace + "/" + key + " (id " + id + ") fails its checksum: stored SHA-256 " + stored
                + ", value hashes to " + computed + "; the value was changed outside the store or is damaged");
    }
}
