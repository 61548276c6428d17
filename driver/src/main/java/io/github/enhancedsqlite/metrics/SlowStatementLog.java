package io.github.enhancedsqlite.metrics;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs at WARN a statement that ran longer than {@code slowStatementThreshold}, naming its SQL and time. Bound values
 * can hold anything an application stores (personal data, secrets), so they appear only with
 * {@code logParameters=true}. Statements are timed only while the log is on, on {@link StatementClock}.
 */
public final class SlowStatementLog {

    private static final Logger LOG = LoggerFactory.getLogger(SlowStatementLog.class);

    private final String database;
    private final long thresholdNanos;
    private final boolean logParameters;
    private final DatabaseMetrics metrics;

    /**
     * @param thresholdMillis from which a statement is slow; 0 turns the log off
     */
    public SlowStatementLog(String database, long thresholdMillis, boolean logParameters, DatabaseMetrics metrics) {
        this.database = database;
        this.thresholdNanos = TimeUnit.MILLISECONDS.toNanos(thresholdMillis);
        this.logParameters = logParameters;
        this.metrics = metrics;
    }

    public boolean enabled() {
        return thresholdNanos > 0;
    }

    /** From how many milliseconds a statement is slow; 0 when the log is off. */
    public long thresholdMillis() {
        return TimeUnit.NANOSECONDS.toMillis(thresholdNanos);
    }

    public boolean logsParameters() {
        return logParameters;
    }

    /** Whether a statement that ran {@code nanos} is slow; the caller then gathers what {@link #log} needs. */
    public boolean isSlow(long nanos) {
        return thresholdNanos > 0 && nanos > thresholdNanos;
    }

    /**
     * @param parameters the bound values as text, or null; ignored unless logParameters is on
     */
    public void log(String sql, long nanos, String parameters) {
        metrics.slowStatement();
        double millis = nanos / 1_000_000.0;
        if (logParameters && parameters != null) {
            LOG.warn("Slow statement on {}: {} ms (slowStatementThreshold={} ms): {} parameters={}", database,
                    String.format(Locale.ROOT, "%.1f", millis), TimeUnit.NANOSECONDS.toMillis(thresholdNanos), sql, parameters);
        } else {
            LOG.warn("Slow statement on {}: {} ms (slowStatementThreshold={} ms): {}", database,
                    String.format(Locale.ROOT, "%.1f", millis), TimeUnit.NANOSECONDS.toMillis(thresholdNanos), sql);
        }
    }
}
