package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.McpResourceInfo;
import dev.lathe.tui.view.Picker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code @server:uri} completion over what {@code GET /mcp/resources} answers. */
class ResourceCompletionTest {
    private static final McpResourceInfo DOC = new McpResourceInfo("everything", "demo://resource/static/document/architecture.md", "architecture.md",
            "Static document", "text/markdown", false);
    private static final McpResourceInfo TEMPLATE = new McpResourceInfo("everything", "demo://resource/dynamic/text/{resourceId}", "Dynamic Text Resource",
            "", "text/plain", true);

    @Test void aResourceCompletesToItsMentionAndATemplateUpToItsFirstVariable() {
        var completion = new ResourceCompletion(() -> List.of(DOC, TEMPLATE));
        completion.refresh();
        List<Picker.Item<String>> items = completion.items("ev:arch", 8);
        assertThat(items).extracting(Picker.Item::value).containsExactly("@everything:demo://resource/static/document/architecture.md ");
        assertThat(items.getFirst().detail()).isEqualTo("Static document");
        assertThat(completion.items("dynamic", 8)).extracting(Picker.Item::value, Picker.Item::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("@everything:demo://resource/dynamic/text/", "template · Dynamic Text Resource"));
        assertThat(completion.isResource("@everything:demo://resource/static/document/architecture.md ")).isTrue();
        assertThat(completion.isResource("@README.md ")).isFalse();
    }

    @Test void theListIsAskedAgainAtEachRefreshAndAServerErrorOffersNothing() {
        var answers = new ArrayList<List<McpResourceInfo>>(List.of(List.of(), List.of(DOC)));
        var completion = new ResourceCompletion(() -> {
            if (answers.isEmpty()) throw new LatheException.Unavailable("down");
            return answers.removeFirst();
        });
        completion.refresh();
        assertThat(completion.items("", 8)).isEmpty();
        completion.refresh();
        assertThat(completion.items("", 8)).hasSize(1);
        completion.refresh();
        assertThat(completion.items("", 8)).isEmpty();
    }
}
