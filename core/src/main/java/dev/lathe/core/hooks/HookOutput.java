package dev.lathe.core.hooks;

import java.util.Optional;

/**
 * A handler's JSON output, as Claude Code defines it: the universal fields ({@code continue}, {@code stopReason},
 * {@code suppressOutput}, {@code systemMessage}), the top-level {@code decision}/{@code reason}, and
 * {@code hookSpecificOutput}'s fields ({@code permissionDecision}, {@code permissionDecisionReason},
 * {@code updatedInput}, {@code additionalContext}, {@code updatedToolOutput}; {@code PermissionRequest}'s
 * {@code decision.behavior}/{@code message}/{@code updatedInput}; {@code PermissionDenied}'s {@code retry}). JSON values
 * ({@code updatedInput}, {@code updatedToolOutput}) are kept as JSON text.
 */
record HookOutput(Continuation continuation, Optional<String> stopReason, Optional<String> systemMessage, Optional<String> decision,
        Optional<String> reason, Optional<String> permissionDecision, Optional<String> permissionDecisionReason,
        Optional<String> updatedInput, Optional<String> additionalContext, Optional<String> updatedToolOutput, Retry retry) {

    /** {@code continue}: false stops the agent after the hook. */
    enum Continuation { GO_ON, STOP }

    /** {@code PermissionDenied}'s {@code retry}. */
    enum Retry { RETRY, NO }

    static final HookOutput NONE = new HookOutput(Continuation.GO_ON, Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Retry.NO);

    boolean blocks() { return decision.filter("block"::equals).isPresent(); }
}
