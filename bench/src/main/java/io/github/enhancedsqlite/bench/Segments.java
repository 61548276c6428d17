package io.github.enhancedsqlite.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixed-duration load on two or more sides, cut into short segments that take turns, as {@link PairedRounds}
 * does for single-thread timing: on this shared 2-core machine a neighbour's burst lasts seconds, so one long
 * stretch per side would hand the burst to whichever side ran then. The side that starts rotates each segment.
 * Throughput is judged on the median over segments of the ratio of two segments run back to back; latencies
 * and errors are pooled over all measured segments.
 */
final class Segments {

    /** One side: its pool and the unit its threads repeat. */
    record Side(String label, PooledDatabase database, CounterWork work) {
    }

    /** How long to load: a warm-up stretch per side (JIT, pool, page cache; not reported) and the segments. */
    record Plan(int threads, long warmupNanos, int segments, long segmentNanos) {

        String describe() {
            return threads + " threads; " + (warmupNanos / 1_000_000_000.0) + " s warm-up per side, then "
                    + segments + " segments of " + (segmentNanos / 1_000_000_000.0)
                    + " s per side taking turns, the first side rotating";
        }
    }

    /** A side's measured segments pooled, plus every success including warm-up (what the file must add up to). */
    static final class Tally {

        final Side side;
        final double[] perSecond;
        final ErrorCounts errors = new ErrorCounts();
        final List<Latencies.Log> logs = new ArrayList<>();
        long successes;
        long attempts;
        long successesIncludingWarmup;
        long gcMillis;
        private Latencies latencies;

        Tally(Side side, int segments) {
            this.side = side;
            this.perSecond = new double[segments];
        }

        void add(int segment, LoadResult result, long gcMillisDuring) {
            perSecond[segment] = result.perSecond();
            errors.addAll(result.errors());
            logs.addAll(result.latencies());
            successes += result.successes();
            attempts += result.attempts();
            successesIncludingWarmup += result.successes();
            gcMillis += gcMillisDuring;
        }

        Latencies latencies(long epochNanos) {
            if (latencies == null) {
                latencies = Latencies.merge(logs, epochNanos);
            }
            return latencies;
        }

        /** Median over segments of this side's throughput divided by {@code other}'s in the same segment. */
        double[] ratiosTo(Tally other) {
            double[] ratios = new double[perSecond.length];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = perSecond[i] / other.perSecond[i];
            }
            return ratios;
        }
    }

    private Segments() {
    }

    static List<Tally> run(List<Side> sides, Plan plan) throws InterruptedException {
        List<Tally> tallies = new ArrayList<>();
        for (Side side : sides) {
            tallies.add(new Tally(side, plan.segments()));
        }
        for (Tally tally : tallies) {
            LoadResult warmup = ConcurrentLoad.forDuration(tally.side.database().dataSource(), tally.side.work(),
                    plan.threads(), plan.warmupNanos(), -1);
            tally.successesIncludingWarmup += warmup.successes();
        }
        for (int segment = 0; segment < plan.segments(); segment++) {
            for (int k = 0; k < tallies.size(); k++) {
                Tally tally = tallies.get((segment + k) % tallies.size());
                long gcBefore = gcMillis();
                // the same seed for every side in a segment: each side's threads pick the same counters
                LoadResult result = ConcurrentLoad.forDuration(tally.side.database().dataSource(), tally.side.work(),
                        plan.threads(), plan.segmentNanos(), segment);
                tally.add(segment, result, gcMillis() - gcBefore);
            }
        }
        return tallies;
    }

    /** Total collection time of all collectors so far: a pause inside a segment shows up in its latencies. */
    static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
