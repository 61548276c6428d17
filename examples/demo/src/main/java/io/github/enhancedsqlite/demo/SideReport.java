package io.github.enhancedsqlite.demo;

import java.util.Map;

/**
 * Everything measured on one side of the comparison.
 *
 * @param title           column heading
 * @param url             the JDBC URL the app used
 * @param pragmas         effective pragma values read back on a connection, raw
 * @param workload        the measured (timed) part
 * @param errors          failed operations by kind over all phases (warm-up, measured, ledger)
 * @param ledger          the deterministic write check
 * @param rowsAtEnd       rows in memory_entries after all phases
 * @param quickCheck      {@code PRAGMA quick_check} result, "ok" when the file is sound
 * @param beforeShutdown  files while the app still runs
 * @param afterShutdown   files once the app has shut down
 */
record SideReport(String title, String url, Map<String, String> pragmas, AgentMemoryWorkload.Result workload,
                  Map<String, Long> errors, Ledger.Check ledger, long rowsAtEnd, String quickCheck,
                  FileState beforeShutdown, FileState afterShutdown) {

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
