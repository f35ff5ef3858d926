package dev.lathe.core.toolcall;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one masker finds a key in every shape a tool may print it (issue 79) and never releases its start before the
 * rest has come.
 */
class SecretMaskTest {
    static final String KEY = "sk-ant-api03-Xq7vR2mPz9KfL4tWc8NbHs1YdJ6gUe0A-Tz3oQi5VnBx_lMrE7wKp2cSjFu9hGd4";
    private static final SecretMask MASK = SecretMask.of(Set.of(KEY));

    /** Whether {@code text} holds the key or any 16 characters of it in a row, in any of the checked shapes. */
    static boolean leaks(String text, String key) {
        String flat = text.replace("\n", "").replace("\r", "").toLowerCase(Locale.ROOT);
        String lower = key.toLowerCase(Locale.ROOT);
        String reversed = new StringBuilder(lower).reverse().toString();
        for (int i = 0; i + 16 <= key.length(); i++) {
            if (flat.contains(lower.substring(i, i + 16)) || flat.contains(reversed.substring(i, i + 16))) return true;
        }
        return false;
    }

    @Test
    void everyShapeIsMasked() {
        byte[] bytes = KEY.getBytes(StandardCharsets.UTF_8);
        for (String prefix : new String[] {"", "a", "ab"}) {
            byte[] padded = (prefix + KEY + "\n").getBytes(StandardCharsets.UTF_8);
            for (String encoded : new String[] {Base64.getEncoder().encodeToString(padded), Base64.getUrlEncoder().encodeToString(padded),
                    Base64.getMimeEncoder(20, "\n".getBytes(StandardCharsets.UTF_8)).encodeToString(padded)}) {
                String masked = MASK.apply("out: " + encoded + " end");
                assertThat(masked).as("base64 after %d bytes: %s", prefix.length(), encoded).contains("***");
                assertThat(masked.replace("\n", "")).doesNotContain(encoded.replace("\n", "").substring(4, 20));
            }
        }
        String[] shapes = {KEY, KEY.toLowerCase(Locale.ROOT), KEY.toUpperCase(Locale.ROOT), new StringBuilder(KEY).reverse().toString(),
                HexFormat.of().formatHex(bytes), HexFormat.of().withUpperCase().formatHex(bytes),
                KEY.substring(0, 30) + "\n" + KEY.substring(30, 60) + "\r\n" + KEY.substring(60)};
        for (String shape : shapes) {
            String masked = MASK.apply("before " + shape + " after");
            assertThat(masked).as(shape).isEqualTo("before *** after");
        }
    }

    @Test
    void aKeySplitBySpacesOrTabsOrPercentEncodedIsMaskedToo() {
        // issue 79's re-attack: echo ${k:0:20} ${k:20}, sed 's/./& /g', and an encoder that escapes every symbol
        String spaced = KEY.chars().mapToObj(c -> String.valueOf((char) c)).collect(java.util.stream.Collectors.joining(" "));
        String percent = KEY.replace("-", "%2D").replace("_", "%5f");
        for (String shape : new String[] {KEY.substring(0, 20) + " " + KEY.substring(20), KEY.substring(0, 40) + "\t" + KEY.substring(40), spaced,
                percent}) {
            String masked = MASK.apply("before " + shape + " after");
            assertThat(masked).as(shape).isEqualTo("before *** after");
        }
        // words around a key keep their spaces; a sentence is not a key
        assertThat(MASK.apply("a b " + KEY + " c d")).isEqualTo("a b *** c d");
        String prose = "sk ant api is a word list, not a key";
        assertThat(MASK.apply(prose)).isSameAs(prose);
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        String text = "exit code: 0\nAll 12 tests passed.\r\nSee https://example.com/docs.\n";
        assertThat(MASK.apply(text)).isSameAs(text);
        assertThat(MASK.live(text)).isEqualTo(text);
        // live, an end that may begin a key waits for the next look; three characters ("sk-", every key's) tell nothing
        assertThat(MASK.live("See the docs")).isEqualTo("See the docs");
        assertThat(MASK.live("key: sk-")).isEqualTo("key: sk-");
        assertThat(MASK.live("key: sk-a")).isEqualTo("key: ");
        assertThat(MASK.live("key: SK-ANT-api03-xQ7")).isEqualTo("key: ");
        assertThat(SecretMask.of(Set.of()).apply(text)).isSameAs(text);
    }

    @Test
    void aStreamNeverReleasesTheStartOfAKey() {
        String text = "the key is " + KEY + " and " + KEY.toUpperCase(Locale.ROOT) + "\nthat was all";
        for (int piece = 1; piece <= 17; piece += 4) {
            SecretStream stream = MASK.stream();
            var shown = new StringBuilder();
            for (int i = 0; i < text.length(); i += piece) {
                shown.append(stream.push(text.substring(i, Math.min(text.length(), i + piece))));
                assertThat(shown.toString()).as("released in pieces of %d", piece).doesNotContain(KEY.substring(0, SecretMask.CUT_SHOWN));
            }
            shown.append(stream.finish());
            // three characters ("sk-", every key's) may go out before the rest is known: they tell nothing
            assertThat(shown.toString()).as("in pieces of %d", piece)
                    .matches("the key is (s|sk|sk-)?\\*\\*\\* and (S|SK|SK-)?\\*\\*\\*\nthat was all");
        }
    }

    @Test
    void aLiveWindowHidesAKeyCutAtEitherEnd() {
        assertThat(MASK.live("$ printenv\nKEY=" + KEY.substring(0, 16))).isEqualTo("$ printenv\nKEY=");
        assertThat(MASK.live(KEY.substring(50) + "\nnext line")).isEqualTo("\nnext line");
        assertThat(MASK.live("a\n" + KEY + "\nb")).isEqualTo("a\n***\nb");
    }

    @Test
    void aTitleCutInsideAKeyEndsMasked() {
        assertThat(MASK.cutAtEnd("use " + KEY.substring(0, 12))).isEqualTo("use ***");
        assertThat(MASK.cutAtEnd("use sk-")).isEqualTo("use sk-");
    }

    /**
     * Not a timing assertion (the figure goes into the report): masking a 1 MiB output with a few keys runs in
     * milliseconds; printed so that a slow-down shows in the test's output.
     */
    @Test
    void aMegabyteIsMaskedWhole() {
        var big = new StringBuilder();
        while (big.length() < 1 << 20) big.append("line ").append(big.length()).append(" of ordinary output, nothing secret\n");
        big.append(KEY);
        var mask = SecretMask.of(Set.of(KEY, "ghp_R4nd0mT0k3nV4lu3Xq7vR2mPz9KfL4tWc8", "0123456789abcdef0123456789abcdef01234567",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
        String text = big.toString();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            String masked = mask.apply(text);
            best = Math.min(best, System.nanoTime() - start);
            assertThat(masked).endsWith("***").doesNotContain(KEY);
        }
        System.out.printf("SecretMask: 1 MiB, 4 keys: %.1f ms%n", best / 1e6);
    }
}
