package io.github.enhancedsqlite.bench;

import java.util.List;

/**
 * What a group of threads did in one timed stretch: units that succeeded, times the driver ran them (replays
 * included), failures by kind, each success's latency, and the wall time from the common start to the last
 * thread's end (a unit still running at the deadline finishes and counts, so a long wait is not hidden).
 */
record LoadResult(long successes, long attempts, ErrorCounts errors, List<Latencies.Log> latencies, long elapsedNanos) {

    LoadResult {
        latencies = List.copyOf(latencies);
    }

    double perSecond() {
        return successes / (elapsedNanos / 1e9);
    }
}
