package io.github.enhancedsqlite.bench;

/**
 * How long to measure: {@code warmupRounds} interleaved pairs that are thrown away (JIT, pool start, page cache),
 * then {@code measuredRounds} pairs, each side's round lasting about {@code roundMillis}.
 */
record RoundPlan(int warmupRounds, int measuredRounds, int roundMillis) {

    /**
     * About 15 s per two-sided scenario, which keeps a run of all scenarios within a few minutes. Many short
     * rounds rather than few long ones: the two halves of a pair then run closer together, so a neighbour's
     * burst of load more often hits both alike, and the median has more pairs to discard outliers from.
     */
    static final RoundPlan DEFAULT = new RoundPlan(10, 51, 100);

    RoundPlan {
        if (warmupRounds < 1 || measuredRounds < 1 || roundMillis < 10) {
            throw new IllegalArgumentException("need at least 1 warm-up round, 1 measured round and 10 ms per round,"
                    + " got warmup=" + warmupRounds + " rounds=" + measuredRounds + " round-ms=" + roundMillis);
        }
    }

    long roundNanos() {
        return roundMillis * 1_000_000L;
    }
}
