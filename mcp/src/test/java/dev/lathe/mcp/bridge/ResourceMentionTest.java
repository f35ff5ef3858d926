package dev.lathe.mcp.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact grammar of {@code @NAME:uri}: what is a mention and what stays text. */
class ResourceMentionTest {
    @Test void aMentionIsAServerNameThenAUriWithAScheme() {
        assertThat(ResourceMention.in("compare @ev:demo://resource/dynamic/text/1 with @other-1:file:///tmp/x.txt"))
                .containsExactly(new ResourceMention("ev", "demo://resource/dynamic/text/1"), new ResourceMention("other-1", "file:///tmp/x.txt"));
        assertThat(ResourceMention.in("@ev:demo://a")).containsExactly(new ResourceMention("ev", "demo://a"));
    }

    @Test void sentencePunctuationAroundItIsNotPartOfTheUri() {
        assertThat(ResourceMention.in("read (@ev:demo://a/b.md), then @ev:urn:isbn:123.")).containsExactly(
                new ResourceMention("ev", "demo://a/b.md"), new ResourceMention("ev", "urn:isbn:123"));
    }

    @Test void addressesFilesAgentsAndPlainWordsAreNotMentions() {
        for (String text : List.of("mail me@ev:smtp://x please", "@alice hello", "@build do it", "@notes:12", "@bob:matrix.org",
                "@src/Main.java:12", "@Main.java:12:3", "see a/@ev:demo://x", "@ev: demo://x", "@ev:demo:", "`@ev:demo://x`",
                "```\n@ev:demo://x\n```")) {
            assertThat(ResourceMention.in(text)).as(text).isEmpty();
        }
    }

    @Test void eachResourceIsAttachedOnce() {
        assertThat(ResourceMention.in("@ev:demo://a and again @ev:demo://a")).hasSize(1);
    }
}
