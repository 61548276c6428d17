package io.github.enhancedsqlite.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every successful operation's latency, with when it started, so the report can give the tail (p99, max) and
 * say whether the slow ones came together — a stall that hit all threads at once (a WAL checkpoint inside a
 * commit, a GC pause, a neighbour taking the CPU) — or one by one (a thread left waiting its turn).
 */
final class Latencies {

    private final long[] sortedDurations;
    /** Start (ns since the epoch given to {@link #merge}) and duration of each op, in start order. */
    private final long[] starts;
    private final long[] durations;

    private Latencies(long[] starts, long[] durations) {
        this.starts = starts;
        this.durations = durations;
        this.sortedDurations = durations.clone();
        Arrays.sort(sortedDurations);
    }

    /** Merges per-thread logs; starts are kept relative to {@code epochNanos} (a System.nanoTime value). */
    static Latencies merge(List<Log> logs, long epochNanos) {
        int total = logs.stream().mapToInt(log -> log.size).sum();
        long[][] pairs = new long[total][];
        int i = 0;
        for (Log log : logs) {
            for (int j = 0; j < log.size; j++) {
                pairs[i++] = new long[] {log.starts[j] - epochNanos, log.durations[j]};
            }
        }
        Arrays.sort(pairs, (a, b) -> Long.compare(a[0], b[0]));
        long[] starts = new long[total];
        long[] durations = new long[total];
        for (int k = 0; k < total; k++) {
            starts[k] = pairs[k][0];
            durations[k] = pairs[k][1];
        }
        return new Latencies(starts, durations);
    }

    int count() {
        return durations.length;
    }

    /** Nearest rank, so p99 is a latency some op really had (interpolating would invent one between two ops). */
    double quantile(double q) {
        if (sortedDurations.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sortedDurations.length) - 1;
        return sortedDurations[Math.max(0, Math.min(rank, sortedDurations.length - 1))];
    }

    double max() {
        return sortedDurations.length == 0 ? Double.NaN : sortedDurations[sortedDurations.length - 1];
    }

    long countAbove(long nanos) {
        long above = 0;
        for (int i = sortedDurations.length - 1; i >= 0 && sortedDurations[i] > nanos; i--) {
            above++;
        }
        return above;
    }

    /** "p50 / p99 / max", each with three significant digits. */
    String describe() {
        if (count() == 0) {
            return "no successful op";
        }
        return Stats.formatNanos(quantile(0.5)) + " / " + Stats.formatNanos(quantile(0.99)) + " / "
                + Stats.formatNanos(max());
    }

    /**
     * The slow ops grouped into episodes (ops whose running times overlap): "3 episodes: at 4.21 s, 5 ops up to
     * 61.0 ms; ...". Many ops in one episode point at a stall of the whole process or database, a lone op at one
     * waiter.
     */
    String describeSlow(long thresholdNanos, int limit) {
        List<long[]> episodes = new ArrayList<>(); // {start, end, ops, longest}
        for (int i = 0; i < durations.length; i++) {
            if (durations[i] <= thresholdNanos) {
                continue;
            }
            long start = starts[i];
            long end = start + durations[i];
            long[] last = episodes.isEmpty() ? null : episodes.get(episodes.size() - 1);
            if (last != null && start <= last[1]) {
                last[1] = Math.max(last[1], end);
                last[2]++;
                last[3] = Math.max(last[3], durations[i]);
            } else {
                episodes.add(new long[] {start, end, 1, durations[i]});
            }
        }
        if (episodes.isEmpty()) {
            return "none over " + Stats.formatNanos(thresholdNanos);
        }
        String shown = episodes.stream()
                .sorted((a, b) -> Long.compare(b[3], a[3]))
                .limit(limit)
                .map(e -> String.format(Locale.ROOT, "at %.2f s %d op%s up to %s", e[0] / 1e9, e[2],
                        e[2] == 1 ? "" : "s", Stats.formatNanos(e[3])))
                .collect(Collectors.joining("; "));
        return countAbove(thresholdNanos) + " ops over " + Stats.formatNanos(thresholdNanos) + " in "
                + episodes.size() + " episode" + (episodes.size() == 1 ? "" : "s") + " (longest first: " + shown
                + (episodes.size() > limit ? "; …" : "") + ")";
    }

    /** One thread's record; grows as needed, so a thread allocates only when its array fills. */
    static final class Log {

        private long[] starts = new long[4_096];
        private long[] durations = new long[4_096];
        private int size;

        void record(long startNanos, long durationNanos) {
            if (size == starts.length) {
                starts = Arrays.copyOf(starts, size * 2);
                durations = Arrays.copyOf(durations, size * 2);
            }
            starts[size] = startNanos;
            durations[size] = durationNanos;
            size++;
        }

        /** For a child process: the pairs, relative to {@code epochNanos}, to be read back by {@link #read}. */
        void write(DataOutputStream out, long epochNanos) throws IOException {
            out.writeInt(size);
            for (int i = 0; i < size; i++) {
                out.writeLong(starts[i] - epochNanos);
                out.writeLong(durations[i]);
            }
        }

        /** Reads what {@link #write} wrote, starts shifted by {@code offsetNanos} (zero epoch afterwards). */
        static Log read(DataInputStream in, long offsetNanos) throws IOException {
            Log log = new Log();
            int size = in.readInt();
            for (int i = 0; i < size; i++) {
                log.record(in.readLong() + offsetNanos, in.readLong());
            }
            return log;
        }
    }
}
