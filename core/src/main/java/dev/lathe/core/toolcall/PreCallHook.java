package dev.lathe.core.toolcall;

import dev.lathe.tools.CallAsking;
import dev.lathe.tools.Tool;

/**
 * Seam after argument validation, before the permission gate: sees the tool (its declared effects) and the
 * validated arguments, and lets the call go on — as it is or with rewritten arguments, which are validated again — or
 * blocks it with a reason the model reads as the call's error. {@link #PASS} lets every call go on unchanged.
 */
@FunctionalInterface
public interface PreCallHook {
    Decision before(ToolCall call, Tool<?> tool);

    PreCallHook PASS = (call, _) -> new Decision.Proceed(call.argsJson());

    /** What a hook decided. */
    sealed interface Decision {
        /**
         * Go on with {@code argsJson} (the call's own, or a rewrite); {@code permission} is what the hook said about
         * asking the user, which the permission gate weighs against the rules (a deny rule always denies).
         */
        record Proceed(String argsJson, CallAsking.Hook permission) implements Decision {
            public Proceed(String argsJson) { this(argsJson, CallAsking.Hook.AS_RULES_SAY); }
        }

        /** Do not run the tool; {@code reason} is the call's error. */
        record Block(String reason) implements Decision {}
    }
}
