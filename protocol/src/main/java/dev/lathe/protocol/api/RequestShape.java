package dev.lathe.protocol.api;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.event.PermissionReply;

/**
 * The shape checks of {@link LatheApi} requests (fields present, not {@code null}, not blank), one set for both edges
 * where a request enters: the HTTP server checks a body after JSON mapping (Jackson leaves a missing field
 * {@code null}), the in-process API checks what a caller such as {@code lathe run} without a daemon hands it. So a
 * malformed request means the same in process and over HTTP: a {@link LatheException.InvalidInput} naming the field,
 * with the same message. What a request refers to (does the session exist, is the agent known) is the core's to judge.
 */
public final class RequestShape {
    private RequestShape() {}

    /** @return {@code r} unchanged; @throws LatheException.InvalidInput when a field is missing */
    public static CreateSessionRequest check(CreateSessionRequest r) {
        if (r.directory() == null || r.directory().isBlank()) {
            throw new LatheException.InvalidInput("directory is required (in the body, the X-Lathe-Directory header or the directory query parameter)");
        }
        present(r.title(), "title");
        present(r.agent(), "agent");
        present(r.model(), "model");
        present(r.parentId(), "parentId");
        present(r.worktree(), "worktree");
        if (r.worktree().isPresent() && r.parentId().isPresent()) {
            throw new LatheException.InvalidInput("worktree and parentId do not go together: a subagent gets its worktree from the task tool's isolation");
        }
        return r;
    }

    /** @return {@code r} unchanged; @throws LatheException.InvalidInput when the answer is missing */
    public static TrustRequest check(TrustRequest r) {
        if (r == null || r.trusted() == null) throw new LatheException.InvalidInput("trusted is required: true to trust the folder, false to keep it untrusted");
        return r;
    }

    /** @return {@code r} unchanged; @throws LatheException.InvalidInput when it has no parts or a part misses a field */
    public static PromptRequest check(PromptRequest r) {
        if (r.parts() == null || r.parts().isEmpty()) throw new LatheException.InvalidInput("parts is required and must not be empty");
        for (int i = 0; i < r.parts().size(); i++) {
            InputPart part = r.parts().get(i);
            String at = "parts[" + i + "]";
            if (part == null) throw new LatheException.InvalidInput(at + " must not be null");
            switch (part) {
                case InputPart.Text t -> present(t.text(), at + ".text");
                case InputPart.File f -> {
                    present(f.mime(), at + ".mime");
                    present(f.name(), at + ".name");
                    present(f.url(), at + ".url");
                }
            }
        }
        present(r.agent(), "agent");
        present(r.model(), "model");
        return r;
    }

    /** @return {@code r} unchanged; @throws LatheException.InvalidInput without a reply */
    public static PermissionReplyRequest check(PermissionReplyRequest r) {
        if (r.reply() == null) throw new LatheException.InvalidInput("reply is required: once, always or reject");
        present(r.message(), "message");
        if (r.always().isPresent()) {
            if (r.reply() != PermissionReply.ALWAYS) throw new LatheException.InvalidInput("always rules go with the reply always");
            if (r.always().get().isEmpty() || r.always().get().stream().anyMatch(p -> p == null || p.isBlank())) {
                throw new LatheException.InvalidInput("always must list at least one rule, none blank");
            }
        }
        return r;
    }

    /** @return {@code r} unchanged; @throws LatheException.InvalidInput when it changes nothing or blanks the title */
    public static UpdateSessionRequest check(UpdateSessionRequest r) {
        if (r.title() == null || r.archived() == null) throw new LatheException.InvalidInput("title and archived may be omitted, not null");
        if (r.title().isEmpty() && r.archived().isEmpty()) throw new LatheException.InvalidInput("nothing to change: give title and/or archived");
        if (r.title().isPresent() && r.title().get().isBlank()) throw new LatheException.InvalidInput("title must not be blank");
        return r;
    }

    /**
     * @return {@code r} with the name's leading {@code /} dropped and absent arguments as {@code ""}
     * @throws LatheException.InvalidInput without a name
     */
    public static CommandRequest check(CommandRequest r) {
        if (r.name() == null || r.name().isBlank()) throw new LatheException.InvalidInput("name is required, e.g. \"undo\"");
        String name = r.name().startsWith("/") ? r.name().substring(1) : r.name();
        return new CommandRequest(name, r.arguments() == null ? "" : r.arguments());
    }

