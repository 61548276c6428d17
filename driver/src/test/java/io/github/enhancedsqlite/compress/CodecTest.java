package io.github.enhancedsqlite.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodecTest {

    private final Codec codec = new Codec(Levels.uniform(3), new Dictionaries(0), null);

    @Test
    void repetitiveTextShrinksAndReadsBackAsText() throws Exception {
        String text = "{\"session\":\"state\"} ".repeat(500);

        byte[] envelope = codec.encode(text, 0);

        assertThat(envelope).isNotNull();
        assertThat(envelope.length).isLessThan(text.length() / 10);
        assertThat(Envelope.looksLikeEnvelope(envelope)).isTrue();
        assertThat(codec.decode(envelope, "t")).isEqualTo(text);
    }

    /** Values are compressed into one reused array: each envelope handed out is its own, whatever comes next. */
    @Test
    void anEnvelopeStaysIntactWhileTheCodecCompressesTheNextValues() throws Exception {
        String first = "{\"note\":\"first\"} ".repeat(40);
        byte[] envelope = codec.encode(first, 0);
        byte[] asHandedOut = envelope.clone();

        for (int i = 0; i < 20; i++) {
            assertThat(codec.encode(("{\"note\":\"next " + i + "\"} ").repeat(30 + 100 * i), 0)).isNotNull();
        }

        assertThat(envelope).isEqualTo(asHandedOut);
        assertThat(codec.decode(envelope, "t")).isEqualTo(first);
    }

    @Test
    void incompressibleValuesAreStoredAsTheyAre() {
        byte[] random = new byte[4096];
        new Random(7).nextBytes(random);
        random[0] = 1; // not the magic

        assertThat(codec.encode(random, true, 0)).isNull();
    }

    @Test
    void aBlobThatLooksLikeAnEnvelopeIsEscapedAndReadsBackExactly() throws Exception {
        byte[] impostor = {(byte) 0xEC, 'E', 'S', 'Z', 1, 0, 0, 0, 0, 0, 42};

        byte[] stored = codec.encode(impostor, true, 0);

        assertThat(stored).isNotNull();
        assertThat(codec.decode(stored, "t")).isEqualTo(impostor);
    }

    @Test
    void aDamagedFrameIsAnErrorNamingTheValue() {
        byte[] envelope = codec.encode("x".repeat(1000).getBytes(StandardCharsets.UTF_8), false, 0);
        envelope[envelope.length - 2] ^= 0x5A;

        assertThatThrownBy(() -> codec.decode(envelope, "in memory_entries.value at rowid 7"))
                .isInstanceOf(CorruptValueException.class)
                .hasMessageContaining("memory_entries.value at rowid 7");
    }

    /**
     * Every value of every header byte after the magic but the dictionary id, in a zstd and in a raw-payload
     * envelope: each damaged envelope fails to decode. In format version 1 a damaged type bit changed TEXT into BLOB and a damaged payload
     * kind returned the zstd frame as the value; the check of version 2 covers the header.
     */
    @Test
    void anyDamagedHeaderByteIsDetected() {
        byte[] compressed = codec.encode("y".repeat(1000), 0);
        byte[] escaped = codec.encode(new byte[] {(byte) 0xEC, 'E', 'S', 'Z', 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 42}, true, 0);
        for (byte[] envelope : new byte[][] {compressed, escaped}) {
            for (int position = 4; position < Envelope.HEADER_BYTES; position++) {
                if (position >= 6 && position <= 9) {
                    continue; // the codec would look the dictionary up in a database: EnvelopeTest covers these
                }
                for (int flip = 1; flip < 256; flip++) {
                    byte[] damaged = envelope.clone();
                    damaged[position] ^= (byte) flip;
                    assertThatThrownBy(() -> codec.decode(damaged, "in t.c at rowid 1"))
                            .as("byte %s ^ 0x%s", position, Integer.toHexString(flip))
                            .isInstanceOf(CorruptValueException.class).hasMessageContaining("t.c at rowid 1");
                }
            }
        }
    }

    @Test
    void aDamagedRawPayloadIsDetected() {
        byte[] escaped = codec.encode(new byte[] {(byte) 0xEC, 'E', 'S', 'Z', 7, 7, 7}, true, 0);
        escaped[escaped.length - 1] ^= 0x01;

        assertThatThrownBy(() -> codec.decode(escaped, "t")).isInstanceOf(CorruptValueException.class);
    }

    @Test
    void formatVersionOneEnvelopesStillDecode() throws Exception {
        byte[] text = "version one; ".repeat(100).getBytes(StandardCharsets.UTF_8);
        byte[] frame = Zstd.compress(text, 3); // with content size; zstd-jni adds no checksum by default
        byte[] zstdText = new byte[10 + frame.length];
        System.arraycopy(Envelope.MAGIC, 0, zstdText, 0, 4);
        zstdText[4] = 1;
        System.arraycopy(frame, 0, zstdText, 10, frame.length);
        byte[] rawBlob = {(byte) 0xEC, 'E', 'S', 'Z', 1, 0x11, 0, 0, 0, 0, 5, 6};

        assertThat(codec.decode(zstdText, "t")).isEqualTo(new String(text, StandardCharsets.UTF_8));
        assertThat(codec.decode(rawBlob, "t")).isEqualTo(new byte[] {5, 6});
    }

    @Test
    void aBlobWithOneDamagedMagicByteIsRecognised() throws Exception {
        byte[] envelope = codec.encode("z".repeat(1000), 0);
        assertThat(Envelope.damagedMagicByte(envelope)).isZero();
        for (int position = 0; position < 4; position++) {
            byte[] damaged = envelope.clone();
            damaged[position] ^= 0x40;
            assertThat(Envelope.damagedMagicByte(damaged)).isEqualTo(position + 1);
            assertThat(codec.decode(Envelope.withMagicRestored(damaged), "t")).isEqualTo("z".repeat(1000));
        }
        byte[] twoDamaged = envelope.clone();
        twoDamaged[0] ^= 1;
        twoDamaged[1] ^= 1;
        assertThat(Envelope.damagedMagicByte(twoDamaged)).isZero();
    }

    /**
     * Issue 13: a value of at least the large threshold is compressed at the large (faster) level, a shorter one at
     * the level; both read back identical, through a codec whose levels are others again (a reader does not need
     * to know the level a value was written at).
     */
    @Test
    void aLargeValueIsCompressedAtTheLargeLevelAndReadsBackIdentical() throws Exception {
        Levels levels = new Levels(3, 8192, 1);
        String large = session(8192);
        String small = large.substring(0, 8191);
        try (Codec writer = new Codec(levels, new Dictionaries(0), null);
             Codec reader = new Codec(Levels.uniform(19), new Dictionaries(0), null)) {
            byte[] largeEnvelope = writer.encode(large, 0);
            byte[] smallEnvelope = writer.encode(small, 0);

            assertThat(payload(largeEnvelope)).as("the large value at level 1").isEqualTo(frame(large, 1))
                    .isNotEqualTo(frame(large, 3));
            assertThat(payload(smallEnvelope)).as("the shorter one at level 3").isEqualTo(frame(small, 3))
                    .isNotEqualTo(frame(small, 1));
            assertThat(reader.decode(largeEnvelope, "t")).isEqualTo(large);
            assertThat(reader.decode(smallEnvelope, "t")).isEqualTo(small);
            assertThat(writer.encode(small, 0)).as("the level switches back and forth per value")
                    .isEqualTo(smallEnvelope);
        }
    }

    /** zstd's fast (negative) levels write frames the same code reads. */
    @Test
    void aValueWrittenAtANegativeLevelReadsBackIdentical() throws Exception {
        String large = session(20_000);
        try (Codec writer = new Codec(new Levels(3, 1024, -5), new Dictionaries(0), null)) {
            byte[] envelope = writer.encode(large, 0);

            assertThat(payload(envelope)).isEqualTo(frame(large, -5));
            assertThat(codec.decode(envelope, "t")).isEqualTo(large);
        }
    }

    /** JSON steps of a session, repetitive as agent-memory snapshots are, at least {@code bytes} long. */
    private static String session(int bytes) {
        StringBuilder json = new StringBuilder("{\"steps\":[");
        for (int step = 0; json.length() < bytes; step++) {
            json.append("{\"step\":").append(step).append(",\"tool\":\"").append(step % 3 == 0 ? "Edit" : "Read")
                    .append("\",\"ms\":").append(step * 37 % 1000).append("},");
        }
        return json.substring(0, bytes);
    }

    private static byte[] payload(byte[] envelope) {
        return Arrays.copyOfRange(envelope, Envelope.HEADER_BYTES, envelope.length);
    }

    /** The frame zstd writes for the value at the level, as the codec's contexts are set up. */
    private static byte[] frame(String value, int level) {
        try (ZstdCompressCtx compressor = new ZstdCompressCtx()) {
            compressor.setLevel(level).setChecksum(false).setContentSize(true).setDictID(false);
            return compressor.compress(value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
