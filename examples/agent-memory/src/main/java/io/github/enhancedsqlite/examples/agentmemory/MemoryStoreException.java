package io.github.enhancedsqlite.examples.agentmemory;

/** A rule of the store was broken (access, version, checksum); database failures stay {@link java.sql.SQLException}. */
public class MemoryStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MemoryStoreException(String message) {
        super(message);
    }
}
