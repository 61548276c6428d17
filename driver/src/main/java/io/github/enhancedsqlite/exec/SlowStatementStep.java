package io.github.enhancedsqlite.exec;

import io.github.enhancedsqlite.metrics.SlowStatementLog;

/**
 * Times each execution from after its writer turn was taken (a wait for the turn is the writer-wait figure, not
 * slowness) and logs one past slowStatementThreshold. Left out of the pipeline when the threshold is 0.
 */
final class SlowStatementStep {

    private final SlowStatementLog log;

    SlowStatementStep(SlowStatementLog log) {
        this.log = log;
    }

    /** What the log needs is gathered only for a slow statement. */
    void logIfSlow(StatementCall call, long startedNanos) {
        long took = System.nanoTime() - startedNanos;
        if (log.isSlow(took)) {
            log.log(call.sqlForLog(), took, log.logsParameters() ? call.parametersForLog() : null);
        }
    }
}
