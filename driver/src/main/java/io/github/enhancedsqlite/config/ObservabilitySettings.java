package io.github.enhancedsqlite.config;

/**
 * What the driver logs about statements.
 *
 * @param slowStatementThresholdMillis time from which a statement is logged as slow (0: no slow-statement log)
 * @param logParameters                whether that log shows a prepared statement's bound values
 */
public record ObservabilitySettings(long slowStatementThresholdMillis, boolean logParameters) {
}
