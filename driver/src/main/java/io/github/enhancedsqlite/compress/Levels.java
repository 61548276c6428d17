package io.github.enhancedsqlite.compress;

/**
 * The zstd level a value is compressed at, by its size. zstd's time on a large value grows with the level far more
 * than its output shrinks: in an upsert load a 10–40 KB session snapshot took as long to compress as 20–30 small
 * records at level 3 with the column's dictionary, a quarter to a third less at level 1, for 2–5% more bytes. Small
 * values compress at {@code level}, where the dictionary does most of the work. Every level writes the same frame
 * format, read by the same code, so the levels may change between writes and between versions of the driver.
 *
 * @param level          the zstd level of values below {@code largeThreshold} bytes
 * @param largeThreshold bytes from which a value is compressed at {@code largeLevel}
 * @param largeLevel     the zstd level of values of at least {@code largeThreshold} bytes (negative: zstd's fast
 *                       levels)
 */
public record Levels(int level, int largeThreshold, int largeLevel) {

    /** One level whatever the size. */
    public static Levels uniform(int level) {
        return new Levels(level, Integer.MAX_VALUE, level);
    }

    /** The level a value of {@code bytes} bytes is compressed at. */
    public int forSize(int bytes) {
        return bytes >= largeThreshold ? largeLevel : level;
    }
}
