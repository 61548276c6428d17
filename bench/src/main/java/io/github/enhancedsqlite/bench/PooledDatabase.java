package io.github.enhancedsqlite.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.io.Closeable;
import java.io.IOException;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One side's pooled DataSource, chosen by URL: raw sqlite-jdbc under HikariCP (how a server application uses
 * sqlite-jdbc today, and the fair peer of a pooled driver), or the enhanced driver's own DataSource with its
 * default settings. Both are borrowed from once per operation, as a request handler would.
 */
final class PooledDatabase implements AutoCloseable {

    /** HikariCP's size for the raw side: the enhanced driver's default pool size, so neither side has more connections. */
    static final int RAW_POOL_SIZE = 10;

    private final String url;
    private final DataSource dataSource;

    private PooledDatabase(String url, DataSource dataSource) {
        this.url = url;
        this.dataSource = dataSource;
    }

    static PooledDatabase open(String url) {
        if (url.startsWith(Workspace.ENHANCED_PREFIX)) {
            return new PooledDatabase(url, new EnhancedSqliteDataSource(url));
        }
        if (!url.startsWith(Workspace.RAW_PREFIX)) {
            throw new IllegalArgumentException("neither a raw nor an enhanced SQLite URL: " + url);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(RAW_POOL_SIZE);
        config.setPoolName("raw-sqlite-jdbc");
        return new PooledDatabase(url, new HikariDataSource(config));
    }

    String url() {
        return url;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Closes the pool; the enhanced one checkpoints its WAL on the way. */
    @Override
    public void close() throws SQLException {
        try {
            ((Closeable) dataSource).close();
        } catch (IOException e) {
            throw new SQLException("could not close the pool of " + url, e);
        }
    }
}
