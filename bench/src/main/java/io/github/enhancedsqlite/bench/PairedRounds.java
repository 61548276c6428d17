package io.github.enhancedsqlite.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Times two (or more) trials in interleaved rounds on this shared, noisy machine: raw and enhanced alternate round
 * by round (raw first in even rounds, enhanced first in odd ones, so neither side always runs right after the
 * other's garbage or right after a quiet spell; with more sides, the first one rotates), after warm-up rounds that
 * are thrown away. Each side's operation count
 * per round is tuned during warm-up so a round lasts about the planned time whatever the operation costs, and is
 * then fixed for all measured rounds.
 */
final class PairedRounds {

    /** The probe stops doubling once a batch takes this long; below it, timer and scheduling noise dominate. */
    private static final long PROBE_NANOS = 20_000_000L;

    /** Between warm-up rounds an operation count grows at most this much, so one lucky fast batch cannot set it. */
    private static final int MAX_GROWTH = 10;

    private PairedRounds() {
    }

    static Comparison measure(RoundPlan plan, Trial raw, Trial enhanced) throws Exception {
        double[][] samples = measureAll(plan, List.of(raw, enhanced));
        return new Comparison(samples[0], samples[1]);
    }

    /**
     * The same for any number of sides, e.g. raw sqlite-jdbc, compression off and compression on: per round every
     * side runs once, side {@code round % n} first and the others after it in turn, so each side leads equally
     * often. Returns nanoseconds per operation, {@code [side][round]}.
     */
    static double[][] measureAll(RoundPlan plan, List<Trial> trials) throws Exception {
        List<Side> sides = new ArrayList<>();
        for (Trial trial : trials) {
            sides.add(new Side(trial, plan.roundNanos()));
        }
        for (Side side : sides) {
            side.probe();
        }
        for (int round = 0; round < plan.warmupRounds(); round++) {
            for (int side : order(round, sides.size())) {
                sides.get(side).retune(sides.get(side).round());
            }
        }
        double[][] samples = new double[sides.size()][plan.measuredRounds()];
        for (int round = 0; round < plan.measuredRounds(); round++) {
            for (int side : order(round, sides.size())) {
                samples[side][round] = sides.get(side).round();
            }
        }
        return samples;
    }

    /** The order in which {@code sides} sides run in a round: a rotation starting at {@code round % sides}. */
    static int[] order(int round, int sides) {
        int[] order = new int[sides];
        for (int i = 0; i < sides; i++) {
            order[i] = (round + i) % sides;
        }
        return order;
    }

    /** One side's trial with its current operation count per round. */
    private static final class Side {

        private final Trial trial;
        private final long roundNanos;
        private int opsPerRound = 1;

        Side(Trial trial, long roundNanos) {
            this.trial = trial;
            this.roundNanos = roundNanos;
        }

        /** Runs one round; returns nanoseconds per operation. */
        double round() throws Exception {
            long start = System.nanoTime();
            trial.run(opsPerRound);
            return (System.nanoTime() - start) / (double) opsPerRound;
        }

        /** First estimate of the cost: double the batch until it takes long enough to time. */
        void probe() throws Exception {
            long probeNanos = Math.min(PROBE_NANOS, roundNanos / 4);
            int ops = 1;
            while (true) {
                long start = System.nanoTime();
                trial.run(ops);
                long elapsed = System.nanoTime() - start;
                if (elapsed >= probeNanos || ops >= Integer.MAX_VALUE / 2) {
                    opsPerRound = ops;
                    retune(elapsed / (double) ops);
                    return;
                }
                ops *= 2;
            }
        }

        void retune(double nanosPerOp) {
            double wanted = roundNanos / Math.max(nanosPerOp, 1.0);
            double ceiling = Math.min((double) opsPerRound * MAX_GROWTH, Integer.MAX_VALUE / 2.0);
            opsPerRound = (int) Math.max(1, Math.min(wanted, ceiling));
        }
    }
}
