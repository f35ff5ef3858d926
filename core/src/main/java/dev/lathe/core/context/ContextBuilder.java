package dev.lathe.core.context;

import dev.lathe.core.agent.Agent;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.skill.SkillFiles;
import dev.lathe.core.toolcall.ExtensionTools;
import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.RequestTransforms;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.HeadlessPrompt;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptNotRun;
import dev.lathe.protocol.session.PromptQueued;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.tools.Effect;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Builds the request of one step from stored history, in the cache-stable layout of DESIGN §7: system block A (the
 * agent's prompt), the tools sorted by name (those the agent may use: {@link AgentTools}), system block B (project
 * instructions, and the subagents the task tool starts), then the messages. Nothing in it depends
 * on the step number except the messages appended since the last step, so step n+1's request starts with step n's.
 */
public final class ContextBuilder {
    public static final String STEP_LIMIT_NOTE = "You have reached the maximum number of steps for this turn. Do not call any more tools. "
            + "Reply with a short summary of what was done and what remains.";

    private final List<ToolSpec> tools;
    /**
     * The tools that follow background work: of subagents ({@code task_status}, {@code task_cancel}, where {@code task}
     * is offered) and of commands ({@code bash_output}, {@code bash_kill}, in {@link #commandTrackers}). Offered, after
     * every other tool, only once the session started a background task or command, so the default first request
     * stays within its size (DESIGN §16, §28) and the list grows at its end, once.
     */
    private final List<ToolSpec> trackers;
    /** Names of the trackers of background commands ({@link dev.lathe.tools.Effect#TRACKS_COMMANDS}): offered without {@code task}. */
    private final java.util.Set<String> commandTrackers;
    /** Names of the tools that load skills ({@link dev.lathe.tools.Effect#LOADS_SKILLS}): offered only while block B lists one. */
    private final java.util.Set<String> skillLoaders;
    /** Names of the tools that ask the user ({@link dev.lathe.tools.Effect#TALKS_TO_USER}): not offered where nobody can answer. */
    private final java.util.Set<String> askers;
    /** Where outputs pruned by compaction are saved for the model to read back ({@link #prunedOutput}). */
    private final java.nio.file.Path outputDir;

    /** Names of the tools that start subagents ({@link dev.lathe.tools.Effect#STARTS_SUBAGENTS}): offered as {@link AgentTools} says. */
    private final java.util.Set<String> delegating;

    /** Names of the tools that report spend ({@link dev.lathe.tools.Effect#READS_SPEND}): offered only with spend limits. */
    private final java.util.Set<String> spendReaders;
    /** Names of the tools offered only to agents whose list names them (those that report review findings). */
    private final java.util.Set<String> namedOnly;

    /** The tools of a team's work (send_message, team_tasks): offered at the end, only to a session in a team. */
    private final List<ToolSpec> teamWork;
    /** Names of the tools that make a team: offered only where {@code agents.maxTeamMembers} allows teams, to a primary agent. */
    private final java.util.Set<String> teamMakers;
    /** Whether a session (by id) leads or is a member of an agent team. */
    private final java.util.function.Predicate<String> inTeam;

    /** Tools from outside the registry (MCP), appended after the built-ins in the order they give. */
    private final ExtensionTools extensions;

    /** Tools are sorted by name so their serialisation never depends on registration order. */
    public ContextBuilder(ToolRegistry registry, java.nio.file.Path outputDir) {
        this(registry, ExtensionTools.NONE, outputDir);
    }

    /**
     * A builder whose requests carry, after the registry's tools sorted by name, the tools {@code extensions} offers
     * for the session at that step, in their order (so a list that only grows at its end keeps the cached prefix).
     */
    public ContextBuilder(ToolRegistry registry, ExtensionTools extensions, java.nio.file.Path outputDir) {
        this(registry, extensions, outputDir, _ -> false);
    }

