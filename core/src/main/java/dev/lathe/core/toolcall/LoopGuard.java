package dev.lathe.core.toolcall;

import dev.lathe.protocol.wire.WireJson;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.ToolContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The doom-loop guard (DESIGN §8): there is no default step limit, so what stops a model that calls the same tool with
 * the same input over and over is this. Per session it remembers the model's last call (tool name and a digest of its
 * arguments in canonical form: object keys sorted, so {@code {"a":1,"b":2}} and {@code {"b":2,"a":1}} are the same
 * input) and how many times in a row it was made, across the steps of a turn. From the {@code repeats}-th time in a row
 * on, the call must pass the {@value #PERMISSION} permission — an ask by default, {@code "doom_loop": "allow"} or
 * {@code "deny"} in the permission config like any other key; its pattern is the tool's name, so an "always" answer
 * allows repeats of that tool.
 *
 * <p>Only the model's calls count ({@link Origin#MODEL}): a user running the same shell command twice is not a loop.
 * A turn's end forgets its session ({@link #forget}): a new prompt is the user stepping in, and an idle session holds
 * nothing here. The memory is one small entry per session whose turn runs (a digest, not the arguments, which may be a
 * whole file's content), and at most {@link #MAX_SESSIONS} in any case. One guard is shared by every pipeline derived
 * from the one built for the server ({@link ToolCallPipeline#withPostCallHook}), so a step's own pipeline does not start
 * the count again.
 */
public final class LoopGuard {
    /** The permission key a repeated call asks for (OpenCode's name for it). */
    public static final String PERMISSION = "doom_loop";
    /** The same call this many times in a row asks. */
    public static final int DEFAULT_REPEATS = 3;
    /**
     * The same call this many times in a row ends the turn whatever the permissions said: a backstop for asks answered in
     * advance ({@code --allow-all}, the API's {@code allowAll}) or "always", which would otherwise let a model repeat
     * itself for ever now that no step limit stops it.
     */
    public static final int HARD_STOP = 10;
    /** Sessions remembered at most; past that the one used longest ago is dropped (a turn that never ended, say). */
    static final int MAX_SESSIONS = 1024;

    /** A session's last call and how many times in a row it was made. */
    private record Streak(String tool, String argsDigest, int times) {}

    private final int repeats;
    private final Map<String, Streak> last = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Streak> eldest) { return size() > MAX_SESSIONS; }
    };

    public LoopGuard() {
        this(DEFAULT_REPEATS);
    }

    /** A guard that asks from the {@code repeats}-th identical call in a row on. */
    public LoopGuard(int repeats) {
        if (repeats < 2) throw new IllegalArgumentException("repeats must be at least 2: " + repeats);
        this.repeats = repeats;
    }

    /**
     * Counts {@code call} (with its arguments as the model wrote them) and, when it is the same call the
     * {@code repeats}-th time in a row or more, requires {@value #PERMISSION} of {@code ctx}'s permissions, which may
     * ask the user; a refusal is thrown as {@link dev.lathe.tools.PermissionRejected} like any other.
     */
    void check(ToolCall call, ToolContext ctx) {
        if (call.origin() != Origin.MODEL) return;
        int times = count(call.sessionId(), call.tool(), call.argsJson());
        if (times < repeats) return;
        if (times >= Math.max(HARD_STOP, repeats)) {
            throw new PermissionRejected("The agent repeated " + call.tool() + " with the same input " + times
                    + " times in a row: the turn was stopped.");
        }
        ctx.guards().permissions().require(new PermissionCheck(PERMISSION, PermissionSource.Pattern.VALUE, List.of(call.tool()), List.of(call.tool()),
                "The agent is repeating itself: " + call.tool() + " with the same input " + times + " times in a row", Map.of()));
    }

    /** Records a call of {@code tool} with {@code argsJson} in {@code sessionId}; returns how many times in a row it was made. */
    int count(String sessionId, String tool, String argsJson) {
        String digest = digest(argsJson);
        synchronized (last) {
            Streak before = last.get(sessionId);
            int times = before != null && before.tool().equals(tool) && before.argsDigest().equals(digest) ? before.times() + 1 : 1;
            last.put(sessionId, new Streak(tool, digest, times));
            return times;
        }
    }

    /** Forgets {@code sessionId}'s streak: its turn ended (or it was deleted). */
    public void forget(String sessionId) {
        synchronized (last) {
            last.remove(sessionId);
        }
    }

    /** How many sessions have a streak remembered. */
    public int remembered() {
        synchronized (last) {
            return last.size();
        }
    }

    /** SHA-256 of the arguments in canonical form; text that is not JSON is digested as it is. */
    private static String digest(String argsJson) {
        String canonical;
        try {
            var out = new StringBuilder();
            canonical(WireJson.mapper().readTree(argsJson.isBlank() ? "{}" : argsJson), out);
            canonical = out.toString();
        } catch (RuntimeException notJson) {
            canonical = argsJson;
        }
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** {@code node} as JSON with every object's keys in sorted order; arrays keep theirs (order is meaning there). */
    private static void canonical(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
            fields.sort(Map.Entry.comparingByKey());
            out.append('{');
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) out.append(',');
                out.append(WireJson.mapper().writeValueAsString(fields.get(i).getKey())).append(':');
                canonical(fields.get(i).getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) out.append(',');
                canonical(node.get(i), out);
            }
            out.append(']');
        } else {
            out.append(WireJson.mapper().writeValueAsString(node));
        }
    }
}
