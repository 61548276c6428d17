package io.github.enhancedsqlite.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.TimeGauge;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The databases' figures as Micrometer meters, tagged {@code db=<path>}: gauges for the pool, function counters and
 * a function timer that read the same counters JMX shows (nothing is counted twice). Meters go to Micrometer's
 * global registry unless {@link #useRegistry} names another. Besides the application's entry point
 * ({@code io.github.enhancedsqlite.micrometer.MicrometerMetrics}), this is the only class of the driver that names a
 * Micrometer type; it is loaded only when Micrometer is on the class path, so the driver runs without it. It stays
 * internal because the pool binds and unbinds through it.
 */
public final class MicrometerMeters {

    public static final String TAG = "db";

    /** Meters registered per open database, so closing its pool removes exactly them. */
    private static final Map<DatabaseMetrics, List<Meter>> BOUND = new IdentityHashMap<>();
    private static MeterRegistry chosen;

    private MicrometerMeters() {
    }

    /**
     * Publishes to {@code registry} instead of {@code Metrics.globalRegistry} (for example the registry of a Spring
     * application context). Databases already open move their meters there; null goes back to the global registry.
     */
    public static synchronized void useRegistry(MeterRegistry registry) {
        MeterRegistry previous = registry();
        chosen = registry;
        for (Map.Entry<DatabaseMetrics, List<Meter>> entry : BOUND.entrySet()) {
            for (Meter meter : entry.getValue()) {
                previous.remove(meter);
            }
            entry.setValue(register(entry.getKey(), registry()));
        }
    }

    /** The registry meters go to now. */
    public static synchronized MeterRegistry registry() {
        return chosen != null ? chosen : Metrics.globalRegistry;
    }

    static synchronized void bind(DatabaseMetrics metrics) {
        BOUND.put(metrics, register(metrics, registry()));
    }

    static synchronized void unbind(DatabaseMetrics metrics) {
        List<Meter> meters = BOUND.remove(metrics);
        if (meters != null) {
            MeterRegistry registry = registry();
            for (Meter meter : meters) {
                registry.remove(meter);
            }
        }
    }

    private static List<Meter> register(DatabaseMetrics metrics, MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        String db = metrics.getDatabase();
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge(registry, db, metrics, "enhancedsqlite.connections.active", "pooled connections lent out",
                Figure.ACTIVE_CONNECTIONS));
        meters.add(gauge(registry, db, metrics, "enhancedsqlite.connections.idle", "pooled connections idle",
                Figure.IDLE_CONNECTIONS));
        meters.add(gauge(registry, db, metrics, "enhancedsqlite.connections.total", "pooled connections open",
                Figure.TOTAL_CONNECTIONS));
        meters.add(gauge(registry, db, metrics, "enhancedsqlite.connections.pending",
                "threads waiting for a pooled connection", Figure.THREADS_AWAITING_CONNECTION));
        meters.add(FunctionTimer.builder("enhancedsqlite.writer.waits", metrics, Figure.WRITER_WAITS,
                        Figure.WRITER_WAIT_NANOS_TOTAL, TimeUnit.NANOSECONDS)
                .description("writers that waited for the writer turn, and how long").tag(TAG, db).register(registry));
        meters.add(TimeGauge.builder("enhancedsqlite.writer.wait.max", metrics, TimeUnit.NANOSECONDS,
                        Figure.WRITER_WAIT_NANOS_MAX)
                .description("longest wait for the writer turn").tag(TAG, db).register(registry));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.writer.process.waits", null,
                "writer turns that waited in the kernel for a writer of another process",
                Figure.PROCESS_WRITER_WAITS));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.busy.retries", null,
                "statements, BEGINs and COMMITs run again because the database was busy",
                Figure.BUSY_RETRIES));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.busy.rollbacks", null,
                "transactions rolled back with SQLState 40001", Figure.BUSY_ROLLBACKS));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.transaction.replays", null,
                "units of work inTransaction ran again", Figure.TRANSACTION_REPLAYS));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.compression.values", null,
                "values stored compressed", Figure.COMPRESSED_VALUES));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.compression.bytes.in", "bytes",
                "bytes of values before compression", Figure.COMPRESSION_BYTES_IN));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.compression.bytes.out", "bytes",
                "bytes of compressed values as stored", Figure.COMPRESSION_BYTES_OUT));
        meters.add(gauge(registry, db, metrics, "enhancedsqlite.compression.ratio", "bytes in / bytes out",
                Figure.COMPRESSION_RATIO));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.statements.rewritten", null,
                "statements rewritten to read compressed columns", Figure.REWRITTEN_STATEMENTS));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.dictionary.trainings", null,
                "zstd dictionaries trained in the background", Figure.DICTIONARY_TRAININGS));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.statements.slow", null,
                "statements slower than slowStatementThreshold", Figure.SLOW_STATEMENTS));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.checkpoints", null,
                "passive WAL checkpoints run by maintenance", Figure.CHECKPOINTS));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.checkpoint.pages", "pages",
                "WAL pages copied back by those checkpoints", Figure.CHECKPOINTED_PAGES));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.optimize.runs", null,
                "PRAGMA optimize runs by maintenance", Figure.OPTIMIZE_RUNS));
        return meters;
    }

    private static Meter gauge(MeterRegistry registry, String db, DatabaseMetrics metrics, String name,
                               String description, ToDoubleFunction<DatabaseMetrics> value) {
        return Gauge.builder(name, metrics, value).description(description).tag(TAG, db).register(registry);
    }

    private static Meter counter(MeterRegistry registry, String db, DatabaseMetrics metrics, String name,
                                 String baseUnit, String description, ToDoubleFunction<DatabaseMetrics> count) {
        return FunctionCounter.builder(name, metrics, count).baseUnit(baseUnit).description(description)
                .tag(TAG, db).register(registry);
    }

    /**
     * One figure of a database, as a meter reads it. One small class for every figure rather than a method reference
     * each: the meters are bound as a pool opens, in a process that may live a second (docs/ARCHITECTURE.md,
     * "Start-up cost").
     */
    private static final class Figure implements ToDoubleFunction<DatabaseMetrics>, ToLongFunction<DatabaseMetrics> {
        static final Figure ACTIVE_CONNECTIONS = new Figure(0);
        static final Figure IDLE_CONNECTIONS = new Figure(1);
        static final Figure TOTAL_CONNECTIONS = new Figure(2);
        static final Figure THREADS_AWAITING_CONNECTION = new Figure(3);
        static final Figure WRITER_WAITS = new Figure(4);
        static final Figure WRITER_WAIT_NANOS_TOTAL = new Figure(5);
        static final Figure WRITER_WAIT_NANOS_MAX = new Figure(6);
        static final Figure PROCESS_WRITER_WAITS = new Figure(7);
        static final Figure BUSY_RETRIES = new Figure(8);
        static final Figure BUSY_ROLLBACKS = new Figure(9);
        static final Figure TRANSACTION_REPLAYS = new Figure(10);
        static final Figure COMPRESSED_VALUES = new Figure(11);
        static final Figure COMPRESSION_BYTES_IN = new Figure(12);
        static final Figure COMPRESSION_BYTES_OUT = new Figure(13);
        static final Figure COMPRESSION_RATIO = new Figure(14);
        static final Figure REWRITTEN_STATEMENTS = new Figure(15);
        static final Figure DICTIONARY_TRAININGS = new Figure(16);
        static final Figure SLOW_STATEMENTS = new Figure(17);
        static final Figure CHECKPOINTS = new Figure(18);
        static final Figure CHECKPOINTED_PAGES = new Figure(19);
        static final Figure OPTIMIZE_RUNS = new Figure(20);

        private final int which;

        private Figure(int which) {
            this.which = which;
        }

        @Override
        public double applyAsDouble(DatabaseMetrics metrics) {
            switch (which) {
                case 0:
                    return metrics.getActiveConnections();
                case 1:
                    return metrics.getIdleConnections();
                case 2:
                    return metrics.getTotalConnections();
                case 3:
                    return metrics.getThreadsAwaitingConnection();
                case 4:
                    return metrics.getWriterWaits();
                case 5:
                    return metrics.writerWaitNanosTotal();
                case 6:
                    return metrics.writerWaitNanosMax();
                case 7:
                    return metrics.getProcessWriterWaits();
                case 8:
                    return metrics.getBusyRetries();
                case 9:
                    return metrics.getBusyRollbacks();
                case 10:
                    return metrics.getTransactionReplays();
                case 11:
                    return metrics.getCompressedValues();
                case 12:
                    return metrics.getCompressionBytesIn();
                case 13:
                    return metrics.getCompressionBytesOut();
                case 14:
                    return metrics.getCompressionRatio();
                case 15:
                    return metrics.getRewrittenStatements();
                case 16:
                    return metrics.getDictionaryTrainings();
                case 17:
                    return metrics.getSlowStatements();
                case 18:
                    return metrics.getCheckpoints();
                case 19:
                    return metrics.getCheckpointedPages();
                case 20:
                    return metrics.getOptimizeRuns();
                default:
                    throw new IllegalStateException("no figure " + which);
            }
        }

        /** For the writer waits' count (a FunctionTimer reads it as a long). */
        @Override
        public long applyAsLong(DatabaseMetrics metrics) {
            return (long) applyAsDouble(metrics);
        }
    }
}