    /** @return {@code r} unchanged; @throws LatheException.InvalidInput without a command, or with allowAll but no check */
    public static ShellRequest check(ShellRequest r) {
        if (r.command() == null || r.command().isBlank()) throw new LatheException.InvalidInput("command is required");
        if (r.agent() == null) throw new LatheException.InvalidInput("agent may be omitted, not null");
        if (r.allowAll() && !r.check()) {
            throw new LatheException.InvalidInput("allowAll answers the asks of a check (\"check\": true); the user's own command asks nothing");
        }
        return r;
    }

    /** @return {@code messageId}, the message a revert goes back to; @throws LatheException.InvalidInput when absent */
    public static MessageId revertTarget(MessageId messageId) {
        if (messageId == null) throw new LatheException.InvalidInput("messageId is required");
        return messageId;
    }

    /** @return {@code r} unchanged; @throws LatheException.InvalidInput when it names no message or nothing to restore */
    public static RewindRequest check(RewindRequest r) {
        if (r == null || r.messageId() == null) throw new LatheException.InvalidInput("messageId is required: the user message to go back to");
        if (r.restore() == null) throw new LatheException.InvalidInput("restore is required: one of code, conversation, both, summarise");
        return r;
    }

    /** @return {@code r} unchanged; @throws LatheException.InvalidInput when it offers neither reading nor writing */
    public static EditorAttachRequest check(EditorAttachRequest r) {
        if (r == null || r.read() == null || r.write() == null) throw new LatheException.InvalidInput("read and write may be omitted, not null");
        if (!r.reads() && !r.writes()) throw new LatheException.InvalidInput("an editor attaches with read and/or write set to true");
        return r;
    }

    /** @return {@code r} unchanged; @throws LatheException.InvalidInput unless it holds exactly one of content, ok and error */
    public static EditorAnswer check(EditorAnswer r) {
        if (r == null || r.content() == null || r.ok() == null || r.error() == null) {
            throw new LatheException.InvalidInput("content, ok and error may be omitted, not null");
        }
        int given = (r.content().isPresent() ? 1 : 0) + (r.ok().isPresent() ? 1 : 0) + (r.error().isPresent() ? 1 : 0);
        if (given != 1) throw new LatheException.InvalidInput("an editor answer holds exactly one of content (a read), ok (a write) and error");
        if (r.ok().isPresent() && !r.ok().get()) throw new LatheException.InvalidInput("ok must be true; a write that failed answers error");
        return r;
    }

    /**
     * @return {@code r} unchanged; @throws LatheException.InvalidInput when {@code servers} is missing, a server misses
     *     a field, its name is not {@link SessionMcpServer#NAME} or repeats, or an http server's URL is not http(s)
     */
    public static SessionMcpRequest check(SessionMcpRequest r) {
        if (r == null || r.servers() == null) throw new LatheException.InvalidInput("servers is required (an empty list removes the session's servers)");
        var names = new java.util.HashSet<String>();
        for (int i = 0; i < r.servers().size(); i++) {
            SessionMcpServer server = r.servers().get(i);
            String at = "servers[" + i + "]";
            if (server == null) throw new LatheException.InvalidInput(at + " must not be null");
            present(server.name(), at + ".name");
            if (!server.name().matches(SessionMcpServer.NAME)) {
                throw new LatheException.InvalidInput(at + ".name '" + server.name() + "' may hold only letters, digits, _ and - (at most 64)");
            }
            if (!names.add(server.name())) throw new LatheException.InvalidInput(at + ".name '" + server.name() + "' is given twice");
            switch (server) {
                case SessionMcpServer.Stdio s -> {
                    if (s.command() == null || s.command().isBlank()) throw new LatheException.InvalidInput(at + ".command is required");
                    if (s.args().stream().anyMatch(java.util.Objects::isNull)) throw new LatheException.InvalidInput(at + ".args must not hold null");
                    noNulls(s.env(), at + ".env");
                }
                case SessionMcpServer.Http h -> {
                    present(h.url(), at + ".url");
                    if (!h.url().matches("(?i)https?://[^/\\s]+.*") || !isUri(h.url())) {
                        throw new LatheException.InvalidInput(at + ".url must be an http:// or https:// URL");
                    }
                    noNulls(h.headers(), at + ".headers");
                }
            }
        }
        return r;
    }

    private static boolean isUri(String url) {
        try {
            return new java.net.URI(url).getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static void noNulls(java.util.Map<String, String> map, String field) {
        map.forEach((k, v) -> {
            if (k == null || k.isBlank() || v == null) throw new LatheException.InvalidInput(field + " must map names to values");
        });
    }

    private static void present(Object value, String field) {
        if (value == null) throw new LatheException.InvalidInput(field + " is required");
    }
}
