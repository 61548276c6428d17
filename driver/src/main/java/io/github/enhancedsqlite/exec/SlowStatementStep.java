package io.github.enhancedsqlite.exec;

import io.github.enhancedsqlite.metrics.SlowStatementLog;
import io.github.enhancedsqlite.metrics.StatementClock;

/**
 * Times each execution from after its writer turn was taken (a wait for the turn is the writer-wait figure, not
 * slowness) and logs one past slowStatementThreshold. Left out of the pipeline when the threshold is 0. A threshold of
 * many clock samples ({@link StatementClock#sampledFor}) is timed on the driver's sampled clock, a shorter one on the
 * clock itself.
 */
final class SlowStatementStep {

    private final SlowStatementLog log;
    private final boolean sampled;

    SlowStatementStep(SlowStatementLog log) {
        this.log = log;
        this.sampled = StatementClock.sampledFor(log.thresholdMillis());
    }

    /** The time a statement starts or ends, on this step's clock. */
    long now() {
        return sampled ? StatementClock.nanoTime() : System.nanoTime();
    }

    /** What the log needs is gathered only for a slow statement. */
    void logIfSlow(StatementCall call, long startedNanos) {
        long took = now() - startedNanos;
        if (log.isSlow(took)) {
            log.log(call.sqlForLog(), took, log.logsParameters() ? call.parametersForLog() : null);
        }
    }
}
