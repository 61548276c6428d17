package io.github.enhancedsqlite.jdbc;

import java.sql.Connection;

/** Takes a leased connection out of its pool for good, instead of letting close() lend it out again. */
@FunctionalInterface
public interface ConnectionEvictor {

    /** Called while the lease is still held, before it is closed. */
    void evict(Connection leased);

    /** The lease ended (closed or aborted), after it went back to the pool: the pool counts what it has lent. */
    default void returned() {
    }
}
