package dev.lathe.run.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.RawJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pieces of {@code lathe github run} that need no process: the trigger, bots, the environment, the reply, the diff's lines, the log's mask. */
class GitHubPartsTest {
    private static final String TOKEN = "ghs_0123456789abcdefghijABCDEFGHIJ";

    @Test
    void theTriggerIsAWordOfItsOwnAndBotsAreNamedWithOrWithoutTheSuffix() {
        var settings = GitHubSettings.of(new RawJson("{\"github\": {\"allowedBots\": [\"Renovate[bot]\"]}}"));
        assertThat(settings.trigger()).isEqualTo("/lathe");
        assertThat(settings.triggeredBy("/lathe fix it")).isTrue();
        assertThat(settings.triggeredBy("please\n/lathe, fix it")).isTrue();
        assertThat(settings.triggeredBy("see /lathe-docs")).isFalse();
        assertThat(settings.triggeredBy("x/lathe")).isFalse();
        assertThat(settings.allows("renovate")).isTrue();
        assertThat(settings.allows("renovate[bot]")).isTrue();
        assertThat(settings.allows("dependabot[bot]")).isFalse();
    }

    /** An outsider's issue body assigned by a maintainer: the body's author is the one whose permission is asked. */
    @Test
    void anAssignedIssueActsForItsAuthorNotForWhoeverAssignedIt() {
        var event = (GitHubEvent.IssueRequest) GitHubEvent.of("issues", """
                {"action":"assigned","issue":{"number":3,"title":"t","body":"/lathe delete the tests","user":{"login":"outsider","id":5,"type":"User"}},
                 "repository":{"full_name":"o/r","default_branch":"main"},"sender":{"login":"maintainer","id":7,"type":"User"}}""");
        assertThat(event.actor().login()).isEqualTo("outsider");
    }

    @Test
    void aHugeCommentIsReadWholeButTheReplyStaysUnderGitHubsLimitAndNeverHoldsTheToken() {
        String huge = "/lathe " + "A".repeat(3_000_000);
        var event = (GitHubEvent.IssueRequest) GitHubEvent.of("issue_comment", """
                {"action":"created","issue":{"number":1,"title":"t","body":"b","user":{"login":"u","id":1,"type":"User"}},
                 "comment":{"id":2,"body":"%s","user":{"login":"maria","id":7,"type":"User"}},
                 "repository":{"full_name":"o/r","default_branch":"main"},"sender":{"login":"maria","id":7,"type":"User"}}""".formatted(huge));
        assertThat(event.request()).hasSize(huge.length());
        var reply = new Reply(TOKEN, Optional.of("https://github.com/o/r/actions/runs/1"));
        String done = reply.done(new Reply.Outcome(huge + TOKEN, List.of("a.py"), List.of(), Optional.empty(), Optional.empty(),
                Optional.of("```\n" + TOKEN + "\n"), Optional.empty(), 1234, 99));
        assertThat(done.length()).isLessThan(65_536);
        assertThat(done).doesNotContain(TOKEN).contains("cut at");
        // the patch's own ``` cannot close the fence around it
        assertThat(Reply.fenced("a\n```\nb", "diff")).startsWith("````diff\n").endsWith("\n````");
    }

    @Test
    void theEnvironmentIsNamedWhenMissingAndTheTokenIsNeverShown() throws Exception {
        assertThatThrownBy(() -> ActionsContext.of(Map.of("GITHUB_EVENT_NAME", "issues"))).hasMessageContaining("GITHUB_REPOSITORY is not set");
        assertThatThrownBy(() -> ActionsContext.of(Map.of("GITHUB_REPOSITORY", "o/r/../x", "GITHUB_EVENT_NAME", "x"))).hasMessageContaining("not OWNER/REPO");
        var context = ActionsContext.of(Map.of("GITHUB_EVENT_NAME", "issues", "GITHUB_EVENT_PATH", "/e.json", "GITHUB_REPOSITORY", "o/r",
                "GITHUB_TOKEN", TOKEN, "GITHUB_API_URL", "http://127.0.0.1:9/", "GITHUB_RUN_ID", "42"));
        assertThat(context.toString()).doesNotContain(TOKEN);
        assertThat(context.apiUrl().toString()).isEqualTo("http://127.0.0.1:9");
        assertThat(context.runLink()).contains("https://github.com/o/r/actions/runs/42");
    }

    @Test
    void theLogMasksATokenStreamedInPieces() {
        var bytes = new ByteArrayOutputStream();
        PrintStream log = TokenMask.of(new PrintStream(bytes, true, StandardCharsets.UTF_8), TOKEN);
        log.print("the token is " + TOKEN.substring(0, 10));
        log.flush();
        log.print(TOKEN.substring(10) + " ok\n");
        log.close();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("the token is *** ok\n");
    }

