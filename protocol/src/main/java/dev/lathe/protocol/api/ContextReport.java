package dev.lathe.protocol.api;

import dev.lathe.protocol.SessionId;
import java.util.Optional;

/**
 * Answer of {@code GET /sessions/{id}/context}: what fills the model's context window. {@code estimate} is the next
 * request built from the session as it is now, counted locally block by block (an estimate: providers tokenize
 * differently); {@code lastInput} is what the provider reported for the last request ({@code input + cacheRead +
 * cacheWrite}), absent before the first. {@code reservedOutput} is kept free for the answer; {@code free} is what is
 * left of the window after the estimate and the reserve. Token counts; {@code contextLimit} 0 when unknown.
 */
public record ContextReport(SessionId sessionId, String model, int contextLimit, int reservedOutput, Blocks estimate,
        Optional<Long> lastInput, long free) {

    /**
     * The blocks of the layout (DESIGN §7): {@code system} (block A, the agent's prompt), {@code tools} (their
     * definitions), {@code instructions} (block B: AGENTS.md and the like), and the messages split into
     * {@code conversation} (what user and model said, tool calls included) and {@code toolOutputs} (tool results).
     */
    public record Blocks(long system, long tools, long instructions, long conversation, long toolOutputs) {
        public long messages() { return conversation + toolOutputs; }

        public long total() { return system + tools + instructions + conversation + toolOutputs; }
    }
}
