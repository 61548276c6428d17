package io.github.enhancedsqlite.metrics;

import com.zaxxer.hikari.HikariPoolMXBean;
import io.github.enhancedsqlite.DatabaseMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongBinaryOperator;

/**
 * The figures of one database, counted where things happen: the writer gate, busy retry, transactions,
 * compression, maintenance and the slow-statement log each get this one object and bump a counter. Counting is a
 * {@link LongAdder} increment: no lock, no allocation, no contention between the threads that count. Reading
 * (JMX, Micrometer) sums the adders.
 */
public final class DatabaseMetrics implements DatabaseMXBean {

    private final String database;
    private final LongAdder writerWaits = new LongAdder();
    private final LongAdder writerWaitNanos = new LongAdder();
    private final LongAccumulator writerWaitNanosMax = new LongAccumulator(Max.INSTANCE, 0);
    private final LongAdder processWriterWaits = new LongAdder();
    private final LongAdder busyRetries = new LongAdder();
    private final LongAdder busyRollbacks = new LongAdder();
    private final LongAdder transactionReplays = new LongAdder();
    private final LongAdder compressedValues = new LongAdder();
    private final LongAdder compressionBytesIn = new LongAdder();
    private final LongAdder compressionBytesOut = new LongAdder();
    private final LongAdder rewrittenStatements = new LongAdder();
    private final LongAdder dictionaryTrainings = new LongAdder();
    private final LongAdder checkpoints = new LongAdder();
    private final LongAdder checkpointedPages = new LongAdder();
    private final LongAdder optimizeRuns = new LongAdder();
    private final LongAdder slowStatements = new LongAdder();
    /** The pool's own figures; null until a pool attaches (never, for private in-memory databases). */
    private volatile HikariPoolMXBean pool;

    public DatabaseMetrics(String database) {
        this.database = database;
    }

    public void attachPool(HikariPoolMXBean pool) {
        this.pool = pool;
    }

    public void writerWaited(long nanos) {
        writerWaits.increment();
        writerWaitNanos.add(nanos);
        writerWaitNanosMax.accumulate(nanos);
    }

    public void waitedForAnotherProcess() {
        processWriterWaits.increment();
    }

    public void busyRetried() {
        busyRetries.increment();
    }

    public void busyRolledBack() {
        busyRollbacks.increment();
    }

    public void transactionReplayed() {
        transactionReplays.increment();
    }

    public void compressed(int bytesIn, int bytesOut) {
        compressedValues.increment();
        compressionBytesIn.add(bytesIn);
        compressionBytesOut.add(bytesOut);
    }

    public void statementRewritten() {
        rewrittenStatements.increment();
    }

    public void dictionaryTrained() {
        dictionaryTrainings.increment();
    }

    public void checkpointed(long pages) {
        checkpoints.increment();
        checkpointedPages.add(pages);
    }

    public void optimized() {
        optimizeRuns.increment();
    }

    public void slowStatement() {
        slowStatements.increment();
    }

    @Override
    public String getDatabase() {
        return database;
    }

    @Override
    public int getActiveConnections() {
        HikariPoolMXBean figures = pool;
        return figures == null ? 0 : figures.getActiveConnections();
    }

    @Override
    public int getIdleConnections() {
        HikariPoolMXBean figures = pool;
        return figures == null ? 0 : figures.getIdleConnections();
    }

    @Override
    public int getTotalConnections() {
        HikariPoolMXBean figures = pool;
        return figures == null ? 0 : figures.getTotalConnections();
    }

    @Override
    public int getThreadsAwaitingConnection() {
        HikariPoolMXBean figures = pool;
        return figures == null ? 0 : figures.getThreadsAwaitingConnection();
    }

    @Override
    public long getWriterWaits() {
        return writerWaits.sum();
    }

    @Override
    public long getWriterWaitMillisTotal() {
        return TimeUnit.NANOSECONDS.toMillis(writerWaitNanos.sum());
    }

    @Override
    public long getWriterWaitMillisMax() {
        return TimeUnit.NANOSECONDS.toMillis(writerWaitNanosMax.get());
    }

    /** The total wait in nanoseconds, for meters that keep the precision. */
    long writerWaitNanosTotal() {
        return writerWaitNanos.sum();
    }

    long writerWaitNanosMax() {
        return writerWaitNanosMax.get();
    }

    @Override
    public long getProcessWriterWaits() {
        return processWriterWaits.sum();
    }

    @Override
    public long getBusyRetries() {
        return busyRetries.sum();
    }

    @Override
    public long getBusyRollbacks() {
        return busyRollbacks.sum();
    }

    @Override
    public long getTransactionReplays() {
        return transactionReplays.sum();
    }

    @Override
    public long getCompressedValues() {
        return compressedValues.sum();
    }

    @Override
    public long getCompressionBytesIn() {
        return compressionBytesIn.sum();
    }

    @Override
    public long getCompressionBytesOut() {
        return compressionBytesOut.sum();
    }

    @Override
    public double getCompressionRatio() {
        long out = compressionBytesOut.sum();
        return out == 0 ? 0 : (double) compressionBytesIn.sum() / out;
    }

    @Override
    public long getRewrittenStatements() {
        return rewrittenStatements.sum();
    }

    @Override
    public long getDictionaryTrainings() {
        return dictionaryTrainings.sum();
    }

    @Override
    public long getCheckpoints() {
        return checkpoints.sum();
    }

    @Override
    public long getCheckpointedPages() {
        return checkpointedPages.sum();
    }

    @Override
    public long getOptimizeRuns() {
        return optimizeRuns.sum();
    }

    @Override
    public long getSlowStatements() {
        return slowStatements.sum();
    }

    @Override
    public String toString() {
        return "metrics of " + database;
    }

    /** The larger of two: a named class, not {@code Math::max} (docs/ARCHITECTURE.md, "Start-up cost"). */
    private static final class Max implements LongBinaryOperator {
        static final Max INSTANCE = new Max();

        @Override
        public long applyAsLong(long left, long right) {
            return Math.max(left, right);
        }
    }
}