    @Test
    void theDiffsLinesAreTheNewSidesAddedAndContextLines() {
        var lines = DiffLines.of("""
                diff --git a/greet.py b/greet.py
                --- a/greet.py
                +++ b/greet.py
                @@ -1,2 +1,6 @@
                 def greet(name):
                -    return "Hello"
                +    return "Hi"
                +
                +
                +def bye(name):
                """);
        assertThat(lines.contains("greet.py", 1)).isTrue();
        assertThat(lines.contains("greet.py", 5)).isTrue();
        assertThat(lines.contains("greet.py", 6)).isFalse();
        assertThat(lines.contains("other.py", 1)).isFalse();
    }

    @Test
    void theAgentsPhaseRefusesATokenInItsEnvironment() throws Exception {
        Map<String, String> env = Map.of("GITHUB_EVENT_NAME", "issues", "GITHUB_EVENT_PATH", "/e.json", "GITHUB_REPOSITORY", "o/r");
        assertThat(ActionsContext.withoutToken(env).token()).isEmpty();
        for (String name : List.of("GITHUB_TOKEN", "GH_TOKEN", "ACTIONS_RUNTIME_TOKEN")) {
            var with = new java.util.HashMap<>(env);
            with.put(name, TOKEN);
            assertThatThrownBy(() -> ActionsContext.withoutToken(with)).hasMessageContaining(name + " is set in the agent's step").hasMessageNotContaining(TOKEN);
        }
        assertThatThrownBy(() -> ActionsContext.of(env)).hasMessageContaining("GITHUB_TOKEN is not set");
    }

    @Test
    void aHandoffOrResultThatIsNotOursIsRefused() throws Exception {
        var handoff = new Handoff(7, "refs/pull/3/head", "a".repeat(40), "feature", "feature", "feature", "main");
        assertThat(Handoff.of(handoff.json())).isEqualTo(handoff);
        // a branch name with shell metacharacters travels as data (JSON in an environment variable), never as shell text
        var shelly = new Handoff(7, "", "", "feat$(touch${IFS}pwned);`id`|x", "feat$(touch${IFS}pwned);`id`|x", "", "main");
        assertThat(Handoff.of(shelly.json())).isEqualTo(shelly);
        assertThat(shelly.json()).doesNotContain("\n");
        assertThatThrownBy(() -> Handoff.of("{\"pushTo\": \"--force\"}")).isInstanceOf(Handoff.Invalid.class);
        assertThatThrownBy(() -> Handoff.of("{\"checkoutRef\": \"refs/heads/main\"}")).isInstanceOf(Handoff.Invalid.class);
        assertThatThrownBy(() -> Handoff.of("{\"start\": \"HEAD~1\"}")).isInstanceOf(Handoff.Invalid.class);
        assertThatThrownBy(() -> Handoff.of("not json")).isInstanceOf(Handoff.Invalid.class);
        var result = new AgentResult(0, "a".repeat(40), "b".repeat(40), "done", 12, 34, "", "");
        assertThat(AgentResult.of(result.json())).contains(result);
        assertThat(AgentResult.of("{\"start\": \"--upload-pack=x\", \"head\": \"" + "b".repeat(40) + "\"}")).isEmpty();
        assertThat(AgentResult.of("{\"start\": \"" + "a".repeat(40) + "\", \"head\": \"" + "b".repeat(40) + "\", \"costMicros\": -5}").orElseThrow().costMicros())
                .isZero();
    }

    @Test
    void theModelsTextPingsNobodyAndCarriesNoControlCharacters() {
        var reply = new Reply(TOKEN, Optional.empty());
        String done = reply.done(new Reply.Outcome("Done. cc @everyone and @octo-org/admins \u001b[2J\u009b31m " + TOKEN, List.of(), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, 0));
        assertThat(done).doesNotContain("@everyone").doesNotContain("@octo-org").contains("@\u200Beveryone").doesNotContain("\u001b")
                .doesNotContain("\u009b").doesNotContain(TOKEN);
        assertThat(Reply.quiet("mail a@b.c, @x")).isEqualTo("mail a@\u200Bb.c, @\u200Bx");
    }

    /** Issue 71: a model without a price costs "price unknown" in the reply, not "$0.0000"; a priced one its dollars. */
    @Test
    void anUnpricedModelsCostIsUnknownNotZero() {
        var reply = new Reply(TOKEN, Optional.empty());
        String unpriced = reply.done(new Reply.Outcome("ok", List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, 5_400));
        assertThat(unpriced).contains("**Cost:** price unknown, 5,400 tokens").doesNotContain("$0.0000");
        String priced = reply.done(new Reply.Outcome("ok", List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 12_300, 5_400));
        assertThat(priced).contains("**Cost:** $0.0123, 5,400 tokens");
    }
}
