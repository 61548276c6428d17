package io.github.enhancedsqlite.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepared statements of one physical connection, kept after the application closes them. An application that
 * opens a connection, prepares, runs and closes per operation would otherwise make SQLite compile the same SQL
 * every time, which costs more than running it. Least recently used statements are finalized past the limit.
 * Used by the thread holding the connection's lease, and closed by whichever thread closes the connection (an
 * {@code abort} closes it on the executor while the owner may still be renewing statements after the interrupt):
 * hence the monitor, uncontended in the common case.
 */
final class StatementCache {

    private static final Logger LOG = LoggerFactory.getLogger(StatementCache.class);

    private final int capacity;
    private final LinkedHashMap<String, PreparedStatement> idle;

    StatementCache(int capacity) {
        this.capacity = capacity;
        this.idle = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                if (size() > StatementCache.this.capacity) {
                    closeQuietly(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    /** An idle statement for exactly this SQL, now owned by the caller; null when none is cached. */
    synchronized PreparedStatement take(String sql) {
        return capacity == 0 ? null : idle.remove(sql);
    }

    /** Keeps a statement the caller has reset; closes it instead when another one for this SQL is kept already. */
    synchronized void offer(String sql, PreparedStatement statement) {
        if (capacity == 0 || idle.putIfAbsent(sql, statement) != null) {
            closeQuietly(statement);
        }
    }

    synchronized void closeAll() {
        for (PreparedStatement statement : idle.values()) {
            closeQuietly(statement);
        }
        idle.clear();
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            LOG.debug("closing a cached statement failed", e);
        }
    }
}
