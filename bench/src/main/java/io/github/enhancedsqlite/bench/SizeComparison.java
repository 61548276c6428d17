package io.github.enhancedsqlite.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Databases loaded with the same rows through {@code compress=off} and {@code compress=auto}, one row per database
 * and a total. "How many times smaller" is always off / auto; the total's ratio is the ratio of the summed bytes
 * (what the disk holds), not an average of the per-database ratios, which would let a tiny file count as much
 * as a large one.
 */
final class SizeComparison {

    static final List<String> HEADINGS = List.of("rows", "value bytes as written", "stored, compress=off",
            "stored, compress=auto (+ dictionaries)", "value storage off/auto", "file, compress=off",
            "file, compress=auto", "file off/auto");

    /** One database: the bytes its text column was given, and what each side stored. */
    record Entry(String label, long writtenBytes, ValueStorage off, ValueStorage auto) {

        Entry {
            if (off.rows() != auto.rows()) {
                throw new IllegalArgumentException(label + ": compress=off holds " + off.rows()
                        + " rows but compress=auto " + auto.rows());
            }
        }

        double valueRatio() {
            return off.valueBytesWithDictionaries() / (double) auto.valueBytesWithDictionaries();
        }

        double fileRatio() {
            return off.fileBytes() / (double) auto.fileBytes();
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    void add(Entry entry) {
        entries.add(entry);
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The sum of every entry, labelled "total". */
    Entry total() {
        if (entries.isEmpty()) {
            throw new IllegalStateException("no database measured");
        }
        long written = 0;
        long[] off = new long[5];
        long[] auto = new long[5];
        for (Entry entry : entries) {
            written += entry.writtenBytes();
            accumulate(off, entry.off());
            accumulate(auto, entry.auto());
        }
        return new Entry("total", written, storage(off), storage(auto));
    }

    /** One row per entry and the total in bold, cells in the order of {@link #HEADINGS}. */
    List<ScenarioResult.Row> rows() {
        List<ScenarioResult.Row> rows = new ArrayList<>();
        for (Entry entry : entries) {
            rows.add(row(entry.label(), entry, ""));
        }
        if (entries.size() > 1) {
            rows.add(row("**total**", total(), "**"));
        }
        return rows;
    }

    /**
     * Databases where compress=off did not store exactly the bytes given, which would make every ratio here
     * meaningless (empty when all is well).
     */
    List<String> offSideMismatches() {
        List<String> mismatches = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.off().valueBytes() != entry.writtenBytes() || entry.off().envelopes() != 0) {
                mismatches.add(entry.label() + ": compress=off stored " + entry.off().valueBytes() + " bytes ("
                        + entry.off().envelopes() + " envelopes) for " + entry.writtenBytes() + " written");
            }
        }
        return mismatches;
    }

    private static ScenarioResult.Row row(String label, Entry entry, String emphasis) {
        ValueStorage auto = entry.auto();
        String autoCell = Stats.formatBytes(auto.valueBytesWithDictionaries()) + " (" + auto.envelopes() + " of "
                + auto.rows() + " compressed" + (auto.dictionaryBytes() == 0 ? ""
                : "; dict " + Stats.formatBytes(auto.dictionaryBytes())) + ")";
        return new ScenarioResult.Row(label, List.of(
                Long.toString(entry.off().rows()),
                Stats.formatBytes(entry.writtenBytes()),
                Stats.formatBytes(entry.off().valueBytes()),
                autoCell,
                emphasis + Stats.formatRatio(entry.valueRatio()) + emphasis,
                Stats.formatBytes(entry.off().fileBytes()),
                Stats.formatBytes(auto.fileBytes()),
                emphasis + Stats.formatRatio(entry.fileRatio()) + emphasis));
    }

    private static void accumulate(long[] sums, ValueStorage storage) {
        sums[0] += storage.rows();
        sums[1] += storage.valueBytes();
        sums[2] += storage.envelopes();
        sums[3] += storage.dictionaryBytes();
        sums[4] += storage.fileBytes();
    }

    private static ValueStorage storage(long[] sums) {
        return new ValueStorage(sums[0], sums[1], sums[2], sums[3], sums[4]);
    }
}
