package dev.lathe.run.github;

import dev.lathe.protocol.wire.WireJson;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the agent step leaves for the publish step: the session's exit code, answer, cost and tokens, the commits it
 * started from and ended at (the commits between travel as a git bundle beside it), why nothing may be published when
 * so, and a review's report. Written as {@code result.json} in the artifact folder; the publish step reads it as
 * untrusted (the session could write that folder) and decides the branch, the repository and what is posted itself.
 *
 * @param refusal why nothing is published (the session switched branches), empty when the work may be
 * @param review the review's report in DESIGN §18's JSON form, empty when none
 */
record AgentResult(int exit, String start, String head, String answer, long costMicros, long tokens, String refusal, String review) {
    static final String FILE = "result.json";
    static final String BUNDLE = "result.bundle";

    Optional<String> refused() { return Optional.of(refusal).filter(r -> !r.isEmpty()); }

    String json() {
        ObjectNode o = WireJson.mapper().createObjectNode();
        o.put("exit", exit);
        o.put("start", start);
        o.put("head", head);
        o.put("answer", answer);
        o.put("costMicros", costMicros);
        o.put("tokens", tokens);
        o.put("refusal", refusal);
        o.put("review", review);
        return WireJson.write(o);
    }

    static Optional<AgentResult> of(String json) {
        JsonNode o;
        try {
            o = WireJson.mapper().readTree(json);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (o == null || !o.isObject()) return Optional.empty();
        String start = o.path("start").asString("");
        String head = o.path("head").asString("");
        if (!start.matches("[0-9a-f]{40}") || !head.matches("[0-9a-f]{40}")) return Optional.empty();
        return Optional.of(new AgentResult(o.path("exit").asInt(1), start, head, o.path("answer").asString(""), Math.max(0, o.path("costMicros").asLong(0)),
                Math.max(0, o.path("tokens").asLong(0)), o.path("refusal").asString(""), o.path("review").asString("")));
    }
}
