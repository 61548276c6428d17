package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.config.PoolSettings;
import java.sql.SQLTransientConnectionException;

/**
 * What a getConnection that waited {@code connectionTimeout} in vain is told. HikariCP's own message counts only the
 * connections it holds (the pool's first and growth connections are lent outside it, so a pool with all ten lent can
 * read "total=1, active=1") and does not say why none came back; the usual cause behind a driver URL swapped in is
 * code that never closes its connections, which sqlite-jdbc alone never stopped.
 */
final class PoolExhausted {

    private PoolExhausted() {
    }

    /**
     * The exception to throw for HikariCP's timeout: the same type and SQLState, so handlers of it are unchanged,
     * HikariCP's as the cause (for the pool's state it tells; its time is the last turn the borrower waited, see
     * {@code DatabasePool#leaseWaitingOrBeyond}). A timeout HikariCP reports with a cause (opening a connection
     * failed) is another matter, and is returned as it is.
     */
    static SQLTransientConnectionException explain(SQLTransientConnectionException timeout, String database,
                                                   PoolSettings settings, int lentBeyondTheSize) {
        if (timeout.getCause() != null) {
            return timeout;
        }
        String beyond = lentBeyondTheSize == 0 ? "" : ", and so did " + lentBeyondTheSize + " more opened beyond it";
        return new SQLTransientConnectionException("No connection to "
                + database + " came free within connectionTimeout=" + settings.connectionTimeoutMillis()
                + " ms: all " + settings.maximumPoolSize() + " (maximumPoolSize=" + settings.maximumPoolSize()
                + ") stayed borrowed" + beyond + ". A Connection goes back to the pool only at close(): close each one"
                + " (try-with-resources), or raise maximumPoolSize or connectionTimeout in the URL.",
                timeout.getSQLState(), timeout);
    }
}
