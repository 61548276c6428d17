package io.github.enhancedsqlite.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodecTest {

    private final Codec codec = new Codec(3, new Dictionaries(0), null);

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
}
