package dev.lathe.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * Body of {@code POST /sessions/{id}/prompt}. {@code model} ({@code provider/model}) switches the session's model.
 * {@code allowAll} answers every permission ask of the turn that answers this prompt (and of the subagents it starts)
 * with allow-once as it is raised, as {@code lathe run --allow-all} asks for: the asks are still announced, but no client
 * needs to be there, and none is waited for. Rules that deny still deny. {@code delivery} says what a prompt to a busy
 * session does ({@link Delivery}; absent: {@link Delivery#queue}). {@code unattended}: nobody watches the turn (a goal
 * loop's), so its asks (and its subagents') follow {@code permission.unattended} (DESIGN §26: denied and reported to
 * the model by default); {@code denyAsks}: each ask is denied and reported to the model, whatever the config says
 * ({@code lathe run --deny-asks}). {@code allowAll} wins over both. {@code headless}: the client cannot answer the
 * {@code question} tool ({@code lathe run} declines every question); a session whose first prompt says so is never
 * offered it (decision 494). {@code auto}: the turn's asks are answered by auto-approval's classifier (DESIGN §31), when
 * the user's or managed settings name one ({@code permission.auto}); nothing changes when they do not ({@code lathe run
 * --auto}, the terminal UI's mode cycle, the web toggle). {@code mode}: how the turn answers its asks
 * ({@link PermissionMode}: {@code auto} is {@code auto: true}; {@code plan} runs it as the {@code plan} agent;
 * {@code default} turns off auto-approval the configuration's {@code "defaultMode": "auto"} would start; absent, the
 * configuration's {@code defaultMode} applies); a mode that contradicts {@code auto} or {@code agent} is refused.
 */
public record PromptRequest(List<InputPart> parts, Optional<String> agent, Optional<String> model,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowAll, Optional<Delivery> delivery,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean unattended, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean denyAsks,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean headless, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean auto,
        Optional<PermissionMode> mode) {
    public PromptRequest {
        mode = mode == null ? Optional.empty() : mode;
    }

    public PromptRequest(List<InputPart> parts, Optional<String> agent, Optional<String> model, boolean allowAll, Optional<Delivery> delivery,
            boolean unattended, boolean denyAsks, boolean headless, boolean auto) {
        this(parts, agent, model, allowAll, delivery, unattended, denyAsks, headless, auto, Optional.empty());
    }

    public PromptRequest(List<InputPart> parts, Optional<String> agent, Optional<String> model, boolean allowAll, Optional<Delivery> delivery,
            boolean unattended, boolean denyAsks, boolean headless) {
        this(parts, agent, model, allowAll, delivery, unattended, denyAsks, headless, false);
    }

    public PromptRequest(List<InputPart> parts, Optional<String> agent, Optional<String> model, boolean allowAll, Optional<Delivery> delivery,
            boolean unattended, boolean denyAsks) {
        this(parts, agent, model, allowAll, delivery, unattended, denyAsks, false);
    }

    public PromptRequest(List<InputPart> parts, Optional<String> agent, Optional<String> model, boolean allowAll, Optional<Delivery> delivery) {
        this(parts, agent, model, allowAll, delivery, false, false);
    }

    public PromptRequest(List<InputPart> parts, Optional<String> agent, Optional<String> model) {
        this(parts, agent, model, false);
    }

    public PromptRequest(List<InputPart> parts, Optional<String> agent, Optional<String> model, boolean allowAll) {
        this(parts, agent, model, allowAll, Optional.empty());
    }

    public static PromptRequest text(String text) {
        return new PromptRequest(List.of(new InputPart.Text(text)), Optional.empty(), Optional.empty());
    }

    /** This prompt with its asks answered allow-once by the server. */
    public PromptRequest allowingAll() { return new PromptRequest(parts, agent, model, true, delivery, unattended, denyAsks, headless, auto, mode); }

    /** This prompt delivered as {@code how} when the session is busy. */
    public PromptRequest delivered(Delivery how) { return new PromptRequest(parts, agent, model, allowAll, Optional.of(how), unattended, denyAsks, headless, auto, mode); }

    /** This prompt with nobody to answer its turn's asks: {@code permission.unattended} applies (a goal loop's turn, a schedule's). */
    public PromptRequest unattendedRun() { return new PromptRequest(parts, agent, model, allowAll, delivery, true, denyAsks, headless, auto, mode); }

    /** This prompt with each of its turn's asks denied and reported to the model ({@code lathe run --deny-asks}). */
    public PromptRequest denyingAsks() { return new PromptRequest(parts, agent, model, allowAll, delivery, unattended, true, headless, auto, mode); }

    /** This prompt from a client that cannot answer the {@code question} tool ({@code lathe run}). */
    public PromptRequest fromHeadlessClient() { return new PromptRequest(parts, agent, model, allowAll, delivery, unattended, denyAsks, true, auto, mode); }

    /** This prompt with its turn's asks answered by auto-approval's classifier ({@code lathe run --auto}). */
    public PromptRequest autoApproved() { return new PromptRequest(parts, agent, model, allowAll, delivery, unattended, denyAsks, headless, true, mode); }

    /** This prompt with its turn's asks answered as {@code how} says (the terminal UI's mode, the web toggle). */
    public PromptRequest inMode(PermissionMode how) {
        return new PromptRequest(parts, agent, model, allowAll, delivery, unattended, denyAsks, headless, auto, Optional.of(how));
    }

    /** Whether auto-approval's classifier is asked for: {@code auto}, or the {@code auto} mode. */
    public boolean asksAuto() { return auto || mode.filter(m -> m == PermissionMode.AUTO).isPresent(); }

    /** How it reaches a busy session: as asked, else queued after the running turn. */
    public Delivery deliveryOrQueue() { return delivery.orElse(Delivery.queue); }
}
