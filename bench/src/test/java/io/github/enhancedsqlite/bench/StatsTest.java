package io.github.enhancedsqlite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The arithmetic behind every reported number; no timing happens here. */
class StatsTest {

    @Test
    void medianOfOddCountIsTheMiddleSample() {
        assertEquals(3.0, Stats.median(new double[] {5, 1, 3}));
    }

    @Test
    void medianOfEvenCountIsTheMeanOfTheMiddlePair() {
        assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void medianIgnoresOneDisturbedRound() {
        assertEquals(10.0, Stats.median(new double[] {10, 11, 9, 10, 1_000}));
    }

    @Test
    void medianLeavesTheSamplesInTheirOrder() {
        double[] samples = {3, 1, 2};
        Stats.median(samples);
        assertEquals(3.0, samples[0]);
    }

    @Test
    void quantilesInterpolateBetweenRanks() {
        double[] samples = {1, 2, 3, 4, 5};
        assertEquals(1.0, Stats.quantile(samples, 0));
        assertEquals(2.0, Stats.quantile(samples, 0.25));
        assertEquals(5.0, Stats.quantile(samples, 1));
        assertEquals(4.6, Stats.quantile(samples, 0.9), 1e-9);
    }

    @Test
    void emptySamplesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Stats.median(new double[0]));
    }

    @Test
    void spreadIsHalfTheInterquartileRangeOverTheMedian() {
        assertEquals(0.1, Stats.relativeSpread(new double[] {80, 90, 100, 110, 120}), 1e-9);
        assertEquals("±10.0%", Stats.formatSpread(0.1));
    }

    @Test
    void durationsKeepThreeSignificantDigits() {
        assertEquals("812 ns", Stats.formatNanos(812.4));
        assertEquals("4.87 µs", Stats.formatNanos(4_870));
        assertEquals("312 µs", Stats.formatNanos(312_400));
        assertEquals("1.50 ms", Stats.formatNanos(1_500_000));
        assertEquals("2.00 s", Stats.formatNanos(2e9));
        assertEquals("10.0 µs", Stats.formatNanos(9_999.6));
        assertEquals("1.00 µs", Stats.formatNanos(999.7));
    }

    @Test
    void ratiosAndPercentages() {
        assertEquals("64.1x", Stats.formatRatio(64.12));
        assertEquals("312x", Stats.formatRatio(312.4));
        assertEquals("0.982x", Stats.formatRatio(0.9821));
        assertEquals("n/a", Stats.formatRatio(Double.POSITIVE_INFINITY));
        assertEquals("+2.1%", Stats.formatPercent(0.021));
        assertEquals("-0.4%", Stats.formatPercent(-0.004));
    }

    @Test
    void speedupIsTheMedianOfPerRoundRatios() {
        Comparison comparison = new Comparison(new double[] {300, 310, 290}, new double[] {5, 6, 4});
        assertEquals(60.0, comparison.speedup(), 1e-9); // pairs: 60, 51.7, 72.5
        assertEquals(60.0, comparison.ratioOfMedians(), 1e-9);
        assertEquals(5.0 / 300 - 1, comparison.overhead(), 1e-12);
    }

    @Test
    void pairedRatioIsNotFooledByLoadThatHitsTheSidesInDifferentRounds() {
        // Both sides equally fast in every pair, but a neighbour's load covered more raw rounds than enhanced ones.
        Comparison comparison = new Comparison(
                new double[] {100, 100, 300, 300, 300}, new double[] {100, 100, 100, 300, 300});
        assertEquals(1.0, comparison.speedup(), 1e-9);
        assertEquals(3.0, comparison.ratioOfMedians(), 1e-9);
    }

    @Test
    void overheadMatchesTheSpeedupForAnOddNumberOfRounds() {
        Comparison comparison = new Comparison(new double[] {100, 200, 300}, new double[] {105, 190, 330});
        assertEquals(1 / comparison.speedup() - 1, comparison.overhead(), 1e-12);
    }

    @Test
    void roundsOfBothSidesMustMatch() {
        assertThrows(IllegalArgumentException.class, () -> new Comparison(new double[] {1, 2}, new double[] {1}));
    }

    @Test
    void timesFasterTargetSaysMetOrNotMet() {
        Target target = Target.atLeastTimesFaster(50);
        Target.Verdict met = target.check(new Comparison(new double[] {300}, new double[] {5}));
        Target.Verdict missed = target.check(new Comparison(new double[] {300}, new double[] {10}));
        assertTrue(met.met());
        assertEquals("target ≥50x: met (enhanced is 60.0x faster than raw)", met.toString());
        assertFalse(missed.met());
        assertEquals("target ≥50x: not met (enhanced is 30.0x faster than raw)", missed.toString());
    }

    @Test
    void withinPercentTargetAllowsUpToTheLimit() {
        Target target = Target.withinPercentOfRaw(5);
        assertTrue(target.check(new Comparison(new double[] {100}, new double[] {105})).met());
        assertTrue(target.check(new Comparison(new double[] {100}, new double[] {90})).met());
        Target.Verdict missed = target.check(new Comparison(new double[] {100}, new double[] {106}));
        assertFalse(missed.met());
        assertEquals("target within 5% of raw: not met (enhanced is 6.0% slower than raw)", missed.toString());
    }
}
