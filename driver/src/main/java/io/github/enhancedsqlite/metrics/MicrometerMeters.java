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
            entry.getValue().forEach(previous::remove);
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
            meters.forEach(registry::remove);
        }
    }

    private static List<Meter> register(DatabaseMetrics metrics, MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        String db = metrics.getDatabase();
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge(registry, db, metrics, "enhancedsqlite.connections.active", "pooled connections lent out",
                DatabaseMetrics::getActiveConnections));
        meters.add(gauge(registry, db, metrics, "enhancedsqlite.connections.idle", "pooled connections idle",
                DatabaseMetrics::getIdleConnections));
        meters.add(gauge(registry, db, metrics, "enhancedsqlite.connections.total", "pooled connections open",
                DatabaseMetrics::getTotalConnections));
        meters.add(gauge(registry, db, metrics, "enhancedsqlite.connections.pending",
                "threads waiting for a pooled connection", DatabaseMetrics::getThreadsAwaitingConnection));
        meters.add(FunctionTimer.builder("enhancedsqlite.writer.waits", metrics, DatabaseMetrics::getWriterWaits,
                        DatabaseMetrics::writerWaitNanosTotal, TimeUnit.NANOSECONDS)
                .description("writers that waited for the writer turn, and how long").tag(TAG, db).register(registry));
        meters.add(TimeGauge.builder("enhancedsqlite.writer.wait.max", metrics, TimeUnit.NANOSECONDS,
                        DatabaseMetrics::writerWaitNanosMax)
                .description("longest wait for the writer turn").tag(TAG, db).register(registry));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.writer.process.waits", null,
                "writer turns that waited in the kernel for a writer of another process",
                DatabaseMetrics::getProcessWriterWaits));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.busy.retries", null,
                "statements, BEGINs and COMMITs run again because the database was busy",
                DatabaseMetrics::getBusyRetries));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.busy.rollbacks", null,
                "transactions rolled back with SQLState 40001", DatabaseMetrics::getBusyRollbacks));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.transaction.replays", null,
                "units of work inTransaction ran again", DatabaseMetrics::getTransactionReplays));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.compression.values", null,
                "values stored compressed", DatabaseMetrics::getCompressedValues));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.compression.bytes.in", "bytes",
                "bytes of values before compression", DatabaseMetrics::getCompressionBytesIn));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.compression.bytes.out", "bytes",
                "bytes of compressed values as stored", DatabaseMetrics::getCompressionBytesOut));
        meters.add(gauge(registry, db, metrics, "enhancedsqlite.compression.ratio", "bytes in / bytes out",
                DatabaseMetrics::getCompressionRatio));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.statements.rewritten", null,
                "statements rewritten to read compressed columns", DatabaseMetrics::getRewrittenStatements));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.dictionary.trainings", null,
                "zstd dictionaries trained in the background", DatabaseMetrics::getDictionaryTrainings));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.statements.slow", null,
                "statements slower than slowStatementThreshold", DatabaseMetrics::getSlowStatements));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.checkpoints", null,
                "passive WAL checkpoints run by maintenance", DatabaseMetrics::getCheckpoints));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.checkpoint.pages", "pages",
                "WAL pages copied back by those checkpoints", DatabaseMetrics::getCheckpointedPages));
        meters.add(counter(registry, db, metrics, "enhancedsqlite.optimize.runs", null,
                "PRAGMA optimize runs by maintenance", DatabaseMetrics::getOptimizeRuns));
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
}
