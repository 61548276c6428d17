package io.github.enhancedsqlite;

/**
 * What JMX shows of one open database, as {@code io.github.enhancedsqlite:type=Database,name="<path>"}. Counters
 * count since the pool opened; times are milliseconds. Also reachable from a connection of the database with
 * {@code connection.unwrap(DatabaseMXBean.class)}.
 */
public interface DatabaseMXBean {

    /** The canonical path (or shared-memory URI) of the database. */
    String getDatabase();

    /** Pooled connections lent out now. */
    int getActiveConnections();

    /** Pooled connections open and waiting to be lent. */
    int getIdleConnections();

    /** Pooled connections open, lent or idle. */
    int getTotalConnections();

    /** Threads waiting for a pooled connection now. */
    int getThreadsAwaitingConnection();

    /** Writers that had to wait in this JVM for the writer turn (a writer that found it free is not counted). */
    long getWriterWaits();

    /** Milliseconds those writers waited, together. */
    long getWriterWaitMillisTotal();

    /** The longest single wait for the writer turn, in milliseconds. */
    long getWriterWaitMillisMax();

    /**
     * Times this process's writers waited in the kernel for the writer turn because a writer of another process on
     * the same file held it or was queued ahead (the cross-process writer queue).
     */
    long getProcessWriterWaits();

    /** Times an auto-commit statement, BEGIN or COMMIT ran again because another process held the database busy. */
    long getBusyRetries();

    /** Transactions rolled back with SQLState 40001 because the database stayed busy. */
    long getBusyRollbacks();

    /** Units of work {@code EnhancedSqlite.inTransaction} ran again after such a rollback. */
    long getTransactionReplays();

    /** Values stored compressed. */
    long getCompressedValues();

    /** Bytes of the values stored compressed, before compression. */
    long getCompressionBytesIn();

    /** Bytes those values take as stored. */
    long getCompressionBytesOut();

    /** bytes in / bytes out; 0 before any value was compressed. */
    double getCompressionRatio();

    /** Statements whose SQL was rewritten to read compressed columns (counted each time one is prepared or run). */
    long getRewrittenStatements();

    /**
     * zstd dictionaries trained in the background, adopted or not: each one reads and trains from up to 4 MiB of a
     * column's values.
     */
    long getDictionaryTrainings();

    /** Passive WAL checkpoints the background maintenance ran. */
    long getCheckpoints();

    /** WAL pages those checkpoints copied back into the database file. */
    long getCheckpointedPages();

    /** {@code PRAGMA optimize} runs of the background maintenance. */
    long getOptimizeRuns();

    /** Statements that ran longer than {@code slowStatementThreshold}. */
    long getSlowStatements();
}
