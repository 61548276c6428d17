package io.github.enhancedsqlite.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 12 point 5: the native zstd dictionaries of a database are freed when its pool closes. */
class DictionariesTest {

    private static final int ID = 1;

    @Test
    void closingFreesTheNativeDictionariesAndMakesNoNewOnes() throws Exception {
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            Dictionaries dictionaries = new Dictionaries(0);
            storeTrainedDictionary(sqlite);
            dictionaries.load(sqlite);
            Codec codec = new Codec(Levels.uniform(3), dictionaries, sqlite);
            String value = sample(7);
            byte[] envelope = codec.encode(value, ID);
            assertThat(Envelope.dictionaryId(envelope)).as("compressed with the dictionary").isEqualTo(ID);
            assertThat(codec.decode(envelope, "t.c")).isEqualTo(value);
            ZstdDictCompress forCompression = dictionaries.forCompression(ID, 3);
            ZstdDictDecompress forDecompression = dictionaries.forDecompression(ID);

            codec.close(); // as the pool's connections close first
            dictionaries.close();

            assertThat(dictionaries.isClosed()).isTrue();
            // probes, left open: zstd-jni keeps a context locked when loading a closed dictionary fails
            ZstdCompressCtx compressor = new ZstdCompressCtx();
            ZstdDecompressCtx decompressor = new ZstdDecompressCtx();
            assertThatThrownBy(() -> compressor.loadDict(forCompression)).as("freed")
                    .isInstanceOf(IllegalStateException.class).hasMessage("Closed");
            assertThatThrownBy(() -> decompressor.loadDict(forDecompression)).as("freed")
                    .isInstanceOf(IllegalStateException.class).hasMessage("Closed");
            try (Codec late = new Codec(Levels.uniform(3), dictionaries, sqlite)) {
                assertThatThrownBy(() -> late.decode(envelope, "t.c")).as("no native dictionary made after close")
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            }
        }
    }

    /**
     * Issue 13: a large value is compressed with its column's dictionary digested at the large level (a digested
     * dictionary carries its level), a short one with the same dictionary at the level; both read back identical.
     */
    @Test
    void aLargeValueUsesTheDictionaryDigestedAtTheLargeLevel() throws Exception {
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            Dictionaries dictionaries = new Dictionaries(0);
            storeTrainedDictionary(sqlite);
            dictionaries.load(sqlite);
            StringBuilder snapshot = new StringBuilder();
            for (int i = 0; snapshot.length() < 10_000; i++) {
                snapshot.append(sample(i));
            }
            String large = snapshot.toString();
            String small = sample(3);
            try (Codec codec = new Codec(new Levels(3, 8192, 1), dictionaries, sqlite)) {
                byte[] largeEnvelope = codec.encode(large, ID);
                byte[] smallEnvelope = codec.encode(small, ID);

                assertThat(Envelope.dictionaryId(largeEnvelope)).isEqualTo(ID);
                assertThat(Envelope.dictionaryId(smallEnvelope)).isEqualTo(ID);
                assertThat(payload(largeEnvelope)).as("level 1").isEqualTo(frame(large, dictionaries.forCompression(ID, 1)))
                        .isNotEqualTo(frame(large, dictionaries.forCompression(ID, 3)));
                assertThat(payload(smallEnvelope)).as("level 3").isEqualTo(frame(small, dictionaries.forCompression(ID, 3)));
                assertThat(codec.decode(largeEnvelope, "t.c")).isEqualTo(large);
                assertThat(codec.decode(smallEnvelope, "t.c")).isEqualTo(small);
            } finally {
                dictionaries.close();
            }
        }
    }

    private static byte[] payload(byte[] envelope) {
        return java.util.Arrays.copyOfRange(envelope, Envelope.HEADER_BYTES, envelope.length);
    }

    private static byte[] frame(String value, ZstdDictCompress dictionary) {
        try (ZstdCompressCtx compressor = new ZstdCompressCtx()) {
            compressor.setChecksum(false).setContentSize(true).setDictID(false).loadDict(dictionary);
            return compressor.compress(value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * zstd refuses to train from very few samples by throwing, not by returning an error code; that exception
     * reached the application's INSERT (compressDictionarySamples=8). The column just gets no dictionary.
     */
    /**
     * A training takes seconds while the application goes on writing: the next one is due once the column holds
     * about twice the values the training read, counted from when it was asked for, not from when it ended. Counted
     * from the end, a load that wrote 300 more values during the training had its next one due only after another
     * 300 on top: a corpus loaded row by row kept a dictionary from a third of its values.
     */
    @Test
    void theNextTrainingIsDueByTheValuesSeenWhenTheTrainingWasAskedFor() {
        ColumnRef column = new ColumnRef("t", "c");
        Dictionaries dictionaries = new Dictionaries(64);
        int seen = 0;
        while (!dictionaries.anyWanted()) {
            dictionaries.seen(column);
            seen++;
        }
        assertThat(seen).isEqualTo(64);
        assertThat(dictionaries.takeWanted()).containsExactly(column);
        for (int i = 0; i < 300; i++) { // written while the training runs; the training read 100 committed values
            dictionaries.seen(column);
        }
        dictionaries.judged(column, 100, 100_000, 3.0, true);

        dictionaries.seen(column);
        assertThat(dictionaries.anyWanted()).as("365 values seen, 100 read at 64: due at 164").isTrue();
    }

    @Test
    void tooFewSamplesForZstdMeanNoDictionaryNotAFailure() {
        List<byte[]> samples = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < 8; i++) {
            samples.add(sample(i).getBytes(StandardCharsets.UTF_8));
            bytes += samples.get(i).length;
        }

        assertThat(DictionaryTrainer.train(samples, bytes)).isNull();
    }

    private static void storeTrainedDictionary(Connection sqlite) throws Exception {
        byte[][] samples = new byte[300][];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = sample(i).getBytes(StandardCharsets.UTF_8);
        }
        byte[] buffer = new byte[16 * 1024];
        long size = Zstd.trainFromBuffer(samples, buffer, false);
        assertThat(Zstd.isError(size)).isFalse();
        byte[] dictionary = java.util.Arrays.copyOf(buffer, (int) size);
        try (Statement create = sqlite.createStatement()) {
            create.execute(Dictionaries.CREATE_TABLE);
        }
        try (PreparedStatement insert = sqlite.prepareStatement("INSERT INTO " + Dictionaries.TABLE
                + " (id, table_name, column_name, created_at, dictionary) VALUES (?, 't', 'c', 0, ?)")) {
            insert.setInt(1, ID);
            insert.setBytes(2, dictionary);
            insert.executeUpdate();
        }
    }

    private static String sample(int i) {
        return "{\"namespace\":\"agent-" + (i % 7) + "\",\"key\":\"memory/" + i + "\",\"value\":{\"summary\":\"the user"
                + " asked about step " + (i * 31 % 97) + "\",\"tags\":[\"plan\",\"tool-call\",\"result\"],\"score\":"
                + (i % 10) + "}}";
    }
}
