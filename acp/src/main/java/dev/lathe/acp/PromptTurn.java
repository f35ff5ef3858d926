package dev.lathe.acp;

import dev.lathe.jsonrpc.Json;
import dev.lathe.jsonrpc.JsonRpcError;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.protocol.api.Delivery;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.BudgetAsks;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code session/prompt}: the prompt is stored in the daemon with the editor's mode and model (or, when it is a
 * {@code /command} the project defines, the command runs), then the request waits until the session is idle with the
 * answer complete, and answers with ACP's stop reason. The turn runs in the daemon: if the editor goes away it goes
 * on, and the other clients see it live.
 */
final class PromptTurn {
    /** A check of the session in case an idle event was missed (a reconnect of the event stream). */
    private static final long CHECK_SECONDS = 10;

    private final LatheApi api;
    private final AcpSession session;
    private volatile boolean cancelled;

    PromptTurn(LatheApi api, AcpSession session) {
        this.api = api;
        this.session = session;
    }

    /**
     * {@code session/cancel}: the turn is aborted in the daemon and the prompt then answers {@code cancelled}. A cancel
     * that comes before the prompt is stored keeps it from being sent; one that comes while the turn is only starting is
     * repeated once it runs ({@link #waitForAnswer}). Called on the connection's reading thread: the abort is an HTTP
     * call, made on a thread of its own.
     */
    void cancel() {
        cancelled = true;
        Thread.ofVirtual().start(this::abort);
    }

    private void abort() {
        try {
            api.abort(session.id);
        } catch (RuntimeException e) {
            System.getLogger(PromptTurn.class.getName()).log(System.Logger.Level.WARNING, "aborting the turn of " + session.id.value() + " failed", e);
        }
    }

    ObjectNode run(List<InputPart> parts) throws JsonRpcError {
        session.idle.drainPermits();
        if (cancelled) return stop("cancelled");
        Optional<CommandRequest> command = command(parts);
        session.feed().promptSending();
        MessageId sent;
        if (command.isPresent()) {
            var result = api.command(session.id, command.get());
            if (result.messageId().isEmpty()) return stop("end_turn");
            sent = result.messageId().get();
        } else {
            // a prompt to a session busy with another client's turn joins that turn at its next step (DESIGN §22)
            sent = api.prompt(session.id, new PromptRequest(parts, Optional.of(session.mode()), Optional.of(session.model())).delivered(Delivery.steer)).messageId();
        }
        session.feed().promptStored(sent);
        // cancelled while the prompt was being stored: the turn it starts is aborted as soon as it runs
        if (cancelled) abort();
        Optional<AssistantMessage> answer = waitForAnswer(sent);
        usage();
        if (cancelled) return stop("cancelled");
        if (answer.isEmpty()) return stop("end_turn");
        AssistantMessage a = answer.get();
        if (a.error().isPresent()) return failed(a.error().get());
        return stop(switch (a.finish().orElse("")) {
            case "length" -> "max_tokens";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        });
    }

    private ObjectNode failed(MessageError error) throws JsonRpcError {
        return switch (error.kind()) {
            case "aborted" -> stop("cancelled");
            // the user's own choices end a turn as a normal end: a rejected ask, a hook that stopped it, a spend limit not raised
            case "permission_rejected", "hook_stopped", BudgetAsks.ERROR_KIND -> stop("end_turn");
            default -> throw new JsonRpcError(JsonRpcError.INTERNAL_ERROR, error.message(), Optional.of(Json.object().put("kind", error.kind())));
        };
    }

    /** Waits until the session is idle and its last message is an answer after {@code sent}; that answer. */
    private Optional<AssistantMessage> waitForAnswer(MessageId sent) throws JsonRpcError {
        while (true) {
            try {
                session.idle.tryAcquire(cancelled ? 1 : CHECK_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw JsonRpcError.internal("interrupted while waiting for the turn");
            }
            if (!(api.status(session.id) instanceof SessionStatus.Idle)) {
                // a turn that started after the cancel's abort found nothing to abort
                if (cancelled) abort();
                continue;
            }
            List<MessageWithParts> history = api.messages(session.id);
            if (history.isEmpty()) return Optional.empty();
            var last = history.getLast().info();
            if (last instanceof AssistantMessage a && a.id().compareTo(sent) > 0 && a.completedAt().isPresent()) return Optional.of(a);
            // idle with the prompt gone: a hook refused it (and removed it); idle with it still last: its turn has not
            // started yet, and the next idle will tell
            if (last.id().compareTo(sent) < 0) return Optional.empty();
        }
    }

    /** The context used after the turn and what the session cost so far: ACP's {@code usage_update}. */
    private void usage() {
        Session now = api.session(session.id);
        List<MessageWithParts> history = api.messages(session.id);
        long used = 0;
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).info() instanceof AssistantMessage a && a.usage().total() > 0) {
                used = a.usage().prompt() + a.usage().output();
                break;
            }
        }
        // its provider's models, not the whole list (over a MiB of JSON) after every turn
        long size = api.models(session.directory.toString(), session.model().substring(0, Math.max(0, session.model().indexOf('/'))))
                .stream().filter(m -> m.ref().equals(session.model()))
                .mapToLong(ModelInfo::context).findFirst().orElse(0);
        ObjectNode update = SessionFeed.update("usage_update").put("used", used).put("size", size);
        // Lathe keeps costs in millionths of a dollar
        update.putObject("cost").put("amount", now.cost() / 1_000_000.0).put("currency", "USD");
        session.send(update);
    }

    /** A prompt that is one line {@code /name args} naming a command of the project runs that command. */
    private Optional<CommandRequest> command(List<InputPart> parts) {
        if (parts.size() != 1 || !(parts.getFirst() instanceof InputPart.Text t) || !t.text().startsWith("/")) return Optional.empty();
        String line = t.text().substring(1).strip();
        String name = line.split("\\s+", 2)[0];
        String arguments = line.length() > name.length() ? line.substring(name.length()).strip() : "";
        for (CommandInfo c : api.commands(session.directory.toString())) {
            if (c.name().equals(name)) return Optional.of(new CommandRequest(name, arguments));
        }
        return Optional.empty();
    }

    private static ObjectNode stop(String reason) { return Json.object().put("stopReason", reason); }
}
