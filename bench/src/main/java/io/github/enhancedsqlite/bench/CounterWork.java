package io.github.enhancedsqlite.bench;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The units of work the writer scenarios repeat, each written as an application writes it today: borrow a
 * connection, do the work, close. Neither side retries anything here; whatever the driver does not absorb
 * reaches the caller and is counted as an error.
 */
enum CounterWork {

    AUTOCOMMIT("auto-commit `UPDATE counters SET n = n + 1 WHERE id = ?`") {
        @Override
        int run(DataSource dataSource, int id) throws SQLException {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement increment = connection.prepareStatement(Counters.INCREMENT)) {
                increment.setInt(1, id);
                if (increment.executeUpdate() != 1) {
                    throw new IllegalStateException("counter " + id + " not updated");
                }
            }
            return 1;
        }
    },

    /**
     * Plain JDBC: on raw sqlite-jdbc this is a deferred transaction, so the UPDATE after the SELECT can fail with
     * SQLITE_BUSY or SQLITE_BUSY_SNAPSHOT; that failure is what users see today, so it is counted, not retried.
     */
    TRANSACTION("`setAutoCommit(false)`; `SELECT n`; `UPDATE n = n + 1`; `commit()`; no retry") {
        @Override
        int run(DataSource dataSource, int id) throws SQLException {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    Counters.readThenUpdate(connection, id);
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    try {
                        connection.rollback();
                    } catch (SQLException rollbackFailure) {
                        e.addSuppressed(rollbackFailure);
                    }
                    throw e;
                }
            }
            return 1;
        }
    },

    /** The same unit through the driver's helper, which replays it on SQLState 40001; returns the attempts made. */
    IN_TRANSACTION("the same unit through `EnhancedSqlite.inTransaction` (replays on 40001)") {
        @Override
        int run(DataSource dataSource, int id) throws SQLException {
            int[] attempts = {0};
            EnhancedSqlite.inTransaction(dataSource, connection -> {
                attempts[0]++;
                Counters.readThenUpdate(connection, id);
                return null;
            });
            return attempts[0];
        }
    };

    private final String description;

    CounterWork(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    /**
     * Runs one unit on counter {@code id}; throws what the application would see.
     *
     * @return how many times the unit ran (more than 1 only when the driver replayed it)
     */
    abstract int run(DataSource dataSource, int id) throws SQLException;
}
