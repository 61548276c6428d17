package io.github.enhancedsqlite.tx;

/**
 * What the transaction machinery of one database needs from its settings.
 *
 * @param database                 the database's name in messages
 * @param beginStatement           how a transaction that may write begins, e.g. {@code BEGIN IMMEDIATE}
 * @param writerTimeoutMillis      how long a writer waits for its turn before failing
 * @param transactionTimeoutMillis how long a transaction may stay open before it is rolled back (0: forever)
 */
public record TransactionSettings(String database, String beginStatement, long writerTimeoutMillis,
                                  long transactionTimeoutMillis) {
}
