package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.config.DatabaseConfig;
import io.github.enhancedsqlite.jdbc.ConnectionWrapper;
import io.github.enhancedsqlite.jdbc.PhysicalConnection;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * {@code :memory:}, the empty path, or a non-shared memory URI: sqlite-jdbc gives every getConnection its own
 * new database, and so do we. Pooling would make unrelated callers share tables, so nothing is pooled.
 */
final class PrivateMemorySource implements ConnectionSource {

    private final DatabaseConfig config;
    private final PhysicalConnectionFactory factory;

    PrivateMemorySource(DatabaseConfig config) throws SQLException {
        this.config = config;
        this.factory = new PhysicalConnectionFactory(config);
    }

    @Override
    public Connection connect() throws SQLException {
        PhysicalConnection physical = factory.open();
        return new ConnectionWrapper(physical, physical, null);
    }

    @Override
    public DatabaseConfig config() {
        return config;
    }

    @Override
    public boolean isClosed() {
        return false;
    }

    /**
     * Each connection is closed by its holder; what they share is the timeout thread, stopped here (a connection
     * that outlives this starts it again, and it ends by itself when idle).
     */
    @Override
    public void close() {
        factory.close();
    }
}
