package dev.lathe.acp;

import dev.lathe.jsonrpc.Json;
import dev.lathe.jsonrpc.JsonRpcError;
import dev.lathe.jsonrpc.JsonRpcPeer;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.BudgetAsks;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.ToolDisplay;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Lathe permission ask, put to the editor as {@code session/request_permission}, and the editor's choice sent back
 * as the answer. The options are Lathe's three answers: allow once, always allow (the ask's suggested rules, as every
 * client remembers them) and reject; an editor's {@code reject_always} is taken as a reject, as Lathe remembers no
 * rejections. A {@code cancelled} outcome (the editor cancelled the turn) rejects. When the ask is answered in another
 * client first, or the session is closed, the editor's dialog is withdrawn ({@code $/cancel_request}).
 *
 * <p>A spend limit's ask (decision 119, {@link BudgetAsks}) is about no tool call of the model's, but ACP ties every
 * permission ask to a tool call, and an editor may drop an ask naming a call it was never told of (the turn would then
 * wait for ever). So the editor is first told of a tool call that stands for the limit ({@code budget-<ask id>}, kind
 * {@code other}, titled with what was spent against which limit, pending), the ask names it, and once answered it is
 * completed (raised or lifted) or failed (stopped). Its options say what each answer does to the limit: allow this much
 * more for the session, lift the limit for the session, stop.
 */
final class PermissionRelay {
    private static final System.Logger LOG = System.getLogger(PermissionRelay.class.getName());
    static final String CANCEL_REQUEST = "$/cancel_request";

    private final LatheApi api;
    private final JsonRpcPeer editor;
    /** An ask the editor has open, the ACP session it was put in, and whether its budget tool call was ended. */
    private record Asked(SessionId session, PermissionRequest request, CompletableFuture<JsonNode> answer, AtomicBoolean settled) {}

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
            // the call the budget ask names, told before the ask that names it (both go out on this thread, in order)
            if (BudgetAsks.is(request)) editor.notify("session/update", update(acpSession, budgetCall(request).put("sessionUpdate", "tool_call")));
            return new Asked(acpSession, request, editor.request("session/request_permission", params(acpSession, request, directory)),
                    new AtomicBoolean());
        });
        if (!asking[0]) return;
        asked.answer().whenComplete((_, _) -> open.remove(request.id(), asked))
                .thenAcceptAsync(result -> {
                    PermissionReply reply = answer(result);
                    settle(asked, reply);
                    reply(request, reply);
                }, command -> Thread.ofVirtual().start(command))
                .exceptionally(e -> {
                    Throwable cause = e instanceof CompletionException ? e.getCause() : e;
                    // withdrawn by us (withdraw ended the budget call), or the editor is gone: nobody here has an answer to give
                    if (cause instanceof JsonRpcError rpc && (rpc.code() == JsonRpcError.CONNECTION_CLOSED || rpc.code() == JsonRpcError.REQUEST_CANCELLED)) return null;
                    LOG.log(System.Logger.Level.WARNING, "the editor did not answer the permission ask " + request.id().value() + ": " + cause.getMessage());
                    settle(asked, PermissionReply.REJECT);
                    reply(request, PermissionReply.REJECT);
                    return null;
                });
    }

    /** The ask was answered elsewhere with {@code reply}: the editor's dialog goes away. */
    void withdraw(PermissionId id, PermissionReply reply) {
        Asked asked = open.remove(id);
        if (asked == null) return;
        editor.cancel(asked.answer(), CANCEL_REQUEST);
        settle(asked, reply);
    }

    /** Every ask open in {@code session} is withdrawn (the editor closed the session): nothing was allowed. */
    void withdrawAll(SessionId session) {
        open.forEach((id, asked) -> {
            if (asked.session().equals(session)) withdraw(id, PermissionReply.REJECT);
        });
    }

    /** Ends a budget ask's tool call once: completed when the limit was raised or lifted, failed when the turn stops. */
    private void settle(Asked asked, PermissionReply reply) {
        PermissionRequest request = asked.request();
        if (!BudgetAsks.is(request) || !asked.settled().compareAndSet(false, true)) return;
        ObjectNode done = Json.object().put("sessionUpdate", "tool_call_update").put("toolCallId", budgetCallId(request))
                .put("status", reply == PermissionReply.REJECT ? "failed" : "completed");
        ToolCalls.textContent(done.putArray("content"), switch (reply) {
            case ONCE -> "Allowed " + request.metadata().getOrDefault(BudgetAsks.RAISE, "once") + ".";
            case ALWAYS -> "Lifted " + limit(request) + " for this session.";
            case REJECT -> "Stopped at " + limit(request) + ".";
        });
        editor.notify("session/update", update(asked.session(), done));
    }

    private static ObjectNode update(SessionId acpSession, ObjectNode update) {
        ObjectNode params = Json.object().put("sessionId", acpSession.value());
        params.set("update", update);
        return params;
    }

    /** The id of the tool call that stands for a budget ask: no model's call id looks like it. */
    static String budgetCallId(PermissionRequest request) { return "budget-" + request.id().value(); }

    private static String limit(PermissionRequest request) {
        return request.metadata().getOrDefault(BudgetAsks.LIMIT, String.join(", ", request.patterns()));
    }

    /** The fields of the tool call standing for a budget ask; the ask's title, which says what each answer does, as its text. */
    private static ObjectNode budgetCall(PermissionRequest request) {
        String spent = request.metadata().get(BudgetAsks.SPENT);
        ObjectNode call = Json.object().put("toolCallId", budgetCallId(request))
                .put("title", spent == null ? request.title() : "Spend limit reached: " + spent + " (" + limit(request) + ")")
                .put("kind", "other").put("status", "pending");
        ToolCalls.textContent(call.putArray("content"), request.title());
        ObjectNode raw = call.putObject("rawInput").put("permission", request.permission());
        request.patterns().forEach(raw.putArray("patterns")::add);
        return call;
    }

    static ObjectNode params(SessionId acpSession, PermissionRequest request, Path directory) {
        ObjectNode params = Json.object().put("sessionId", acpSession.value());
        if (BudgetAsks.is(request)) {
            params.set("toolCall", budgetCall(request));
            ArrayNode options = params.putArray("options");
            options.addObject().put("optionId", "allow_once").put("name", "Allow " + request.metadata().getOrDefault(BudgetAsks.RAISE, "once"))
                    .put("kind", "allow_once");
            options.addObject().put("optionId", "allow_always").put("name", "Lift " + limit(request) + " for this session").put("kind", "allow_always");
            options.addObject().put("optionId", "reject_once").put("name", "Stop here").put("kind", "reject_once");
            return params;
        }
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
