package io.github.enhancedsqlite.config;

/**
 * How the pool of one database is sized and lends.
 *
 * @param maximumPoolSize         most physical connections open at once
 * @param minimumIdle             idle connections kept ready (maximumPoolSize unless given: a fixed-size pool)
 * @param connectionTimeoutMillis how long getConnection waits for a free connection
 * @param statementCacheSize      compiled statements each physical connection keeps (0: none)
 * @param idleTimeoutMillis       how long the pool may go with nothing borrowed before it closes (0: never)
 * @param maxIdlePools            idle pools the JVM keeps open when this one opens
 */
public record PoolSettings(int maximumPoolSize, int minimumIdle, long connectionTimeoutMillis,
                           int statementCacheSize, long idleTimeoutMillis, int maxIdlePools) {
}
