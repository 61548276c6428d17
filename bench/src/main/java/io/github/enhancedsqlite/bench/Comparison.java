package io.github.enhancedsqlite.bench;

/**
 * Per-operation times (nanoseconds) of raw sqlite-jdbc and of the enhanced driver, one sample per round, where
 * sample i of both sides was taken back to back. Every figure derived here is a ratio or travels with one.
 */
record Comparison(double[] rawNanosPerOp, double[] enhancedNanosPerOp) {

    Comparison {
        if (rawNanosPerOp.length == 0 || rawNanosPerOp.length != enhancedNanosPerOp.length) {
            throw new IllegalArgumentException(
                    "rounds differ: raw " + rawNanosPerOp.length + ", enhanced " + enhancedNanosPerOp.length);
        }
        rawNanosPerOp = rawNanosPerOp.clone();
        enhancedNanosPerOp = enhancedNanosPerOp.clone();
    }

    int rounds() {
        return rawNanosPerOp.length;
    }

    double rawMedian() {
        return Stats.median(rawNanosPerOp);
    }

    double enhancedMedian() {
        return Stats.median(enhancedNanosPerOp);
    }

    /**
     * How many times faster the enhanced driver is (above 1 = enhanced faster): the median of the per-round ratios
     * raw[i] / enhanced[i]. The two halves of a pair ran back to back, so a neighbour's load that comes and goes
     * over seconds hits both halves alike and cancels, which the ratio of the two medians does not do (A/A runs
     * on this machine under load: paired 0.99x where the ratio of medians said 1.37x). Targets are judged on it.
     */
    double speedup() {
        return Stats.median(pairRatios());
    }

    /**
     * Extra time the enhanced driver takes relative to raw, paired the same way as {@link #speedup()}: +0.05 means
     * 5% slower. With an odd number of rounds it is exactly 1 / speedup() - 1.
     */
    double overhead() {
        double[] ratios = new double[rounds()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = enhancedNanosPerOp[i] / rawNanosPerOp[i];
        }
        return Stats.median(ratios) - 1;
    }

    /** Raw median / enhanced median, shown beside the paired ratio: if the two disagree markedly, the run was noisy. */
    double ratioOfMedians() {
        return rawMedian() / enhancedMedian();
    }

    double[] pairRatios() {
        double[] ratios = new double[rounds()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = rawNanosPerOp[i] / enhancedNanosPerOp[i];
        }
        return ratios;
    }

    /** The table row every timed scenario prints: both medians with their spread, and the ratios. */
    ScenarioResult.Row toRow(String metric) {
        double[] ratios = pairRatios();
        return new ScenarioResult.Row(
                metric + " (median of " + rounds() + " rounds)",
                Stats.formatNanos(rawMedian()) + " " + Stats.formatSpread(Stats.relativeSpread(rawNanosPerOp)),
                Stats.formatNanos(enhancedMedian()) + " "
                        + Stats.formatSpread(Stats.relativeSpread(enhancedNanosPerOp)),
                Stats.formatRatio(speedup()) + " (IQR " + Stats.formatRatio(Stats.quantile(ratios, 0.25))
                        + "–" + Stats.formatRatio(Stats.quantile(ratios, 0.75)) + "; of medians "
                        + Stats.formatRatio(ratioOfMedians()) + ")");
    }
}
