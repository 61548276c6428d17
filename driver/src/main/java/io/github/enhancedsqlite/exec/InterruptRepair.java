package io.github.enhancedsqlite.exec;

/** Whoever can repair a connection after SQLITE_INTERRUPT (see {@link #afterInterrupt()}). */
public interface InterruptRepair {

    /**
     * An execution or a call was interrupted: SQLite (3.54) goes on interrupting every new statement of the
     * connection until the statements that had run are finalized, so the connection's statements must be renewed.
     */
    void afterInterrupt();
}
