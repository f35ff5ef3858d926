package dev.lathe.acp;

import dev.lathe.jsonrpc.Json;
import dev.lathe.jsonrpc.JsonRpcError;
import dev.lathe.jsonrpc.JsonRpcPeer;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.ToolDisplay;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Lathe permission ask, put to the editor as {@code session/request_permission}, and the editor's choice sent back
 * as the answer. The options are Lathe's three answers: allow once, always allow (the ask's suggested rules, as every
 * client remembers them) and reject; an editor's {@code reject_always} is taken as a reject, as Lathe remembers no
 * rejections. A {@code cancelled} outcome (the editor cancelled the turn) rejects. The ask may have been answered in
 * another client meanwhile; the later answer is then dropped.
 */
final class PermissionRelay {
    private static final System.Logger LOG = System.getLogger(PermissionRelay.class.getName());

    private final LatheApi api;
    private final JsonRpcPeer editor;

    PermissionRelay(LatheApi api, JsonRpcPeer editor) {
        this.api = api;
        this.editor = editor;
    }

    /** Asks the editor in the background (the caller is an event thread): the answer goes to the daemon when it comes. */
    void ask(SessionId acpSession, PermissionRequest request, Path directory) {
        editor.request("session/request_permission", params(acpSession, request, directory))
                .thenAcceptAsync(result -> reply(request, answer(result)), command -> Thread.ofVirtual().start(command))
                .exceptionally(e -> {
                    Throwable cause = e instanceof CompletionException ? e.getCause() : e;
                    LOG.log(System.Logger.Level.WARNING, "the editor did not answer the permission ask " + request.id().value() + ": " + cause.getMessage());
                    if (!(cause instanceof JsonRpcError rpc && rpc.code() == JsonRpcError.CONNECTION_CLOSED)) reply(request, PermissionReply.REJECT);
                    return null;
                });
    }

    static ObjectNode params(SessionId acpSession, PermissionRequest request, Path directory) {
        ObjectNode params = Json.object().put("sessionId", acpSession.value());
        ObjectNode call = params.putObject("toolCall").put("toolCallId", request.callId()).put("title", request.title())
                .put("kind", kind(request.permission())).put("status", "pending");
        if (!request.patterns().isEmpty()) {
            ObjectNode raw = call.putObject("rawInput").put("permission", request.permission());
            request.patterns().forEach(raw.putArray("patterns")::add);
        }
        if (request.display().orElse(null) instanceof ToolDisplay.FileChange change) {
            ArrayNode content = call.putArray("content");
            ArrayNode locations = call.putArray("locations");
            for (var snippet : DiffSnippets.of(change.diff())) {
                String path = ToolCalls.absolute(snippet.path(), directory);
                ObjectNode diff = content.addObject().put("type", "diff").put("path", path);
                snippet.oldText().ifPresentOrElse(t -> diff.put("oldText", t), () -> diff.putNull("oldText"));
                diff.put("newText", snippet.newText());
                locations.addObject().put("path", path);
            }
        } else if (request.display().orElse(null) instanceof ToolDisplay.CommandRun run) {
            ToolCalls.textContent(call.putArray("content"), "$ " + run.command());
        }
        ArrayNode options = params.putArray("options");
        options.addObject().put("optionId", "allow_once").put("name", "Allow once").put("kind", "allow_once");
        if (!request.always().isEmpty()) {
            options.addObject().put("optionId", "allow_always").put("name", "Always allow: " + String.join(", ", request.always()))
                    .put("kind", "allow_always");
        }
        options.addObject().put("optionId", "reject_once").put("name", "Reject").put("kind", "reject_once");
        return params;
    }

    /** The permission's rule key as an ACP tool kind. */
    private static String kind(String permission) {
        return switch (permission) {
            case "edit" -> "edit";
            case "read" -> "read";
            case "bash" -> "execute";
            case "webfetch" -> "fetch";
            case "grep", "glob", "list" -> "search";
            default -> "other";
        };
    }

    static PermissionReply answer(JsonNode result) {
        JsonNode outcome = result == null ? Json.object() : result.path("outcome");
        if (!outcome.path("outcome").asString("").equals("selected")) return PermissionReply.REJECT;
        return switch (outcome.path("optionId").asString("")) {
            case "allow_once" -> PermissionReply.ONCE;
            case "allow_always" -> PermissionReply.ALWAYS;
            default -> PermissionReply.REJECT;
        };
    }

    private void reply(PermissionRequest request, PermissionReply reply) {
        try {
            // a reject ends the turn, as it does from every client (a reject with a message would let the model go on)
            api.replyPermission(request.id(), PermissionReplyRequest.of(reply));
        } catch (LatheException e) {
            // answered in another client first, or the turn ended: nothing is waiting for this answer any more
            LOG.log(System.Logger.Level.DEBUG, "permission " + request.id().value() + " was not waiting: " + e.getMessage());
        }
    }
}
