package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.jdbc.PhysicalConnection;

/**
 * Connections a pool lends itself, outside HikariCP (the first, growth connections, ones beyond the size):
 * where such a lease's connection goes back when the lease ends.
 */
interface OwnConnections {

    /** The lease of {@code connection} ended; {@code evicted} when it must not be lent again. */
    void giveBack(PhysicalConnection connection, boolean evicted);
}
