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

    /**
     * transaction_mode=DEFERRED (the default): a transaction that begins with a read begins as a reader, without the
     * writer turn, and takes the turn at its first write. IMMEDIATE and EXCLUSIVE take the turn at the first statement.
     */
    public boolean readersFirst() {
        return beginStatement.equals("BEGIN DEFERRED");
    }
}
