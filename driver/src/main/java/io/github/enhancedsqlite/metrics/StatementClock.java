package io.github.enhancedsqlite.metrics;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The time the slow-statement log reads around every statement. Two {@link System#nanoTime()} calls per statement
 * were 2% of a prepared point read (on a virtual machine the clock is read through the hypervisor's page), so while
 * the driver's timer runs it samples the clock every {@link #TICK_MILLIS} ms and the log reads that sample: a field
 * read. Statements are then timed to within about a tick, which the log can afford only when its threshold is many
 * ticks long ({@link #SAMPLED_FROM_MILLIS}); below that the log keeps reading the clock itself.
 *
 * <p>While nothing samples (no pool open, so the timer stopped), {@link #nanoTime()} reads the clock, so a statement
 * is never timed against a sample that stopped moving. Samples and direct reads come from the same clock: a statement
 * that began on a sample and ended on a direct read (the timer stopped between) is timed at most a tick too long.
 */
public final class StatementClock {

    /** How often the driver's timer samples the clock while it runs. */
    public static final long TICK_MILLIS = 10;
    /** From which slow-statement threshold the log reads the sample: a tick is then at most a tenth of it. */
    public static final long SAMPLED_FROM_MILLIS = 10 * TICK_MILLIS;

    private static final long NOT_SAMPLING = Long.MIN_VALUE;

    /**
     * The last sample of {@link System#nanoTime()}, or {@link #NOT_SAMPLING}. A tick only replaces a sample: one that
     * was still running when its timer stopped cannot bring back a sample nothing advances any more.
     */
    private static final AtomicLong SAMPLE = new AtomicLong(NOT_SAMPLING);

    private StatementClock() {
    }

    /** The last sample while the timer samples, else the clock itself. */
    public static long nanoTime() {
        long sampled = SAMPLE.get();
        return sampled != NOT_SAMPLING ? sampled : System.nanoTime();
    }

    /** Whether the slow-statement log with this threshold reads the sample instead of the clock. */
    public static boolean sampledFor(long thresholdMillis) {
        return thresholdMillis >= SAMPLED_FROM_MILLIS;
    }

    /** The driver's timer starts: it samples from now on. */
    public static void startSampling() {
        SAMPLE.set(System.nanoTime());
    }

    /** Takes a sample; run by the driver's timer every {@link #TICK_MILLIS} ms. */
    public static void tick() {
        long previous = SAMPLE.get();
        if (previous != NOT_SAMPLING) {
            SAMPLE.compareAndSet(previous, System.nanoTime());
        }
    }

    /** The timer stops: readers go back to the clock before the last sample can grow stale. */
    public static void stopSampling() {
        SAMPLE.set(NOT_SAMPLING);
    }

    /** The period of {@link #tick()} in the unit the timer schedules in. */
    public static long tickNanos() {
        return TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
    }
}
