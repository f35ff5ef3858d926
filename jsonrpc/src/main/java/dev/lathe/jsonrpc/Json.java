package dev.lathe.jsonrpc;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The module's one Jackson mapper. Unknown fields are ignored: both protocols on top of this layer grow by adding
 * fields, and a peer newer than us must still be understood.
 */
public final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {}

    public static JsonMapper mapper() { return MAPPER; }

    /** A new empty object, to build params and results with. */
    public static ObjectNode object() { return MAPPER.createObjectNode(); }
}
