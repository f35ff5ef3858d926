package dev.lathe.core.session.turn;

import dev.lathe.core.agent.Agent;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.llm.LlmError;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a turn stands: the agent and model answering, the assistant message being written with its usage and cost so
 * far, the compactions made, the attempt of the current step and the time waited for its retries, and the prompts the
 * turn answers. Only the turn's own thread touches it.
 */
final class TurnState {
    /** The agent of the user message being answered: its prompt, tools, permissions and step limit apply. */
    private Agent agent;
    /** The model of the current step: the session's, until a failover moves the turn to a fallback. */
    private ResolvedModel model;
    private AssistantMessage message;
    /** Usage of the current assistant message so far. */
    private Usage total = Usage.ZERO;
    /** Cost of the current assistant message so far, in micro-dollars, each step priced by the model that ran it. */
    private long cost;
    private int compactions;
    /** Steps in a row whose every tool call was invalid (the model could not repair them). */
    private int invalidSteps;
    private int attempt = 1;
    private Duration waited = Duration.ZERO;
    /**
     * The prompts this turn has shown the model so far (prompts sent while it runs join it), and whether any of them
     * asked for its asks to be answered allow-once ({@code allowAll}): once one has, the rest of the turn is answered so.
     */
    private final List<MessageId> prompts = new ArrayList<>();
    private boolean allowAll;

    TurnState(Agent agent, ResolvedModel model) {
        this.agent = agent;
        this.model = model;
    }

    Agent agent() { return agent; }

    ResolvedModel model() { return model; }

    AssistantMessage message() { return message; }

    Usage total() { return total; }

    long cost() { return cost; }

    int compactions() { return compactions; }

    int attempt() { return attempt; }

    boolean allowAll() { return allowAll; }

    /** The prompts answered so far, the first one the turn was started for. */
    List<MessageId> prompts() { return List.copyOf(prompts); }

    /** A new prompt (queued meanwhile) is answered from now on, by its own agent. */
    void agent(Agent agent) { this.agent = agent; }

    /** A failover moved the turn to {@code model}. */
    void model(ResolvedModel model) { this.model = model; }

    /** {@code message} is the assistant message written from now on: its usage and cost start from zero. */
    void writing(AssistantMessage message) {
        this.message = message;
        this.total = Usage.ZERO;
        this.cost = 0;
    }

    /** A step's usage and cost join the current message's. */
    void spent(Usage usage, long microDollars) {
        total = total.plus(usage);
        cost += microDollars;
    }

    /** From now on the turn answers {@code prompt} too; false when it already did. */
    boolean answering(MessageId prompt, boolean asksAllowAll) {
        if (prompts.contains(prompt)) return false;
        prompts.add(prompt);
        allowAll |= asksAllowAll;
        return true;
    }

    /** The turn answers more than one prompt only after its first. */
    MessageId firstPrompt() { return prompts.getFirst(); }

    boolean mayCompact() { return compactions < FailedStep.MAX_COMPACTIONS; }

    void compacted() { compactions++; }

    /** A step whose every call was refused as invalid: returns how many such steps came in a row now. */
    int invalidStep() { return ++invalidSteps; }

    /** A step made at least one valid call, or none: the model's repairs start over. */
    void validStep() { invalidSteps = 0; }

    /** The step will be sent again after {@code wait}, as attempt {@code next}. */
    void retrying(int next, Duration wait) {
        attempt = next;
        waited = waited.plus(wait);
    }

    /** A step went through (or the turn moved on to another model or a compacted history): retries start over. */
    void freshAttempts() {
        attempt = 1;
        waited = Duration.ZERO;
    }

    /** The current step failed with {@code error}: what the decision of what follows needs to know. */
    FailedStep failed(LlmError error, boolean fallbacksLeft) {
        return new FailedStep(error, attempt, waited, compactions, fallbacksLeft);
    }
}
