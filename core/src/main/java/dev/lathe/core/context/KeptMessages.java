package dev.lathe.core.context;

import dev.lathe.core.agent.Agents;
import dev.lathe.core.project.Project;
import dev.lathe.llm.KeptRepairs;
import dev.lathe.llm.LlmMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.MessageWithParts;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The messages a turn's previous request was built of, kept for its next step (issue 55). A stateless protocol sends
 * the whole history at every step; built afresh, every message was a new object, so each cache after the build (the
 * transforms' repairs, the encoder's bytes, the prompt sums) compared every block's fields, growing with the session.
 * Kept, an unchanged step yields the very same {@link LlmMessage}s, found downstream with a pointer compare, and only
 * what is new is rendered.
 *
 * <p>What is kept is reused only when everything it was made from is the same: a group's parts, the same objects in
 * the same order (parts are records, so a tool's result, an edit, a rewind or a compaction's summary is a new object),
 * whether another provider wrote it and whether it ends a stopped answer; for all of them, the builder, the target
 * provider and the pruned outputs (any other drops everything kept). What a build did not use is dropped at its end,
 * so at most one history's messages are held. A turn's steps run one after another: not shared between threads.
 */
public final class KeptMessages {
    /** The messages of parts {@code [from, to)} of one history message, and what they were rendered under. */
    record Group(Part[] parts, boolean foreignBefore, boolean endsStoppedAnswer, boolean foreignAfter, List<LlmMessage> messages) {}

    /**
     * The steps of an assistant message but its last, as the previous build rendered them: parts {@code [0, length)} of
     * {@code parts} (a message's parts are an unmodifiable list, held as it is), the steps counted and whether another
     * provider wrote them as rendering stood after them, and their messages in order. The last step is left out: its
     * tool parts change until it ends, and the results after it may be joined with what comes next.
     */
    record Prefix(List<Part> parts, int length, boolean foreignBefore, int steps, boolean foreignAfter, List<LlmMessage> messages) {}

    /** Messages joined because they had one role ({@code ContextBuilder.mergeAdjacent}), and what they were joined from. */
    record Joined(LlmMessage[] from, LlmMessage joined) {}

    private final boolean keeps;
    private final KeptRepairs repairs;
    private final PromptHashes.Kept sums = new PromptHashes.Kept();
    private ContextBuilder builder;
    private String target;
    private Set<String> pruned;
    /** Keyed by a group's first part. */
    private IdentityHashMap<Part, Group> groups = new IdentityHashMap<>();
    private IdentityHashMap<Part, Group> nextGroups = new IdentityHashMap<>();
    /**
     * Per history message: the parts looked through at the previous build by {@link #anyPart}, none of them a match
     * (a message's parts are an unmodifiable list, held as it is rather than copied at every build).
     */
    private Map<MessageId, List<Part>> looked = new HashMap<>();
    private Map<MessageId, List<Part>> nextLooked = new HashMap<>();
    /** Per assistant message: its steps rendered before its last one. */
    private Map<MessageId, Prefix> prefixes = new HashMap<>();
    private Map<MessageId, Prefix> nextPrefixes = new HashMap<>();
    /** Keyed by the first message joined. */
    private IdentityHashMap<LlmMessage, Joined> joins = new IdentityHashMap<>();
    private IdentityHashMap<LlmMessage, Joined> nextJoins = new IdentityHashMap<>();

    /**
     * System block B as the previous build made it and what it was made of, compared by identity: the instructions and
     * agents of a project read again are new objects. Kept, every step sends the very same string (no copy of the
     * instructions per step, and a pointer compare for the caches downstream).
     */
    private record BlockB(String instructions, Agents agents, boolean delegates, String text) {}

    private BlockB blockB;

    private KeptMessages(boolean keeps) {
        this.keeps = keeps;
        this.repairs = keeps ? KeptRepairs.create() : KeptRepairs.none();
    }

    /** Messages kept from one step of a turn to the next. */
    public static KeptMessages create() {
        return new KeptMessages(true);
    }

    /** Nothing kept: a build made afresh (a request measured or summarised rather than sent at a step). */
    public static KeptMessages none() {
        return new KeptMessages(false);
    }

    KeptRepairs repairs() {
        return repairs;
    }

    /** The sums of the previous request's messages, for its {@link PromptHashes}. */
    public PromptHashes.Kept sums() {
        return sums;
    }

    /** A build by {@code by} for {@code targetProvider} with {@code prunedOutputs} starts: anything else drops what is kept. */
    void begin(ContextBuilder by, String targetProvider, Set<String> prunedOutputs) {
        if (by != builder || !targetProvider.equals(target) || !prunedOutputs.equals(pruned)) {
            groups.clear();
            joins.clear();
            prefixes.clear();
        }
        builder = by;
        target = targetProvider;
        pruned = Set.copyOf(prunedOutputs);
    }

