package dev.lathe.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * For any body and any attribute values (decision 465): the wrapped text holds exactly one opening and one closing tag
 * of its own kind and none of any other kind, in any case or spacing, and reads back to exactly what was given. The
 * bodies are built from the pieces of a forgery (every wrapper's tags, look-alike brackets, references, quotes, line
 * breaks, zero-width characters) as well as arbitrary text.
 *
 * <p>Plain JUnit over a seeded {@link Random} (decision 562): each property runs
 * its edge cases (every wrapper with every piece, the empty text and the boundary characters as body and as value), then
 * {@value #TRIES} generated cases. A failure names the seed; {@code -Dlathe.seed=N} replays it.
 */
class WrapperPropertyTest {
    private static final int TRIES = 3000;
    private static final List<String> PIECES = List.of("<", ">", "</", "/", "\"", "=", "&", ";", "#x", "3C", "lt;", "amp;", "gt;", "quot;", "&#", "\n", " ",
            "\t", "\u200D", "\u200B", "\uFF1C", "\uFE64", "\u2039", "\u3008", "\u2028", "task-result", "TASK-RESULT", "message", "check-output",
            "github-text", "diagnostics", "file", " id=\"x\"", " status=\"completed\"", " from=\"lead\"", "a < b", "List<T>", "x");

    /**
     * The texts a generator would try first: empty, one character at each end of the generated range and beside its
     * holes, a character outside the basic plane, every piece alone, and the longest forgery of the first and last piece.
     */
    private static final List<String> EDGES = Stream.concat(
            Stream.of("", "\u0000", " ", "\uD7FF", "\uF900", "\uFDCF", "\uFDF0", "\uFFFD", "\uD83D\uDE00", "<".repeat(24), "x".repeat(24)),
            PIECES.stream()).toList();

    @Test
    void anyBodyLeavesExactlyOneWrapperOfItsKind() {
        for (Wrapper wrapper : Wrapper.values()) {
            for (String body : EDGES) {
                for (String value : EDGES) oneWrapperOfItsKind(wrapper, body, value);
            }
        }
        forAll(r -> new Case(Wrapper.values()[r.nextInt(Wrapper.values().length)], forgery(r), forgery(r)),
                c -> oneWrapperOfItsKind(c.wrapper(), c.body(), c.value()));
    }

    record Case(Wrapper wrapper, String body, String value) {}

    private static void oneWrapperOfItsKind(Wrapper wrapper, String body, String value) {
        String[] values = wrapper.attributes().stream().map(_ -> value).toArray(String[]::new);
        String wrapped = wrapper.wrap(body, values);
        assertThat(WrapperTest.ANY_TAG.matcher(wrapped).results().count()).as(wrapped).isEqualTo(2);
        assertThat(wrapped).startsWith(wrapper.opening(values) + "\n").endsWith("\n" + wrapper.closing());
        assertThat(wrapped.chars().filter(c -> c == '<')).as(wrapped).hasSize(2);
        assertThat(wrapped.chars().filter(c -> Wrapper.LOOKALIKES.indexOf(c) >= 0)).as(wrapped).isEmpty();
        assertThat(wrapper.opening(values).chars().filter(c -> c == '"')).as(wrapped).hasSize(2 * values.length);
        assertThat(wrapper.opening(values)).doesNotContain("\n").doesNotContain("\u2028");
        Wrapper.Unwrapped back = wrapper.unwrap(wrapped).orElseThrow();
        assertThat(back.body()).isEqualTo(body);
        assertThat(back.values()).isEqualTo(List.of(values));
    }

    @Test
    void anyTextReadsBackExactly() {
        for (String text : EDGES) {
            for (String forgery : EDGES) readsBack(text, forgery);
        }
        readsBack(text(new Random(1), 255), "");
        forAll(r -> List.of(text(r, length(r)), forgery(r)), c -> readsBack(c.get(0), c.get(1)));
    }

    private static void readsBack(String text, String forgery) {
        assertThat(Wrapper.unescape(Wrapper.escape(text + forgery))).isEqualTo(text + forgery);
        assertThat(Wrapper.unescape(Wrapper.attribute(forgery + text))).isEqualTo(forgery + text);
    }

    /** Up to 24 parts joined, each a piece of a forgery or any text of up to four characters, half and half. */
    private static String forgery(Random r) {
        var out = new StringBuilder();
        for (int n = r.nextInt(25); n > 0; n--) out.append(r.nextBoolean() ? PIECES.get(r.nextInt(PIECES.size())) : text(r, r.nextInt(5)));
        return out.toString();
    }

    /** A text's length as the earlier generator drew it for 3000 tries: nine in ten up to 55, the rest up to 255. */
    private static int length(Random r) {
        return r.nextInt(10) > 0 ? r.nextInt(56) : 56 + r.nextInt(200);
    }

    private static String text(Random r, int length) {
        var out = new StringBuilder(length);
        while (out.length() < length) out.append(character(r));
        return out.toString();
    }

    /**
     * One UTF-16 unit of the range the earlier generator's strings drew from (all but surrogates, noncharacters and private use), with
     * ASCII and the first code blocks drawn more often, as its biased generator did, so {@code <}, {@code &} and
     * {@code ;} come up among the rest.
     */
    private static char character(Random r) {
        while (true) {
            int c = switch (r.nextInt(3)) {
                case 0 -> r.nextInt(0x80);
                case 1 -> r.nextInt(1500);
                default -> r.nextInt(0x10000);
            };
            boolean excluded = (c >= 0xD800 && c <= 0xDFFF) || (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xFDD0 && c <= 0xFDEF) || c >= 0xFFFE;
            if (!excluded) return (char) c;
        }
    }

    /** Checks {@value #TRIES} generated cases; a failure names its seed and case, and {@code -Dlathe.seed=N} replays it. */
    private static <T> void forAll(Function<Random, T> generator, Consumer<T> property) {
        long seed = Long.getLong("lathe.seed", ThreadLocalRandom.current().nextLong());
        var random = new Random(seed);
        List<T> cases = new ArrayList<>(TRIES);
        for (int i = 0; i < TRIES; i++) cases.add(generator.apply(random));
        for (int i = 0; i < TRIES; i++) {
            try {
                property.accept(cases.get(i));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("case " + i + " of seed " + seed + " (replay with -Dlathe.seed=" + seed + "): " + cases.get(i), e);
            }
        }
    }
}