    /** As above; {@code inTeam} says which sessions are offered the team tools (DESIGN §18 "Agent teams"). */
    public ContextBuilder(ToolRegistry registry, ExtensionTools extensions, java.nio.file.Path outputDir,
            java.util.function.Predicate<String> inTeam) {
        this.extensions = extensions;
        this.inTeam = inTeam;
        this.commandTrackers = namesWith(registry, Effect.TRACKS_COMMANDS);
        this.skillLoaders = namesWith(registry, Effect.LOADS_SKILLS);
        this.askers = namesWith(registry, Effect.TALKS_TO_USER);
        java.util.Set<String> trackers = new java.util.HashSet<>(namesWith(registry, Effect.TRACKS_SUBAGENTS));
        trackers.addAll(commandTrackers);
        java.util.Set<String> teamWork = registry.all().stream().filter(t -> t.effects().contains(Effect.WORKS_IN_TEAM)).map(t -> t.name())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.teamWork = registry.specs().stream().filter(s -> teamWork.contains(s.name())).sorted(java.util.Comparator.comparing(ToolSpec::name)).toList();
        this.teamMakers = registry.all().stream().filter(t -> t.effects().contains(Effect.MAKES_TEAMS)).map(t -> t.name())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.tools = registry.specs().stream().filter(s -> !trackers.contains(s.name()) && !teamWork.contains(s.name()))
                .sorted(java.util.Comparator.comparing(ToolSpec::name)).toList();
        this.trackers = registry.specs().stream().filter(s -> trackers.contains(s.name())).sorted(java.util.Comparator.comparing(ToolSpec::name)).toList();
        this.delegating = registry.all().stream().filter(t -> t.effects().contains(Effect.STARTS_SUBAGENTS))
                .map(Tool::name).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.spendReaders = registry.all().stream().filter(t -> t.effects().contains(Effect.READS_SPEND))
                .map(Tool::name).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.namedOnly = registry.all().stream().filter(t -> t.effects().contains(Effect.REPORTS_FINDINGS) || t.effects().contains(Effect.READS_TODOS))
                .map(t -> t.name()).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.outputDir = outputDir;
    }

