package io.github.enhancedsqlite.config;

import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.Compression;
import io.github.enhancedsqlite.compress.Levels;
import java.util.Set;

/**
 * Which columns may be compressed, and how.
 *
 * @param mode              {@code AUTO} (every column that can be compressed safely), {@code OFF}, or {@code LISTED}
 * @param listed            the columns named by {@code compress=t.c,...}; empty unless the mode is {@code LISTED}
 * @param threshold         bytes from which a bound value is compressed
 * @param dictionaryThreshold bytes from which a shorter value is compressed with its column's dictionary
 * @param levels            the zstd levels, by the value's size
 * @param dictionarySamples values of a column seen before its dictionary is trained (0: no dictionaries)
 */
public record CompressionSettings(Compression.Mode mode, Set<ColumnRef> listed, int threshold,
                                  int dictionaryThreshold, Levels levels, int dictionarySamples) {

    public CompressionSettings {
        listed = Set.copyOf(listed);
    }
}
