package dev.lathe.acp;

import dev.lathe.jsonrpc.Json;
import dev.lathe.protocol.api.AgentInfo;
import dev.lathe.protocol.api.ModelInfo;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an editor may switch in a session: ACP modes are Lathe's primary agents (build, plan, and the user's own), and
 * the one config option is the model, offered from the models the user set up ({@link #usable}), with the session's current one always among them.
 */
final class SessionOptions {
    static final String MODEL_OPTION = "model";

    private SessionOptions() {}

    /** {@code modes} of a session response: {@code currentModeId} and {@code availableModes}. */
    static ObjectNode modes(List<AgentInfo> agents, String current) {
        ObjectNode modes = Json.object().put("currentModeId", current);
        ArrayNode available = modes.putArray("availableModes");
        for (AgentInfo agent : primary(agents)) {
            ObjectNode mode = available.addObject().put("id", agent.name()).put("name", agent.name());
            if (!agent.description().isBlank()) mode.put("description", agent.description());
        }
        return modes;
    }

    static List<AgentInfo> primary(List<AgentInfo> agents) {
        return agents.stream().filter(a -> !a.mode().equals("subagent")).toList();
    }

    /** {@code configOptions}: the model select. */
    static ArrayNode configOptions(List<ModelInfo> models, String currentModel) {
        ArrayNode options = Json.mapper().createArrayNode();
        ObjectNode model = options.addObject().put("id", MODEL_OPTION).put("name", "Model").put("category", "model").put("type", "select")
                .put("currentValue", currentModel);
        ArrayNode values = model.putArray("options");
        boolean currentListed = false;
        for (ModelInfo m : models) {
            if (!m.chat() || !(usable(m) || m.ref().equals(currentModel))) continue;
            currentListed |= m.ref().equals(currentModel);
            values.addObject().put("value", m.ref()).put("name", m.name().isBlank() ? m.ref() : m.name() + " (" + m.provider() + ")");
        }
        if (!currentListed && !currentModel.isBlank()) values.insertObject(0).put("value", currentModel).put("name", currentModel);
        return options;
    }

    /**
     * A model the user set up: configured, or its provider has a key (from the environment, {@code lathe auth} or
     * config). A local server's catalogue entries need no key but are offered only when configured: the catalogue
     * lists every local server whether it runs or not.
     */
    static boolean usable(ModelInfo model) {
        return model.configured() || switch (model.keySource()) {
            case "env", "auth", "config" -> true;
            default -> false;
        };
    }
}
