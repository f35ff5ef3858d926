package dev.lathe.client;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.PromptAccepted;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionWorktree;
import dev.lathe.protocol.session.Usage;
import java.io.StringWriter;
import java.util.Optional;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The documents of a client's first calls, read and written with Jackson's streaming parser and generator instead of
 * the data-binding mapper: creating a session, the event stream's {@code server.connected}, and a text prompt. On a
 * cold JVM the mapper's first use and its first (de)serializer for each of these types took ~45 ms apiece, three of
 * them on the way to a daemon-backed {@code lathe run}'s first model request; the mapper is now first needed by the
 * turn's events, while the server works. Shapes are exactly the mapper's ({@link dev.lathe.protocol.wire.WireJson}:
 * empty optionals left out, unknown fields skipped); {@code StartJsonTest} compares the two both ways.
 */
final class StartJson {
    static final String CONNECTED = "server.connected";

    private StartJson() {}

    /** The body of {@code POST /sessions}. */
    static String createSession(CreateSessionRequest request) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringProperty("directory", request.directory());
            request.title().ifPresent(t -> g.writeStringProperty("title", t));
            request.agent().ifPresent(a -> g.writeStringProperty("agent", a));
            request.model().ifPresent(m -> g.writeStringProperty("model", m));
            request.parentId().ifPresent(p -> g.writeStringProperty("parentId", p.value()));
            if (request.worktree().isPresent()) {
                g.writeObjectPropertyStart("worktree");
                request.worktree().get().name().ifPresent(n -> g.writeStringProperty("name", n));
                request.worktree().get().repo().ifPresent(r -> g.writeStringProperty("repo", r));
                request.worktree().get().base().ifPresent(b -> g.writeStringProperty("base", b));
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    /** The body of {@code POST /sessions/{id}/prompt} when every part is text; empty otherwise (the mapper writes it). */
    static Optional<String> textPrompt(PromptRequest request) {
        if (!request.parts().stream().allMatch(InputPart.Text.class::isInstance)) return Optional.empty();
        return Optional.of(write(g -> {
            g.writeStartObject();
            g.writeArrayPropertyStart("parts");
            for (InputPart part : request.parts()) {
                g.writeStartObject();
                g.writeStringProperty("type", "text");
                g.writeStringProperty("text", ((InputPart.Text) part).text());
                g.writeEndObject();
            }
            g.writeEndArray();
            request.agent().ifPresent(a -> g.writeStringProperty("agent", a));
            request.model().ifPresent(m -> g.writeStringProperty("model", m));
            // every field the record has, in its order: a field left out here was dropped on the daemon's path only
            // (issue 79: --deny-asks and a goal loop's unattended turns hung there); StartJsonTest sets each one
            if (request.allowAll()) g.writeBooleanProperty("allowAll", true);
            request.delivery().ifPresent(d -> g.writeStringProperty("delivery", d.name()));
            if (request.unattended()) g.writeBooleanProperty("unattended", true);
            if (request.denyAsks()) g.writeBooleanProperty("denyAsks", true);
            if (request.headless()) g.writeBooleanProperty("headless", true);
            if (request.auto()) g.writeBooleanProperty("auto", true);
            request.mode().ifPresent(m -> g.writeStringProperty("mode", m.wire()));
            g.writeEndObject();
        }));
    }

    /** @throws IllegalArgumentException when {@code json} is not a session */
    static Session session(String json) {
        var s = new Object() {
            String id, projectId, directory, parentId, title, agent, model, revert;
            Long createdAt, updatedAt, cost, archivedAt;
            Usage usage;
            SessionWorktree worktree;
        };
        JsonFields.read(json, "a session", (p, field, value) -> {
            switch (field) {
                case "id" -> s.id = text(p, value);
                case "projectId" -> s.projectId = text(p, value);
                case "directory" -> s.directory = text(p, value);
                case "parentId" -> s.parentId = text(p, value);
                case "title" -> s.title = text(p, value);
                case "agent" -> s.agent = text(p, value);
                case "model" -> s.model = text(p, value);
                case "revert" -> s.revert = text(p, value);
                case "createdAt" -> s.createdAt = number(p, value);
                case "updatedAt" -> s.updatedAt = number(p, value);
                case "cost" -> s.cost = number(p, value);
                case "archivedAt" -> s.archivedAt = number(p, value);
                case "usage" -> s.usage = usage(p, value);
                case "worktree" -> s.worktree = worktree(p, value);
                default -> p.skipChildren();
            }
        });
        if (s.id == null || s.projectId == null || s.directory == null || s.title == null || s.agent == null || s.model == null
                || s.createdAt == null || s.updatedAt == null) {
            throw new IllegalArgumentException("not a session: a required field is missing");
        }
        return new Session(new SessionId(s.id), new ProjectId(s.projectId), s.directory, Optional.ofNullable(s.parentId).map(SessionId::new),
                s.title, s.agent, s.model, s.createdAt, s.updatedAt, Optional.ofNullable(s.revert).map(MessageId::new),
                s.usage == null ? Usage.ZERO : s.usage, s.cost == null ? 0 : s.cost, Optional.ofNullable(s.archivedAt), Optional.ofNullable(s.worktree));
    }

    /** @throws IllegalArgumentException when {@code json} is not a prompt's answer */
    static PromptAccepted promptAccepted(String json) {
        var id = new String[3];
        var queued = new boolean[1];
        JsonFields.read(json, "a prompt's answer", (p, field, value) -> {
            switch (field) {
                case "messageId" -> id[0] = text(p, value);
                case "behind" -> id[1] = text(p, value);
                case "notice" -> id[2] = text(p, value);
                case "queued" -> queued[0] = value == JsonToken.VALUE_TRUE;
                default -> p.skipChildren();
            }
        });
        if (id[0] == null) throw new IllegalArgumentException("not a prompt's answer: no messageId");
        return new PromptAccepted(new MessageId(id[0]), queued[0], Optional.ofNullable(id[1]).map(MessageId::new), Optional.ofNullable(id[2]));
    }

    /** The envelope of a {@code server.connected} event. @throws IllegalArgumentException when it is not one */
    static EventEnvelope connected(String json) {
        var e = new Object() {
            long seq, at;
            String directory, type;
        };
        JsonFields.read(json, "an event", (p, field, value) -> {
            switch (field) {
                case "seq" -> e.seq = orZero(number(p, value));
                case "at" -> e.at = orZero(number(p, value));
                case "directory" -> e.directory = text(p, value);
                case "type" -> e.type = text(p, value);
                default -> p.skipChildren();
            }
        });
        if (!CONNECTED.equals(e.type)) throw new IllegalArgumentException("not a " + CONNECTED + " event: " + e.type);
        return new EventEnvelope(e.seq, e.at, Optional.ofNullable(e.directory), new Event.ServerConnected());
    }

    @FunctionalInterface
    private interface Writing {
        void to(JsonGenerator generator);
    }

    private static String write(Writing writing) {
        var out = new StringWriter();
        try (JsonGenerator g = JsonFields.JSON.createGenerator(out)) {
            writing.to(g);
        }
        return out.toString();
    }

    static String text(JsonParser p, JsonToken value) {
        if (value == JsonToken.VALUE_NULL) return null;
        if (value != JsonToken.VALUE_STRING) throw new IllegalArgumentException("expected a string for " + p.currentName());
        return p.getString();
    }

    static Long number(JsonParser p, JsonToken value) {
        if (value == JsonToken.VALUE_NULL) return null;
        if (value != JsonToken.VALUE_NUMBER_INT) throw new IllegalArgumentException("expected a whole number for " + p.currentName());
        return p.getLongValue();
    }

    static long orZero(Long value) { return value == null ? 0 : value; }

    /** A session's worktree (DESIGN §19): what {@code lathe run --worktree} ends after the run, so it must not be dropped. */
    private static SessionWorktree worktree(JsonParser p, JsonToken value) {
        if (value == JsonToken.VALUE_NULL) return null;
        if (value != JsonToken.START_OBJECT) throw new IllegalArgumentException("expected an object for worktree");
        String[] w = new String[3];
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            int at = switch (name) {
                case "name" -> 0;
                case "branch" -> 1;
                case "mainCheckout" -> 2;
                default -> -1;
            };
            if (at < 0) p.skipChildren();
            else w[at] = text(p, v);
        }
        if (w[0] == null || w[1] == null || w[2] == null) throw new IllegalArgumentException("not a session: its worktree lacks name, branch or mainCheckout");
        return new SessionWorktree(w[0], w[1], w[2]);
    }

    private static Usage usage(JsonParser p, JsonToken value) {
        if (value == JsonToken.VALUE_NULL) return null;
        if (value != JsonToken.START_OBJECT) throw new IllegalArgumentException("expected an object for usage");
        long[] u = new long[5];
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            int at = switch (name) {
                case "input" -> 0;
                case "output" -> 1;
                case "reasoning" -> 2;
                case "cacheRead" -> 3;
                case "cacheWrite" -> 4;
                default -> -1;
            };
            if (at < 0) p.skipChildren();
            else u[at] = orZero(number(p, v));
        }
        return new Usage(u[0], u[1], u[2], u[3], u[4]);
    }
}