    private static java.util.Set<String> namesWith(ToolRegistry registry, Effect effect) {
        return registry.all().stream().filter(t -> t.effects().contains(effect)).map(Tool::name)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Which step of a turn a request is for. */
    public enum Step {
        /** Any step before the turn's last: the model may call tools. */
        NORMAL,
        /** The turn's last allowed step: tools are off, and the model is told to sum up ({@link #STEP_LIMIT_NOTE}). */
        LAST
    }

    /** The request of one step of a turn ({@code step}); a request measured rather than sent is built as {@link Step#NORMAL}. */
    public LlmRequest build(Project project, Agent agent, ResolvedModel model, List<MessageWithParts> history, Step step) {
        return build(project, agent, model, history, step, KeptMessages.none());
    }

    /**
     * As above, reusing the messages {@code kept} holds from the turn's previous step where the history they were made
     * of is unchanged (the request is the same; its unchanged messages are the same objects).
     */
    public LlmRequest build(Project project, Agent agent, ResolvedModel model, List<MessageWithParts> history, Step step, KeptMessages kept) {
        ContextView view = ContextView.of(history);
        kept.begin(this, model.provider().id(), view.pruned());
        List<LlmMessage> messages = messages(view, model, java.util.Set.of(), kept);
        var request = switch (step) {
            case NORMAL -> request(project, agent, model, session(history), messages, ToolChoice.AUTO, trackersFor(history, kept), headless(history), kept);
            case LAST -> {
                messages.add(STEP_LIMIT_MESSAGE);
                yield request(project, agent, model, session(history), messages, ToolChoice.NONE, trackersFor(history, kept), headless(history), kept);
            }
        };
        kept.end();
        return request;
    }

    private static final LlmMessage STEP_LIMIT_MESSAGE = LlmMessage.user(List.of(new Content.Text(STEP_LIMIT_NOTE)));

    /**
     * The request that asks for a compaction summary: the same system blocks and tools as every step (so the provider
     * serves the prefix from its cache), the history to summarise as the model saw it — with the outputs of
     * {@code alsoPruned} cut as well — then {@code instruction} as the last user message, and no tool use allowed.
     */
    public LlmRequest summaryRequest(Project project, Agent agent, ResolvedModel model, List<MessageWithParts> history, java.util.Set<String> alsoPruned,
            String instruction) {
        List<LlmMessage> messages = messages(ContextView.of(history), model, alsoPruned, KeptMessages.none());
        messages.add(LlmMessage.user(List.of(new Content.Text(instruction))));
        return request(project, agent, model, session(history), messages, ToolChoice.NONE, trackersFor(history, KeptMessages.none()), headless(history),
                KeptMessages.none());
    }

    /** {@link #trackers} once {@code history} holds a call that started a background task or command, else none. */
    private List<ToolSpec> trackersFor(List<MessageWithParts> history, KeptMessages kept) {
        return kept.anyPart(history, ContextBuilder::startedBackground) ? trackers : List.of();
    }

    /** The metadata key of a {@code bash} call that started a background command (its id). */
    private static final String BACKGROUND_COMMAND = "backgroundId";

    private static boolean startedBackground(Part p) {
        return p instanceof Part.Tool t && t.state() instanceof ToolState.Completed c
                && ("true".equals(c.metadata().get("background")) || c.metadata().containsKey(BACKGROUND_COMMAND));
    }

    /** Whether the session's first prompt came from a client that cannot answer questions: read there only, so decided once. */
    private static boolean headless(List<MessageWithParts> history) {
        return !history.isEmpty() && HeadlessPrompt.marks(history.getFirst().parts());
    }

    private static String session(List<MessageWithParts> history) {
        return history.isEmpty() ? "" : history.getFirst().info().sessionId().value();
    }

    /** The file a pruned output is saved in: one per session and call, so the placeholder's text never changes. */
    public java.nio.file.Path prunedOutput(SessionId session, String callId) {
        return outputDir.resolve(session.value()).resolve(callId.replaceAll("[^A-Za-z0-9_.-]", "_") + ".txt");
    }

    private List<LlmMessage> messages(ContextView view, ResolvedModel model, java.util.Set<String> alsoPruned, KeptMessages kept) {
        java.util.Set<String> pruned = new java.util.HashSet<>(view.pruned());
        pruned.addAll(alsoPruned);
        List<LlmMessage> messages = new ArrayList<>();
        String target = model.provider().id();
        List<MessageWithParts> all = view.messages();
        for (int i = 0; i < all.size(); i++) {
            MessageWithParts m = all.get(i);
            switch (m.info()) {
                case UserMessage _ -> {
                    // a prompt an abort left not run: the user stopped the session before it, so the model never reads it;
                    // nor does the running turn read one queued behind it (its own turn shows it, stored again unmarked)
                    if (!PromptNotRun.marks(m.parts()) && !PromptQueued.marks(m.parts())) {
                        user(Resent.withoutResentPrompt(all, i), messages, kept);
                    }
                }
                case AssistantMessage a -> {
                    assistant(a.id(), a.model(), target, m.parts(), pruned, isAborted(a), messages, kept);
                    // the user stopped this answer: the model reads that it was stopped, so it neither takes the next prompt
                    // as a reply to what it was saying nor answers the stopped prompt again (Claude Code's marker)
                    if (isAborted(a)) messages.add(INTERRUPTED_MESSAGE);
                }
            }
        }
        return mergeAdjacent(messages, kept);
    }

    /** Block A is the agent's prompt; it is offered only the tools its filter lets through, still in name order. */
    private LlmRequest request(Project project, Agent agent, ResolvedModel model, String session, List<LlmMessage> messages, ToolChoice toolChoice,
            List<ToolSpec> trackers, boolean headless, KeptMessages kept) {
        List<String> system = new ArrayList<>();
        system.add(agent.prompt());
        List<ToolSpec> offered = new ArrayList<>(AgentTools.offered(tools, delegating, spendReaders, namedOnly, project, agent));
        if (!SkillFiles.listed(project.instructions())) offered.removeIf(o -> skillLoaders.contains(o.name()));
        if (headless) offered.removeIf(o -> askers.contains(o.name()));
        for (Tool<?> t : extensions.offered(project.directory(), session)) {
            if (agent.allowsTool(t.name()) && offered.stream().noneMatch(o -> o.name().equals(t.name()))) offered.add(t.spec());
        }
        boolean startsSubagents = offered.stream().anyMatch(o -> delegating.contains(o.name()));
        for (ToolSpec t : trackers) if ((startsSubagents || commandTrackers.contains(t.name())) && agent.allowsTool(t.name())) offered.add(t);
        // teams are off unless agents.maxTeamMembers allows them (the default first request keeps its size), and a
        // subagent or member never makes one; a session in a team gets its tools at the end (the cached prefix stays)
        boolean makesTeams = project.config().agentLimits().maxTeamMembers() > 0 && agent.mode() != Agent.Mode.SUBAGENT;
        if (!makesTeams) offered.removeIf(o -> teamMakers.contains(o.name()));
        if (!session.isEmpty() && inTeam.test(session)) {
            for (ToolSpec t : teamWork) if (agent.allowsTool(t.name())) offered.add(t);
        }
        boolean delegates = offered.stream().anyMatch(o -> delegating.contains(o.name()));
        String blockB = kept.blockB(project, delegates, () -> AgentTools.blockB(project, offered, delegating));
        if (!blockB.isEmpty()) system.add(blockB);
        int maxOutput = Math.min(model.model().output(), 32_000);
        var request = new LlmRequest(model.model().id(), system, offered, mergeAdjacent(messages, kept), maxOutput, toolChoice, agent.temperature(),
                Optional.of(cacheKey(agent.name(), model.ref(), project)), model.model().reasoningEffort());
        return RequestTransforms.apply(model.provider(), request, kept.repairs());
    }

    private static void user(List<Part> parts, List<LlmMessage> out, KeptMessages kept) {
        if (parts.isEmpty()) return;
        KeptMessages.Group known = kept.find(parts, 0, parts.size(), false, false);
        if (known == null) {
            List<LlmMessage> made = new ArrayList<>(1);
            user(parts, made);
            known = kept.keep(parts, 0, parts.size(), false, false, false, made);
        }
        out.addAll(known.messages());
    }

    private static void user(List<Part> parts, List<LlmMessage> out) {
        List<Content> content = new ArrayList<>();
        for (Part p : parts) {
            switch (p) {
                case Part.Text t -> { if (!t.text().isBlank()) content.add(new Content.Text(t.text())); }
                case Part.File f when isInlineImage(f) -> content.add(new Content.Image(f.mime(), f.url().substring(f.url().indexOf(',') + 1)));
                case Part.File f when isInlineText(f) -> content.add(new Content.Text(inlineText(f)));
                case Part.File f -> content.add(new Content.Text("[attached file " + f.name() + " (" + f.mime() + "): " + f.url() + "]"));
                case Part.Reasoning _, Part.Tool _, Part.StepStart _, Part.StepFinish _, Part.Patch _, Part.Compaction _,
                        Part.Subtask _, Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> { }
            }
        }
        if (!content.isEmpty()) out.add(LlmMessage.user(content));
    }

    /**
     * A text file carried in a base64 {@code data:} URL (a file attached to a prompt in another harness, imported as
     * that harness read it then) goes to the model as its text, framed by its name, as that harness sent it.
     */
    private static boolean isInlineText(Part.File f) {
        return f.mime().startsWith("text/") && f.url().startsWith("data:") && f.url().contains(";base64,");
    }

    private static String inlineText(Part.File f) {
        String text;
        try {
            text = new String(java.util.Base64.getDecoder().decode(f.url().substring(f.url().indexOf(";base64,") + 8)), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "[attached file " + f.name() + " (" + f.mime() + "): its content could not be read]";
        }
        return "[attached file " + f.name() + "]\n" + text + (text.endsWith("\n") ? "" : "\n") + "[end of " + f.name() + "]";
    }

    /**
     * A file part that carries an image or PDF in a base64 {@code data:} URL (an MCP resource or prompt attached it) goes
     * to the model as the image it is, as files tools attach do; any other file part is named for the model to read.
     */
    private static boolean isInlineImage(Part.File f) {
        return (f.mime().startsWith("image/") || f.mime().equals("application/pdf")) && f.url().startsWith("data:") && f.url().contains(";base64,");
    }

    /**
     * One assistant message spans several steps: each step becomes an assistant turn followed by its tool results. A
     * step that failed (and was retried) keeps only its tool calls: their results are real, its half-written text is
     * not something the model said. A step cut at the output limit is followed by a note saying so ({@link #CUT_AT_LIMIT}).
     *
     * <p>History written by another provider (before a failover or a model switch, marked by a {@code ModelSwitch}
     * part or the message's model) is converted: its reasoning is dropped, because reasoning state is signed by the
     * provider that produced it and others reject or misread it, and so are signatures on its tool calls; tool-call
     * ids are made acceptable to the target later, by {@link RequestTransforms}.
     */
    private void assistant(MessageId id, String messageModel, String targetProvider, List<Part> parts, java.util.Set<String> pruned, boolean aborted,
            List<LlmMessage> out, KeptMessages kept) {
        // an aborted answer keeps the text of its last step: the user saw it, so the model knows it said it
        int steps = 0;
        if (aborted) for (Part p : parts) if (p instanceof Part.StepStart) steps++;
        int step = 0;
        boolean startsForeign = !providerOf(messageModel).equals(targetProvider);
        boolean foreign = startsForeign;
        int from = 0;
        int begun = out.size();
        // the steps rendered at the previous build, but its last, are the same parts: their messages as they were (issue 70)
        KeptMessages.Prefix prefix = aborted ? null : kept.prefix(id, parts, foreign);
        int start = 0;
        if (prefix != null) {
            for (LlmMessage m : prefix.messages()) out.add(m);
            from = prefix.length();
            step = prefix.steps();
            foreign = prefix.foreignAfter();
            start = from + 1;  // the boundary at from was counted in steps already
        }
        int lastFrom = from;
        int lastOut = out.size();
        int lastStep = step;
        boolean lastForeign = foreign;
        for (int to = start; to <= parts.size(); to++) {
            if (to < parts.size() && !(parts.get(to) instanceof Part.StepStart)) continue;
            // parts [from, to): one step's (from its start), or those before the first step
            if (to > from) {
                lastFrom = from;
                lastOut = out.size();
                lastStep = step;
                lastForeign = foreign;
                boolean endsStoppedAnswer = aborted && step == steps;
                KeptMessages.Group known = kept.find(parts, from, to, foreign, endsStoppedAnswer);
                if (known == null) {
                    List<LlmMessage> made = new ArrayList<>(2);
                    boolean after = step(parts.subList(from, to), targetProvider, foreign, endsStoppedAnswer, pruned, made);
                    known = kept.keep(parts, from, to, foreign, endsStoppedAnswer, after, made);
                }
                // one by one: addAll would copy each group's list into an array first
                for (LlmMessage m : known.messages()) out.add(m);
                foreign = known.foreignAfter();
            }
            if (to < parts.size()) {
                step++;
                from = to;
            }
        }
        if (!aborted) kept.keepPrefix(id, parts, lastFrom, startsForeign, lastStep, lastForeign, out.subList(begun, lastOut));
    }

    /**
     * One step of an assistant message: its turn, then its tool results. {@code foreign}: whether the provider that wrote
     * it is another than the target's as the step starts; returned as it is after the step (a switch within it).
     */
    private boolean step(List<Part> parts, String targetProvider, boolean foreign, boolean endsStoppedAnswer, java.util.Set<String> pruned,
            List<LlmMessage> out) {
        List<Content> said = new ArrayList<>();
        List<Content> results = new ArrayList<>();
        List<Content> attached = new ArrayList<>();
        for (Part p : parts) {
            switch (p) {
                case Part.StepStart _ -> { }
                case Part.StepFinish f -> {
                    if (f.reason().equals(StopReason.ERROR.wire()) && !endsStoppedAnswer) said.removeIf(c -> !(c instanceof Content.ToolCall));
                    // a response cut at the output limit: the model is told, so it can go on or split the work
                    if (f.reason().equals("length")) results.add(new Content.Text(CUT_AT_LIMIT));
                }
                case Part.ModelSwitch s -> foreign = !providerOf(s.to()).equals(targetProvider);
                case Part.Text t -> { if (!t.text().isBlank()) said.add(new Content.Text(t.text())); }
                case Part.Reasoning r -> {
                    Optional<String> signature = Optional.ofNullable(r.providerMetadata().get("signature")).filter(x -> !x.isEmpty());
                    // signature-only reasoning (redacted or encrypted) still has to go back to its own provider
                    if (!foreign && (!r.text().isBlank() || signature.isPresent())) said.add(new Content.Reasoning(r.text(), signature));
                }
                // an ACP agent's call ran in the agent with its own tools: told as text, never as a call to a tool this model lacks
                case Part.Tool t when t.providerMetadata().containsKey(AGENT_TOOL) -> said.add(new Content.Text(agentCall(t)));
                case Part.Tool t -> {
                    Optional<String> signature = foreign ? Optional.empty() : Optional.ofNullable(t.providerMetadata().get("signature"));
                    said.add(new Content.ToolCall(t.callId(), t.tool(), t.input().json(), signature));
                    results.add(pruned.contains(t.callId()) && t.state() instanceof ToolState.Completed ? placeholder(t) : result(t));
                    attached.addAll(attachments(t));
                }
                case Part.File _, Part.Patch _, Part.Compaction _, Part.Subtask _, Part.Retry _, Part.Hook _ -> { }
            }
        }
        flush(said, results, attached, out);
        return foreign;
    }

    /** The {@code providerMetadata} key that marks a tool part as an ACP agent's call (its value: the agent's name). */
    public static final String AGENT_TOOL = "acpAgent";
    /** The most of an agent call's output another model is shown. */
    static final int AGENT_OUTPUT_CHARS = 4_000;

    /** An ACP agent's call as text: what ran, in which agent, and what came of it (cut). */
    static String agentCall(Part.Tool t) {
        String input = t.input().json();
        if (input.length() > 500) input = input.substring(0, 500) + "…";
        String result = switch (t.state()) {
            case ToolState.Completed c -> c.output();
            case ToolState.Failed f -> "failed: " + f.error();
            case ToolState.Pending _, ToolState.Running _ -> "(did not finish)";
        };
        if (result.length() > AGENT_OUTPUT_CHARS) result = result.substring(0, AGENT_OUTPUT_CHARS) + "… [cut]";
        return "[the agent " + t.providerMetadata().get(AGENT_TOOL) + " ran its tool " + t.tool() + " " + input + "]" + (result.isBlank() ? "" : "\n" + result);
    }

    /** What the model reads after an answer the user stopped (as Claude Code marks one), before the next prompt. */
    public static final String INTERRUPTED = "[Request interrupted by user]";
    private static final LlmMessage INTERRUPTED_MESSAGE = LlmMessage.user(List.of(new Content.Text(INTERRUPTED)));

    private static boolean isAborted(AssistantMessage a) {
        return a.error().filter(e -> e.kind().equals(MessageError.aborted().kind())).isPresent();
    }

    /** What follows a response cut at the output limit ({@code length}), in the user turn after it. */
    public static final String CUT_AT_LIMIT = "[Your previous response was cut off at the output token limit. Continue exactly where it stopped. "
            + "A tool call that was cut did not run (its arguments were incomplete): split the work into smaller calls, "
            + "for example write a large file in several parts.]";

    private static String providerOf(String modelRef) {
        int slash = modelRef.indexOf('/');
        return slash < 0 ? modelRef : modelRef.substring(0, slash);
    }

    /**
     * Files tools attached (images) follow all of the step's tool results in the same user turn: every protocol accepts
     * an image there, while only some take one inside a tool result.
     */
    private static void flush(List<Content> said, List<Content> results, List<Content> attached, List<LlmMessage> out) {
        if (!said.isEmpty()) out.add(LlmMessage.assistant(said));
        List<Content> user = new ArrayList<>(results);
        user.addAll(attached);
        if (!user.isEmpty()) out.add(LlmMessage.user(user));
    }

    private static List<Content> attachments(Part.Tool t) {
        if (!(t.state() instanceof ToolState.Completed c)) return List.of();
        return c.attachments().stream().filter(a -> a.mime().startsWith("image/") || a.mime().equals("application/pdf"))
                .map(a -> (Content) new Content.Image(a.mime(), a.base64())).toList();
    }

    /** What the model is sent instead of a pruned output: where to read it back. */
    private Content.ToolResult placeholder(Part.Tool t) {
        return new Content.ToolResult(t.callId(), t.tool(), "[Output cleared from the context to save space. The full output is saved in "
                + prunedOutput(t.sessionId(), t.callId()) + "; read it with the read tool if you need it again.]", false);
    }

    private static Content.ToolResult result(Part.Tool t) {
        return switch (t.state()) {
            case ToolState.Completed c -> new Content.ToolResult(t.callId(), t.tool(), c.output(), false);
            case ToolState.Failed f -> new Content.ToolResult(t.callId(), t.tool(), f.error(), true);
            case ToolState.Pending _, ToolState.Running _ -> new Content.ToolResult(t.callId(), t.tool(), "Tool execution was interrupted", true);
        };
    }

    /**
     * Providers want user and assistant turns to alternate: consecutive messages of one role are joined (as joined at the
     * previous step, when {@code kept} holds them: the same object).
     */
    private static List<LlmMessage> mergeAdjacent(List<LlmMessage> messages, KeptMessages kept) {
        List<LlmMessage> out = new ArrayList<>(messages.size());
        int i = 0;
        while (i < messages.size()) {
            LlmMessage first = messages.get(i);
            int j = i + 1;
            while (j < messages.size() && messages.get(j).role() == first.role()) j++;
            if (j == i + 1) {
                out.add(first);
            } else {
                LlmMessage joined = kept.findJoined(messages, i, j);
                if (joined == null) {
                    List<Content> content = new ArrayList<>();
                    for (LlmMessage m : messages.subList(i, j)) content.addAll(m.content());
                    joined = new LlmMessage(first.role(), content);
                    kept.keepJoined(messages, i, j, joined);
                }
                out.add(joined);
            }
            i = j;
        }
        return out;
    }

    /** The last cache key made and what it was made of: every step of every turn asks, nearly always for the same. */
    private record CacheKey(String agent, String model, String project, String key) {}

    private static volatile CacheKey lastCacheKey;

    static String cacheKey(String agent, String model, Project project) {
        CacheKey last = lastCacheKey;
        String id = project.id().value();
        if (last != null && last.agent().equals(agent) && last.model().equals(model) && last.project().equals(id)) return last.key();
        String key = digestKey(agent, model, id);
        lastCacheKey = new CacheKey(agent, model, id, key);
        return key;
    }

    /** The key as made afresh (what {@link #cacheKey} returns). */
    static String digestKey(String agent, String model, String project) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((agent + "\n" + model + "\n" + project).getBytes(StandardCharsets.UTF_8));
            return "lathe-" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
