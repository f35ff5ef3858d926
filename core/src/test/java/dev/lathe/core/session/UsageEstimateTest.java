package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Protocols;
import dev.lathe.llm.TokenEstimate;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A provider that reports no usage (some local servers and proxies) still gets token counts: estimated ones. */
class UsageEstimateTest {
    @TempDir Path tmp;

    @Test
    void usageIsEstimatedWhenTheProviderReportsNoneAndTakenAsReportedOtherwise() throws Exception {
        try (var llm = FakeLlm.start()) {
            String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                    + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}}";
            try (var h = new Harness(tmp, config, 10, Protocols.standard(HttpClient.newHttpClient()))) {
                String answer = "The answer is forty-two, and here is a longer explanation of why that is so.";
                llm.enqueue(Turn.of(Step.text(answer)).usage(0, 0, 0, 0));
                llm.enqueue(Turn.of(Step.text("Reported.")).usage(1234, 56, 700, 0));
                var session = h.session();
                h.promptAndWait(session.id(), "what is the answer?");
                h.promptAndWait(session.id(), "and again?");

                var finishes = h.api.messages(session.id()).stream().flatMap(m -> m.parts().stream())
                        .filter(Part.StepFinish.class::isInstance).map(Part.StepFinish.class::cast).toList();
                var estimated = finishes.get(0).usage();
                // the request holds the system prompt and the tool definitions: thousands of tokens
                assertThat(estimated.input()).isGreaterThan(1_000);
                assertThat(estimated.output()).isEqualTo(TokenEstimate.of(answer));
                var reported = finishes.get(1).usage();
                assertThat(reported.input()).isEqualTo(1234);
                assertThat(reported.cacheRead()).isEqualTo(700);
                assertThat(reported.output()).isEqualTo(56);
                var first = (AssistantMessage) h.api.messages(session.id()).get(1).info();
                assertThat(first.usage()).isEqualTo(estimated);
            }
        }
    }
}
