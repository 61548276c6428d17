package io.github.enhancedsqlite.config;

/**
 * How writers take their turn, how transactions begin and end, and when a busy database is retried. (The tx
 * package's own {@code tx.TransactionSettings} is the part of this its transaction control needs, with the
 * database's name for messages.)
 *
 * @param beginStatement             how a transaction that may write begins, e.g. {@code BEGIN IMMEDIATE}
 * @param transactionTimeoutMillis   how long a transaction may stay open before it is rolled back (0: forever)
 * @param writerTimeoutMillis        how long a writer waits for its turn before failing
 * @param writerFairnessWindowMillis how long a waiting writer may be overtaken by writers finding the turn free
 * @param busyRetryAttempts          attempts at a statement that may be retried while the database is busy
 * @param busyRetryBackoffMillis     wait before the first retry (it grows, with jitter)
 * @param busyRetryMaxWaitMillis     retrying time after which the busy error is reported
 * @param processQueue               writers of other processes on the file queue with this JVM's in the kernel
 */
public record TransactionSettings(String beginStatement, long transactionTimeoutMillis, long writerTimeoutMillis,
                                  long writerFairnessWindowMillis, int busyRetryAttempts, long busyRetryBackoffMillis,
                                  long busyRetryMaxWaitMillis, boolean processQueue) {
}
