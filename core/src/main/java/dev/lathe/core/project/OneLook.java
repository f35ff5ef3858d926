package dev.lathe.core.project;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One look at a project's files per decision point (decision 543): while {@link #around} runs (a prompt's arrival; a
 * turn's start up to its first model request), {@link Projects} checks each open project's config, memory, rules,
 * skill and agent files once and every later ask of the same project gets what that check found. Each of those parts
 * used to check the files again, a dozen stats of every file per prompt. The look is the calling thread's (a scoped
 * value, so a tool call's own thread never shares it) and ends with {@link #around} or at {@link #end}, whichever comes
 * first: a tool call, a later step and the next prompt always look at the disk afresh, so a deny rule written between
 * two tool calls holds at the next one (DESIGN §24).
 */
public final class OneLook {
    private static final ScopedValue<OneLook> CURRENT = ScopedValue.newInstance();

    private final Map<List<Object>, Object> seen = new ConcurrentHashMap<>();
    private volatile boolean open = true;

    private OneLook() { }

    /** Runs {@code work} in one look, or in the caller's when one is open already (its decision point includes this). */
    public static <T> T around(Supplier<T> work) {
        if (CURRENT.isBound() && CURRENT.get().open) return work.get();
        return ScopedValue.where(CURRENT, new OneLook()).call(work::get);
    }

    /** The decision point is taken (its model request is about to go out): what follows on this thread looks afresh. */
    public static void end() {
        if (CURRENT.isBound()) CURRENT.get().open = false;
    }

    /** What {@code look} found for {@code key} of {@code owner} in this look; looked now outside one (or after its end). */
    static <K, V> V shared(Object owner, K key, Function<K, V> look) {
        OneLook current = CURRENT.isBound() ? CURRENT.get() : null;
        if (current == null || !current.open) return look.apply(key);
        List<Object> id = List.of(owner, key);
        @SuppressWarnings("unchecked")
        V found = (V) current.seen.get(id);
        if (found != null) return found;
        // not computeIfAbsent: a look may ask again for the same key (a folder trusted meanwhile is read afresh)
        V fresh = look.apply(key);
        if (current.open) current.seen.put(id, fresh);
        return fresh;
    }
}
