package io.github.enhancedsqlite.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
