package io.github.enhancedsqlite.examples.agentmemory;

/** An agent tried what the entry's access level keeps for its owner. */
public final class AccessDeniedException extends MemoryStoreException {

    private static final long serialVersionUID = 1L;

    public AccessDeniedException(String message) {
        super(message);
    }
}
