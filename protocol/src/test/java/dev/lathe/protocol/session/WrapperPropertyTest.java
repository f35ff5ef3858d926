package dev.lathe.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For any body and any attribute values (decision 465): the wrapped text holds exactly one opening and one closing tag
 * of its own kind and none of any other kind, in any case or spacing, and reads back to exactly what was given. The
 * bodies are built from the pieces of a forgery (every wrapper's tags, look-alike brackets, references, quotes, line
 * breaks, zero-width characters) as well as arbitrary text.
 */
class WrapperPropertyTest {
    private static final List<String> PIECES = List.of("<", ">", "</", "/", "\"", "=", "&", ";", "#x", "3C", "lt;", "amp;", "gt;", "quot;", "&#", "\n", " ",
            "\t", "\u200D", "\u200B", "\uFF1C", "\uFE64", "\u2039", "\u3008", "\u2028", "task-result", "TASK-RESULT", "message", "check-output",
            "github-text", "diagnostics", "file", " id=\"x\"", " status=\"completed\"", " from=\"lead\"", "a < b", "List<T>", "x");

    @Provide
    Arbitrary<String> forgeries() {
        Arbitrary<String> piece = Arbitraries.oneOf(Arbitraries.of(PIECES), Arbitraries.strings().ofMaxLength(4));
        return piece.list().ofMaxSize(24).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<Wrapper> wrappers() {
        return Arbitraries.of(Wrapper.class);
    }

    @Property(tries = 3000)
    void anyBodyLeavesExactlyOneWrapperOfItsKind(@ForAll("wrappers") Wrapper wrapper, @ForAll("forgeries") String body, @ForAll("forgeries") String value) {
        String[] values = wrapper.attributes().stream().map(_ -> value).toArray(String[]::new);
        String wrapped = wrapper.wrap(body, values);
        assertThat(WrapperTest.ANY_TAG.matcher(wrapped).results().count()).isEqualTo(2);
        assertThat(wrapped).startsWith(wrapper.opening(values) + "\n").endsWith("\n" + wrapper.closing());
        assertThat(wrapped.chars().filter(c -> c == '<')).hasSize(2);
        assertThat(wrapped.chars().filter(c -> Wrapper.LOOKALIKES.indexOf(c) >= 0)).isEmpty();
        assertThat(wrapper.opening(values).chars().filter(c -> c == '"')).hasSize(2 * values.length);
        assertThat(wrapper.opening(values)).doesNotContain("\n").doesNotContain("\u2028");
        Wrapper.Unwrapped back = wrapper.unwrap(wrapped).orElseThrow();
        assertThat(back.body()).isEqualTo(body);
        assertThat(back.values()).isEqualTo(List.of(values));
    }

    @Property(tries = 3000)
    void anyTextReadsBackExactly(@ForAll String text, @ForAll("forgeries") String forgery) {
        assertThat(Wrapper.unescape(Wrapper.escape(text + forgery))).isEqualTo(text + forgery);
        assertThat(Wrapper.unescape(Wrapper.attribute(forgery + text))).isEqualTo(forgery + text);
    }
}
