package dev.lathe.acp;

import dev.lathe.jsonrpc.Json;
import dev.lathe.jsonrpc.JsonRpcError;
import dev.lathe.jsonrpc.JsonRpcPeer;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.ToolDisplay;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Lathe permission ask, put to the editor as {@code session/request_permission}, and the editor's choice sent back
 * as the answer. The options are Lathe's three answers: allow once, always allow (the ask's suggested rules, as every
 * client remembers them) and reject; an editor's {@code reject_always} is taken as a reject, as Lathe remembers no
 * rejections. A {@code cancelled} outcome (the editor cancelled the turn) rejects. When the ask is answered in another
 * client first, or the session is closed, the editor's dialog is withdrawn ({@code $/cancel_request}).
 */
final class PermissionRelay {
    private static final System.Logger LOG = System.getLogger(PermissionRelay.class.getName());
    static final String CANCEL_REQUEST = "$/cancel_request";

    private final LatheApi api;
    private final JsonRpcPeer editor;
    /** An ask the editor has open, and the ACP session it was put in. */
    private record Asked(SessionId session, CompletableFuture<JsonNode> answer) {}

    /** Asks the editor has open, by Lathe's id: what to withdraw. */
    private final Map<PermissionId, Asked> open = new ConcurrentHashMap<>();

    PermissionRelay(LatheApi api, JsonRpcPeer editor) {
        this.api = api;
        this.editor = editor;
    }

    /**
     * Asks the editor in the background (the caller is an event thread): the answer goes to the daemon when it comes.
     * An ask the editor has open already is not asked twice.
     */
    void ask(SessionId acpSession, PermissionRequest request, Path directory) {
        var asking = new boolean[1];
        Asked asked = open.computeIfAbsent(request.id(), _ -> {
            asking[0] = true;
            return new Asked(acpSession, editor.request("session/request_permission", params(acpSession, request, directory)));
        });
        if (!asking[0]) return;
        asked.answer().whenComplete((_, _) -> open.remove(request.id(), asked))
                .thenAcceptAsync(result -> reply(request, answer(result)), command -> Thread.ofVirtual().start(command))
                .exceptionally(e -> {
                    Throwable cause = e instanceof CompletionException ? e.getCause() : e;
                    // withdrawn by us, or the editor is gone: nobody here has an answer to give
                    if (cause instanceof JsonRpcError rpc && (rpc.code() == JsonRpcError.CONNECTION_CLOSED || rpc.code() == JsonRpcError.REQUEST_CANCELLED)) return null;
                    LOG.log(System.Logger.Level.WARNING, "the editor did not answer the permission ask " + request.id().value() + ": " + cause.getMessage());
                    reply(request, PermissionReply.REJECT);
                    return null;
                });
    }

    /** The ask was answered elsewhere, or nobody waits for it any more: the editor's dialog goes away. */
    void withdraw(PermissionId id) {
        Asked asked = open.remove(id);
        if (asked != null) editor.cancel(asked.answer(), CANCEL_REQUEST);
    }

    /** Every ask open in {@code session} is withdrawn (the editor closed the session). */
    void withdrawAll(SessionId session) {
        open.forEach((id, asked) -> {
            if (asked.session().equals(session)) withdraw(id);
        });
    }

    static ObjectNode params(SessionId acpSession, PermissionRequest request, Path directory) {
        ObjectNode params = Json.object().put("sessionId", acpSession.value());
        ObjectNode call = params.putObject("toolCall").put("toolCallId", request.callId()).put("title", request.title())
                .put("kind", ToolCalls.kind(request.permission())).put("status", "pending");
        if (!request.patterns().isEmpty()) {
            ObjectNode raw = call.putObject("rawInput").put("permission", request.permission());
            request.patterns().forEach(raw.putArray("patterns")::add);
        }
        if (request.display().orElse(null) instanceof ToolDisplay.FileChange change) {
            ArrayNode locations = call.putArray("locations");
            ToolCalls.diffs(change, directory, call.putArray("content")).forEach(p -> locations.addObject().put("path", p));
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
