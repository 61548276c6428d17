package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.config.DatabaseConfig;
import java.sql.Connection;
import java.sql.SQLException;

/** Where the application's connections to one database come from: a pool, or a fresh private database each time. */
public interface ConnectionSource extends AutoCloseable {

    /** A connection the application holds and closes. */
    Connection connect() throws SQLException;

    DatabaseConfig config();

    boolean isClosed();

    /** Closes what this source holds open; it hands out no connection afterwards. */
    @Override
    void close();
}
