package dev.lathe.run.github;

import dev.lathe.protocol.wire.WireJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the gate decided, with the token and before the model, for the agent step (which has no token) and the publish
 * step: the progress comment, the ref the workflow checks out for both, the commit the work starts from, the branch the
 * agent works on and the one that is pushed. The installed workflow passes it as the gate job's output {@code handoff}
 * (environment {@code LATHE_HANDOFF}); {@code lathe github run} in one process keeps it in memory.
 *
 * @param comment the progress comment's id, 0 when there is none (a dispatch answers in the job's summary)
 * @param checkoutRef what the agent's and publish's checkout must be ({@code refs/pull/N/head}), empty for the event's commit
 * @param start the commit the work starts from, empty for whatever the checkout is at (an issue's work)
 * @param branch the local branch the agent works on, empty for a detached head (a fork's PR, a review)
 * @param pushTo the branch the publish step pushes to, empty when nothing is pushed (a fork's PR gets a patch)
 * @param headRef the pull request's head branch, for the prompt; empty when none
 * @param baseRef the pull request's base branch, for the prompt; empty when none
 */
record Handoff(long comment, String checkoutRef, String start, String branch, String pushTo, String headRef, String baseRef) {
    static final Handoff NONE = new Handoff(0, "", "", "", "", "", "");

    /** A gate's answer that cannot be right (an edited output): refused before anything runs. */
    static final class Invalid extends Exception {
        Invalid(String message) { super(message); }
    }

    String json() {
        ObjectNode o = WireJson.mapper().createObjectNode();
        o.put("comment", comment);
        o.put("checkoutRef", checkoutRef);
        o.put("start", start);
        o.put("branch", branch);
        o.put("pushTo", pushTo);
        o.put("headRef", headRef);
        o.put("baseRef", baseRef);
        return WireJson.write(o);
    }

    static Handoff of(String json) throws Invalid {
        JsonNode o;
        try {
            o = WireJson.mapper().readTree(json);
        } catch (RuntimeException e) {
            throw new Invalid("LATHE_HANDOFF is not the gate's JSON");
        }
        if (o == null || !o.isObject()) throw new Invalid("LATHE_HANDOFF is not the gate's JSON");
        var h = new Handoff(o.path("comment").asLong(0), o.path("checkoutRef").asString(""), o.path("start").asString(""), o.path("branch").asString(""),
                o.path("pushTo").asString(""), o.path("headRef").asString(""), o.path("baseRef").asString(""));
        if (!h.start().isEmpty() && !h.start().matches("[0-9a-f]{40}")) throw new Invalid("LATHE_HANDOFF's start is not a commit id");
        if (!h.checkoutRef().isEmpty() && !h.checkoutRef().matches("refs/pull/[0-9]+/head")) throw new Invalid("LATHE_HANDOFF's checkoutRef is not a pull request's head");
        for (String branch : new String[] {h.branch(), h.pushTo()}) {
            if (branch.startsWith("-") || branch.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) throw new Invalid("LATHE_HANDOFF names a branch git would not take");
        }
        return h;
    }
}
