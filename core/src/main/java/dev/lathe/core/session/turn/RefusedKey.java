package dev.lathe.core.session.turn;

import dev.lathe.core.model.ResolvedModel;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.Provider;
import dev.lathe.protocol.session.MessageError;

/**
 * A provider that refused the key (401/403) is told apart from every other failure by naming where the key came from
 * — the variable, the auth store or config, never the key — so the user knows which one to fix (issue 24).
 */
final class RefusedKey {
    private RefusedKey() {}

    /** {@code ended}, with the key's source added when {@code cause} is a refused key. */
    static MessageError explained(MessageError ended, LlmError cause, ResolvedModel model) {
        if (!(cause instanceof LlmError.Unauthorized)) return ended;
        // a subscription's sign-in: its protocol's message already says what was refused and how to sign in again
        if (model.signedIn()) return ended;
        Provider provider = model.provider();
        String note = provider.apiKey()
                .map(k -> k.source().isBlank() ? "the key of provider '" + provider.id() + "' was refused"
                        : "the key from " + k.source() + " was refused")
                .orElse("no key was sent to provider '" + provider.id() + "'");
        return new MessageError(ended.kind(), ended.message() + " (" + note + ")");
    }
}
