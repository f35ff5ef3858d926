package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.StopReason;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The administrator's managed settings in a real turn (DESIGN §29), while the user's own config allows everything. */
class ManagedPolicyTurnTest {
    @TempDir Path tmp;

    @Test
    void disableAllowAllRefusesThePromptAndAManagedDenyRefusesTheCallBothNamingTheSetting() throws Exception {
        Path policy = Files.writeString(tmp.resolve("managed.json"), "{\"disableAllowAll\": true, \"permission\": {\"bash\": {\"rm *\": \"deny\"}}}");
        try (var h = new Harness(tmp, ", \"permission\": {\"*\": \"allow\", \"bash\": {\"*\": \"allow\", \"rm *\": \"allow\"}}", 10)) {
            var s = h.session();

            assertThatThrownBy(() -> h.api.prompt(s.id(), PromptRequest.text("clean up").allowingAll()))
                    .isInstanceOf(LatheException.InvalidInput.class)
                    .hasMessage("--allow-all is refused: the managed setting disableAllowAll (" + policy + ") turns it off; run without it");
            assertThat(h.llm.requests).as("nothing was sent for the refused prompt").isEmpty();

            h.llm.then(java.util.stream.Stream.concat(java.util.Arrays.stream(call(0, "b1", "bash", "{\"command\": \"rm -rf build\", \"description\": \"clean\"}")),
                    java.util.stream.Stream.of(finish(StopReason.TOOL_CALLS))).toArray(dev.lathe.llm.LlmEvent[]::new));
            h.llm.then(text("could not"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "clean up");

            assertThat(toolState(h, s, "b1")).isInstanceOfSatisfying(ToolState.Failed.class,
                    f -> assertThat(f.error()).startsWith("Denied by bash: rm * (managed setting, " + policy + ")"));
        }
    }

    /**
     * Issue 79: a hook whose command climbs out of the admitted folder with {@code ..} (plain, quoted, or made by a
     * brace expansion) is not started; the hook that lives there still runs.
     */
    @Test
    void allowedCommandsAdmitsOnlyWhatLivesInItsFolderNotAPathThatClimbsOutOfIt() throws Exception {
        Path hooks = Files.createDirectories(tmp.resolve("corp-hooks"));
        Path ok = Files.writeString(hooks.resolve("audit.sh"), "#!/bin/sh\ntouch " + tmp.resolve("ran-audit") + "\n");
        ok.toFile().setExecutable(true);
        Files.writeString(tmp.resolve("managed.json"), "{\"allowedCommands\": [\"" + hooks + "/*\"]}");
        String up = "/..".repeat(hooks.getNameCount());
        List<String> escapes = List.of(
                hooks + up + "/bin/sh -c 'touch " + tmp.resolve("escaped-plain") + "'",
                hooks + "/\\\"..\\\"" + "/\\\"..\\\"".repeat(hooks.getNameCount() - 1) + "/bin/sh -c 'touch " + tmp.resolve("escaped-quoted") + "'",
                hooks + "/{.." + up.substring(3) + ",x}/bin/sh -c 'touch " + tmp.resolve("escaped-brace") + "'");
        var entries = new StringBuilder("{\"type\": \"command\", \"command\": \"" + ok + "\"}");
        for (String e : escapes) entries.append(", {\"type\": \"command\", \"command\": \"").append(e).append("\"}");
        try (var h = Harness.withHooks(tmp, ", \"hooks\": {\"UserPromptSubmit\": [{\"hooks\": [" + entries + "]}]}", 10, null).trustProject()) {
            var s = h.session();
            h.llm.then(text("done"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "hello");
        }

        assertThat(tmp.resolve("ran-audit")).as("the admitted hook ran").exists();
        assertThat(tmp.resolve("escaped-plain")).doesNotExist();
        assertThat(tmp.resolve("escaped-quoted")).doesNotExist();
        assertThat(tmp.resolve("escaped-brace")).doesNotExist();
    }

    /**
     * Issue 79: a user keeps the provider name the policy allows ({@code openai}) and points its baseUrl at a host of
     * their choosing (here the fake model on loopback): the prompt is refused naming the managed file and the hosts it
     * allows, and that host receives nothing. The administrator's allowedBaseUrls admits it.
     */
    @Test
    void anAllowedProviderPointedAtAnotherHostIsRefusedUnlessAllowedBaseUrlsListsIt() throws Exception {
        try (var llm = dev.lathe.testkit.FakeLlm.start()) {
            llm.respondWith(r -> dev.lathe.testkit.Turn.of(dev.lathe.testkit.Step.text("ANSWERED")));
            String config = "{\"model\": \"openai/gpt-x\", \"provider\": {\"openai\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                    + "\", \"apiKey\": \"sk-user\", \"models\": {\"gpt-x\": {\"context\": 100000, \"output\": 4000}}}}}";
            var http = dev.lathe.llm.Protocols.standard(java.net.http.HttpClient.newHttpClient());

            Path refusedRoot = Files.createDirectories(tmp.resolve("refused"));
            Path policy = Files.writeString(refusedRoot.resolve("managed.json"), "{\"allowedProviders\": [\"openai\"]}");
            String said;
            try (var h = Harness.withHooksAndConfig(refusedRoot, config, dev.lathe.core.hooks.HookRunLog.NONE, http)) {
                said = refusal(h);
            }
            assertThat(said).contains("provider 'openai' at " + llm.baseUrl() + " is refused by the managed setting allowedProviders (" + policy + ")")
                    .contains("allowed are https://api.openai.com/v1");
            assertThat(llm.requests()).as("nothing reached the user's host").isEmpty();

            Path admittedRoot = Files.createDirectories(tmp.resolve("admitted"));
            Files.writeString(admittedRoot.resolve("managed.json"), "{\"allowedProviders\": [\"openai\"], \"allowedBaseUrls\": {\"openai\": [\""
                    + llm.baseUrl().replaceAll("/v1$", "") + "\"]}}");
            try (var h = Harness.withHooksAndConfig(admittedRoot, config, dev.lathe.core.hooks.HookRunLog.NONE, http)) {
                var s = h.session();
                h.promptAndWait(s.id(), "hello");
            }
            assertThat(llm.requests()).as("the administrator's host is reached").isNotEmpty();
        }
    }

    /** What a session and prompt that may not be sent say: refused at once (creating the session), or the session's error. */
    private static String refusal(Harness h) throws Exception {
        dev.lathe.protocol.session.Session s;
        try {
            s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("the secret plan"));
        } catch (LatheException e) {
            return e.getMessage();
        }
        var errored = (dev.lathe.protocol.event.Event.SessionErrored) h.awaitEvent(dev.lathe.protocol.event.Event.SessionErrored.class::isInstance);
        return errored.error().message();
    }

    private static ToolState toolState(Harness h, dev.lathe.protocol.session.Session s, String callId) {
        return h.api.messages(s.id()).stream().flatMap(m -> m.parts().stream()).filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast)
                .filter(t -> t.callId().equals(callId)).findFirst().orElseThrow(() -> new AssertionError("no call " + callId)).state();
    }
}
