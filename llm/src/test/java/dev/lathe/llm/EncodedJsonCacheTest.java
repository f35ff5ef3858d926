package dev.lathe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

class EncodedJsonCacheTest {
    private final AtomicInteger encodes = new AtomicInteger();

    private byte[] encode(String key) {
        encodes.incrementAndGet();
        return ("\"" + key + "\"").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aKeyIsEncodedOnceWhileItIsUsed() {
        var cache = new EncodedJsonCache<String>(1000);
        for (int step = 0; step < 50; step++) {
            for (int k = 0; k < 10; k++) cache.get("part-" + k, this::encode);
        }
        assertThat(encodes).hasValue(10);
    }

    @Test
    void theBoundHoldsAndWhatIsStillUsedStays() {
        var cache = new EncodedJsonCache<String>(200);  // 100 bytes a generation; each value is 9 or 10 bytes
        for (int k = 0; k < 1_000; k++) {
            cache.get("new-" + k, this::encode);
            cache.get("hot", this::encode);
            assertThat(cache.heldBytes()).isLessThanOrEqualTo(200);
        }
        // the hot key was used in every generation: encoded once; each new key once
        assertThat(encodes).hasValue(1_001);
    }

    /** Found as the very object it was found with before (a turn's unchanged message), and gone with its generation. */
    @Test
    void aKeyFoundAsTheSameObjectGoesWithItsGeneration() {
        var cache = new EncodedJsonCache<String>(40);  // 20 bytes a generation
        String cold = new String("cold");
        for (int step = 0; step < 3; step++) cache.get(cold, this::encode);
        assertThat(encodes).hasValue(1);
        for (int k = 0; k < 10; k++) cache.get("other-" + k, this::encode);
        cache.get(cold, this::encode);
        assertThat(encodes).as("dropped by value and by object").hasValue(12);
        cache.get(new String("cold"), this::encode);
        assertThat(encodes).as("an equal key that is another object").hasValue(12);
        assertThat(cache.heldBytes()).isLessThanOrEqualTo(40);
    }

    @Test
    void aValueLargerThanAGenerationIsNotKept() {
        var cache = new EncodedJsonCache<String>(10);
        cache.get("a long part", this::encode);
        cache.get("a long part", this::encode);
        assertThat(encodes).hasValue(2);
        assertThat(cache.heldBytes()).isZero();
    }

    @Test
    void aGeneratorWritesTheBytesAsARawValueWithItsSeparators() {
        var cache = new EncodedJsonCache<String>(1000);
        var out = new java.io.ByteArrayOutputStream();
        try (JsonGenerator g = JsonMapper.builder().build().createGenerator(out)) {
            g.writeStartArray();
            g.writeRawValue(cache.get("x ✓", this::encode));
            g.writeRawValue(cache.get("x ✓", this::encode));
            g.writeEndArray();
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("[\"x ✓\",\"x ✓\"]");
    }

    @Test
    void aValueLargerThanTheGeneratorsBufferIsWrittenWholeEachTime() {
        var cache = new EncodedJsonCache<String>(1 << 20);
        String big = "y".repeat(50_000);
        var out = new java.io.ByteArrayOutputStream();
        try (JsonGenerator g = JsonMapper.builder().build().createGenerator(out)) {
            g.writeStartArray();
            g.writeRawValue(cache.get(big, this::encode));
            g.writeRawValue(cache.get(big, this::encode));
            g.writeEndArray();
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("[\"" + big + "\",\"" + big + "\"]");
        assertThat(encodes).hasValue(1);
    }
}
