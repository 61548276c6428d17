package io.github.enhancedsqlite.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sampled clock of the slow-statement log, driven by hand here as the driver's timer drives it. A sample that
 * stopped moving must never be read: a statement timed on it would take no time and never be logged as slow.
 */
class StatementClockTest {

    private static final long SPIN_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    @AfterEach
    void stop() {
        StatementClock.stopSampling();
    }

    /** Reads {@link StatementClock#nanoTime()}, lets the real clock move on by two milliseconds, and reads it again. */
    private static long advanceSeenOverTwoMilliseconds() {
        long first = StatementClock.nanoTime();
        long spinStart = System.nanoTime();
        while (System.nanoTime() - spinStart < SPIN_NANOS) {
            Thread.onSpinWait();
        }
        return StatementClock.nanoTime() - first;
    }

    @Test
    void withoutATimerTheClockItselfIsRead() {
        StatementClock.stopSampling();

        assertThat(advanceSeenOverTwoMilliseconds()).isGreaterThanOrEqualTo(SPIN_NANOS);
    }

    @Test
    void aTickStillRunningWhenTheTimerStoppedDoesNotBringBackAStaleSample() {
        StatementClock.startSampling();
        StatementClock.stopSampling();
        StatementClock.tick(); // the stopped timer's last tick, late

        assertThat(advanceSeenOverTwoMilliseconds()).isGreaterThanOrEqualTo(SPIN_NANOS);
    }

    @Test
    void whileSamplingATickMovesTheClockOn() {
        StatementClock.startSampling();
        long before = StatementClock.nanoTime();
        long spinStart = System.nanoTime();
        while (System.nanoTime() - spinStart < SPIN_NANOS) {
            Thread.onSpinWait();
        }
        StatementClock.tick();

        assertThat(StatementClock.nanoTime() - before).isGreaterThanOrEqualTo(SPIN_NANOS);
        assertThat(StatementClock.nanoTime()).isLessThanOrEqualTo(System.nanoTime());
    }

    @Test
    void onlyThresholdsOfManyTicksReadTheSample() {
        assertThat(StatementClock.sampledFor(1_000)).isTrue();
        assertThat(StatementClock.sampledFor(StatementClock.SAMPLED_FROM_MILLIS)).isTrue();
        assertThat(StatementClock.sampledFor(StatementClock.SAMPLED_FROM_MILLIS - 1)).isFalse();
        assertThat(StatementClock.sampledFor(1)).isFalse();
    }
}