    /**
     * The build ended: what it did not use goes. The maps of the build before are emptied and filled by the next one
     * (a map made afresh at every step grew, and was rehashed, through every group of the history again).
     */
    void end() {
        var usedGroups = nextGroups;
        nextGroups = groups;
        nextGroups.clear();
        groups = usedGroups;
        var usedJoins = nextJoins;
        nextJoins = joins;
        nextJoins.clear();
        joins = usedJoins;
        var usedLooked = nextLooked;
        nextLooked = looked;
        nextLooked.clear();
        looked = usedLooked;
        var usedPrefixes = nextPrefixes;
        nextPrefixes = prefixes;
        nextPrefixes.clear();
        prefixes = usedPrefixes;
    }

    /**
     * The steps of assistant message {@code id} rendered at the previous build before its last one, when its parts up to
     * there are the same objects and it starts from the same provider's side, or null. Rendered, a step depends only on
     * its own parts, that side, the target and the pruned outputs ({@link #begin} drops everything when those change).
     */
    Prefix prefix(MessageId id, List<Part> parts, boolean foreignBefore) {
        if (!keeps) return null;
        Prefix p = prefixes.get(id);
        if (p == null || p.foreignBefore() != foreignBefore || parts.size() < p.length()) return null;
        // the prefix ends where a step starts (or the parts end): else a part after it belongs to its last step
        if (parts.size() > p.length() && !(parts.get(p.length()) instanceof Part.StepStart)) return null;
        List<Part> before = p.parts();
        if (before != parts) {
            for (int i = 0; i < p.length(); i++) if (before.get(i) != parts.get(i)) return null;
        }
        return p;
    }

    /** Keeps parts {@code [0, length)} of assistant message {@code id} and their {@code messages} for the next build. */
    void keepPrefix(MessageId id, List<Part> parts, int length, boolean foreignBefore, int steps, boolean foreignAfter, List<LlmMessage> messages) {
        if (keeps) nextPrefixes.put(id, new Prefix(parts, length, foreignBefore, steps, foreignAfter, List.copyOf(messages)));
    }

    /**
     * Whether a part of {@code history} passes {@code test}, a test that reads only the part (so a part that failed it at
     * the previous build, the same object at the same place, fails it again and is not tested).
     */
    boolean anyPart(List<MessageWithParts> history, Predicate<Part> test) {
        for (MessageWithParts m : history) {
            List<Part> parts = m.parts();
            List<Part> before = keeps ? looked.get(m.info().id()) : null;
            int known = before == null ? 0 : before.size();
            for (int i = 0; i < parts.size(); i++) {
                if (i < known && before.get(i) == parts.get(i)) continue;
                if (test.test(parts.get(i))) return true;
            }
            if (keeps) nextLooked.put(m.info().id(), parts);
        }
        return false;
    }

    /** The group of {@code parts[from, to)} as rendered before under the same conditions, or null. */
    Group find(List<Part> parts, int from, int to, boolean foreignBefore, boolean endsStoppedAnswer) {
        if (!keeps) return null;
        Group g = groups.get(parts.get(from));
        if (g == null || g.foreignBefore() != foreignBefore || g.endsStoppedAnswer() != endsStoppedAnswer || g.parts().length != to - from) return null;
        for (int i = from; i < to; i++) if (g.parts()[i - from] != parts.get(i)) return null;
        nextGroups.put(parts.get(from), g);
        return g;
    }

    Group keep(List<Part> parts, int from, int to, boolean foreignBefore, boolean endsStoppedAnswer, boolean foreignAfter, List<LlmMessage> messages) {
        var g = new Group(parts.subList(from, to).toArray(Part[]::new), foreignBefore, endsStoppedAnswer, foreignAfter, List.copyOf(messages));
        if (keeps) nextGroups.put(parts.get(from), g);
        return g;
    }

    /** Block B of {@code project}, {@code delegates} saying whether a tool that starts subagents is offered: as made before, or by {@code make}. */
    String blockB(Project project, boolean delegates, Supplier<String> make) {
        BlockB last = blockB;
        if (keeps && last != null && last.instructions() == project.instructions() && last.agents() == project.agents() && last.delegates() == delegates) {
            return last.text();
        }
        String text = make.get();
        if (keeps) blockB = new BlockB(project.instructions(), project.agents(), delegates, text);
        return text;
    }

    /** Messages {@code [from, to)} of {@code messages} joined before, or null. */
    LlmMessage findJoined(List<LlmMessage> messages, int from, int to) {
        if (!keeps) return null;
        Joined j = joins.get(messages.get(from));
        if (j == null || j.from().length != to - from) return null;
        for (int i = from; i < to; i++) if (j.from()[i - from] != messages.get(i)) return null;
        nextJoins.put(messages.get(from), j);
        return j.joined();
    }

    void keepJoined(List<LlmMessage> messages, int from, int to, LlmMessage joined) {
        if (keeps) nextJoins.put(messages.get(from), new Joined(messages.subList(from, to).toArray(LlmMessage[]::new), joined));
    }
}
