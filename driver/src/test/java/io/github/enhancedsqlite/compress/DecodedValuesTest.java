package io.github.enhancedsqlite.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DecodedValuesTest {

    private final Codec codec = new Codec(Levels.uniform(3), new Dictionaries(0), null);

    private byte[] envelope(String text) {
        return codec.encode(text, 0);
    }

    @Test
    void aValueIsFoundOnlyForTheVeryBytesItWasDecodedFrom() {
        DecodedValues decoded = new DecodedValues(64 * 1024);
        byte[] stored = envelope("a value ".repeat(40));
        decoded.put(stored, "a value ".repeat(40));

        assertThat(decoded.get(stored.clone())).isEqualTo("a value ".repeat(40));
        byte[] changed = stored.clone();
        changed[changed.length - 1] ^= 1; // same header and check, another payload
        assertThat(decoded.get(changed)).isNull();
        assertThat(decoded.get(envelope("another value ".repeat(30)))).isNull();
    }

    @Test
    void theArrayPassedInMayChangeAfterwards() {
        DecodedValues decoded = new DecodedValues(64 * 1024);
        byte[] stored = envelope("a value ".repeat(40));
        byte[] kept = stored.clone();
        decoded.put(stored, "a value ".repeat(40));
        stored[stored.length - 1] ^= 1;

        assertThat(decoded.get(kept)).isEqualTo("a value ".repeat(40));
        assertThat(decoded.get(stored)).isNull();
    }

    @Test
    void theLeastRecentlyUsedGoFirstOnceTheBudgetIsFull() {
        String[] texts = new String[6];
        byte[][] stored = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = ("value " + i + " ").repeat(60);
            stored[i] = envelope(texts[i]);
        }
        long one = stored[0].length + texts[0].getBytes(StandardCharsets.UTF_8).length + 64;
        DecodedValues decoded = new DecodedValues(one * 4 + one / 2); // room for four
        for (int i = 0; i < 4; i++) {
            decoded.put(stored[i], texts[i]);
        }
        assertThat(decoded.get(stored[0])).isEqualTo(texts[0]); // now the most recent
        decoded.put(stored[4], texts[4]);
        decoded.put(stored[5], texts[5]);

        assertThat(decoded.get(stored[1])).as("least recently used").isNull();
        assertThat(decoded.get(stored[2])).as("next least recently used").isNull();
        assertThat(decoded.get(stored[0])).isEqualTo(texts[0]);
        assertThat(decoded.get(stored[5])).isEqualTo(texts[5]);
    }

    @Test
    void aValueTooLargeForItsShareIsNotKept() {
        String text = "x".repeat(2000);
        DecodedValues decoded = new DecodedValues(4000);
        decoded.put(envelope(text), text);

        assertThat(decoded.get(envelope(text))).isNull();
    }

    @Test
    void aCodecWithDecodedValuesReturnsWhatDecodingReturns() throws Exception {
        try (Codec keeping = new Codec(Levels.uniform(3), new Dictionaries(0), null, 1024 * 1024)) {
            String text = "{\"hookType\":\"pre-bash\",\"command\":\"npm test\"}".repeat(10);
            byte[] stored = keeping.encode(text, 0);
            assertThat(keeping.decode(stored, "t.c")).isEqualTo(text);
            assertThat(keeping.decode(stored.clone(), "t.c")).isEqualTo(text);
            byte[] blob = keeping.encode(text.getBytes(StandardCharsets.UTF_8), true, 0);
            byte[] first = (byte[]) keeping.decode(blob, "t.c");
            first[0] = 'X'; // a BLOB handed out may be changed by its holder: it is never kept
            assertThat((byte[]) keeping.decode(blob, "t.c")).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
