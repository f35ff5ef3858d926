package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.McpResourceInfo;
import dev.lathe.tui.view.Picker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The completion list under the input, driven through its host as the key handler drives it, without a terminal. */
class CompletionListTest {
    /** A folder with two files, one MCP resource and two commands; counts how often the server was asked. */
    private static final class Folder implements CompletionList.Host {
        PromptState input = PromptState.empty();
        final List<String> mentioned = new ArrayList<>();
        int fileQueries;
        int commandRefreshes;
        final ResourceCompletion resources = new ResourceCompletion(() -> List.of(new McpResourceInfo("docs", "docs://readme", "readme", "", "", false)));

        @Override public PromptState input() { return input; }

        @Override public void input(PromptState now) { input = now; }

        @Override
        public List<String> files(String query, int limit) {
            fileQueries++;
            return List.of("src/Main.java", "src/Util.java").stream().filter(p -> p.toLowerCase().contains(query.toLowerCase())).limit(limit).toList();
        }

        @Override public ResourceCompletion resources() { return resources; }

        @Override
        public List<Picker.Item<String>> commands(String query, boolean fresh) {
            if (fresh) commandRefreshes++;
            return List.of("/help", "/history").stream().filter(c -> c.startsWith("/" + query)).map(c -> new Picker.Item<>(c + " ", c, "")).toList();
        }

        @Override public void mentioned(String path) { mentioned.add(path); }

        void type(String text, CompletionList list) {
            input = input.edited(e -> e.insert(text));
            list.refresh();
        }
    }

    @Test
    void aFileMentionOpensTheListAndAcceptingItReplacesTheWordAndAttachesTheFile() {
        var folder = new Folder();
        var list = new CompletionList(folder, new OpenViews());
        folder.type("look at @ma", list);
        assertThat(list.state().open()).isTrue();
        assertThat(list.state().list().orElseThrow().chosen()).contains("@src/Main.java ");
        list.accept();
        assertThat(folder.input.text()).isEqualTo("look at @src/Main.java ");
        assertThat(folder.mentioned).containsExactly("src/Main.java");
        assertThat(list.state().open()).as("the list does not reopen for the text just accepted").isFalse();
    }

    @Test
    void aResourceIsCompletedButNeverBecomesAFilePart() {
        var folder = new Folder();
        var list = new CompletionList(folder, new OpenViews());
        folder.type("@docs:", list);
        list.accept();
        assertThat(folder.input.text()).isEqualTo("@docs:docs://readme ");
        assertThat(folder.mentioned).isEmpty();
    }

    @Test
    void typingOnInTheSameWordAsksTheServerForCommandsOnceAndACommandNameIsKnownAsOne() {
        var folder = new Folder();
        var list = new CompletionList(folder, new OpenViews());
        folder.type("/h", list);
        folder.type("i", list);
        assertThat(folder.commandRefreshes).isEqualTo(1);
        assertThat(list.state().completesCommand()).isTrue();
        assertThat(list.state().list().orElseThrow().chosen()).contains("/history ");
        list.close();
        assertThat(list.state()).isEqualTo(CompletionList.State.CLOSED);
    }

    @Test
    void aWordWithNothingToOfferLeavesTheListClosedAndAcceptDoesNothing() {
        var folder = new Folder();
        var list = new CompletionList(folder, new OpenViews());
        folder.type("@zzz", list);
        assertThat(list.state().open()).isFalse();
        list.accept();
        assertThat(folder.input.text()).isEqualTo("@zzz");
        assertThat(folder.fileQueries).isEqualTo(1);
    }
}
