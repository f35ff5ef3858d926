package dev.lathe.server.local;

import dev.lathe.core.offline.OfflineFailure;
import dev.lathe.core.offline.PermissionProbe.Request;
import dev.lathe.core.offline.PermissionProbe;
import dev.lathe.core.permission.Decision;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The NDJSON edge of {@code lathe debug permission}: a request line ({@code {"tool":"bash","command":"...",
 * "workdir"?}}, {@code {"tool":"read"|"edit","path":"..."}}, or any other tool with an optional {@code "value"} or
 * {@code "url"}) read into a {@link Request}, decided by the probe, and written as one line.
 */
final class PermissionRequestLines implements LocalCommands.PermissionLines {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PermissionProbe probe;

    PermissionRequestLines(PermissionProbe probe) {
        this.probe = probe;
    }

    @Override
    public String answer(String line) {
        return JSON.writeValueAsString(answerTo(line));
    }

    @Override
    public java.util.List<String> auto(String command) {
        try {
            return probe.auto(command);
        } catch (OfflineFailure e) {
            return java.util.List.of("error: " + e.getMessage());
        }
    }

    private ObjectNode answerTo(String line) {
        JsonNode request;
        try {
            request = JSON.readTree(line);
        } catch (JacksonException e) {
            return error("not a JSON object: " + e.getOriginalMessage());
        }
        if (request == null || !request.isObject() || !request.path("tool").isString()) {
            return error("expected {\"tool\": ..., ...}");
        }
        String tool = request.path("tool").asString();
        Request asked;
        // the request shapes of DESIGN §18's debug input: bash gets a command, the file tools a path, others a value
        switch (tool) {
            case "bash" -> {
                if (!request.path("command").isString()) return error("bash needs \"command\"");
                Optional<String> workdir = request.path("workdir").isString() ? Optional.of(request.path("workdir").asString()) : Optional.empty();
                asked = new Request.Command(tool, request.path("command").asString(), workdir);
            }
            case "read", "edit" -> {
                if (!request.path("path").isString()) return error(tool + " needs \"path\"");
                asked = new Request.PathAccess(tool, request.path("path").asString());
            }
            default -> asked = new Request.Value(tool, request.path("value").asString(request.path("url").asString("*")));
        }
        Decision d;
        try {
            d = probe.decide(asked);
        } catch (OfflineFailure e) {
            return error(e.getMessage());
        }
        ObjectNode out = JSON.createObjectNode().put("decision", d.action().name().toLowerCase(Locale.ROOT));
        d.commands().forEach(out.putArray("commands")::add);
        out.put("rule", d.rule()).put("reason", d.reason());
        // added after the contract's fields: where the deciding rule was written, or what decided without one
        out.put("layer", d.origin().layer().wire()).put("source", d.origin().source());
        return out;
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }
}
