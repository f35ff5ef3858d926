package dev.lathe.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What the SDKs are made of (DESIGN §29), read from the OpenAPI document the server makes from its route table
 * ({@code GET /doc}, {@link OpenApiDocument}): every operation with its route name, path, query, body and answer; every
 * named schema; every event type. {@link TypeScriptSdk} and {@link PythonSdk} write the sources from this alone, so a
 * route, a field or an event added to the server reaches both SDKs by running the generator again ({@code bin/sdk}).
 */
record SdkModel(List<Operation> operations, Map<String, JsonNode> schemas, Map<String, String> events) {

    /** How an operation answers. */
    enum Answer { JSON, EVENTS, REDIRECT }

    /**
     * One route: {@code name} as in {@code ApiRoute} ({@code SESSION_PROMPT}), its path parameters in order, its query
     * parameters (but {@code directory}, which every call sends as the {@code X-Lathe-Directory} header), its body schema
     * and the schema of its answer ({@code {}}: any JSON).
     */
    record Operation(String name, String method, String template, String summary, String rights, List<String> pathParams, List<String> query,
            Optional<JsonNode> body, int status, Answer answer, JsonNode response) {}

    static SdkModel of(JsonNode doc) {
        var operations = new ArrayList<Operation>();
        for (var path : doc.path("paths").properties()) {
            for (var entry : path.getValue().properties()) operations.add(operation(path.getKey(), entry.getKey(), entry.getValue()));
        }
        operations.sort((a, b) -> a.name().compareTo(b.name()));
        var schemas = new LinkedHashMap<String, JsonNode>();
        doc.path("components").path("schemas").properties().forEach(e -> schemas.put(e.getKey(), e.getValue()));
        String eventRef = doc.path("components").path("x-events").path("schema").path("$ref").asString();
        JsonNode union = schemas.get(refName(eventRef));
        if (union == null) throw new IllegalArgumentException("the document names no event schema (components.x-events)");
        var events = new LinkedHashMap<String, String>();
        union.path("discriminator").path("mapping").properties().forEach(e -> events.put(e.getKey(), refName(e.getValue().asString())));
        if (events.isEmpty()) throw new IllegalArgumentException("the event schema has no discriminator mapping");
        return new SdkModel(List.copyOf(operations), schemas, events);
    }

    private static Operation operation(String template, String method, JsonNode op) {
        String name = op.path("x-lathe-route").asString();
        if (name.isEmpty()) throw new IllegalArgumentException(method + " " + template + " has no x-lathe-route");
        var pathParams = new ArrayList<String>();
        var query = new ArrayList<String>();
        for (JsonNode p : op.path("parameters")) {
            String in = p.path("in").asString();
            if (in.equals("path")) pathParams.add(p.path("name").asString());
            if (in.equals("query") && !p.path("name").asString().equals("directory")) query.add(p.path("name").asString());
        }
        Optional<JsonNode> body = Optional.ofNullable(op.path("requestBody").path("content").path("application/json").get("schema"));
        String status = "200";
        for (var r : op.path("responses").properties()) if (!r.getKey().equals("4XX")) status = r.getKey();
        JsonNode ok = op.path("responses").path(status);
        // a text answer (GET /metrics) is a call whose answer is a string: both runtimes hand back the text of a non-JSON answer
        String text = ok.path("content").propertyNames().stream().filter(t -> t.startsWith("text/plain")).findFirst().orElse("");
        Answer answer = ok.path("content").has("text/event-stream") ? Answer.EVENTS
                : ok.path("content").has("application/json") || !text.isEmpty() ? Answer.JSON : Answer.REDIRECT;
        JsonNode response = ok.path("content").path(text.isEmpty() ? "application/json" : text).path("schema");
        return new Operation(name, method.toUpperCase(Locale.ROOT), template, op.path("summary").asString(), op.path("x-lathe-rights").asString(),
                List.copyOf(pathParams), List.copyOf(query), body, Integer.parseInt(status), answer, response.isMissingNode() ? null : response);
    }

    /** {@code #/components/schemas/Session} → {@code Session}. */
    static String refName(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    /**
     * The names of the top-level request bodies: their number and boolean fields may be left out (the server reads a
     * missing one as 0 or false, as Java's record components default), so the SDKs do not make a caller send them.
     */
    List<String> bodyNames() {
        return operations.stream().flatMap(o -> o.body().stream()).map(b -> b.path("$ref").asString()).filter(r -> !r.isEmpty())
                .map(SdkModel::refName).distinct().sorted().toList();
    }

    /** One property of an object schema, and whether a value may leave it out. */
    record Field(String name, JsonNode schema, boolean optional) {}

    /**
     * The properties of the object schema {@code name}: optional when not required, and in a request body also when a
     * number or boolean (the server reads a missing one as 0 or false).
     */
    List<Field> fields(String name) {
        JsonNode schema = schemas.get(name);
        var required = new ArrayList<String>();
        schema.path("required").forEach(r -> required.add(r.asString()));
        boolean body = bodyNames().contains(name);
        var fields = new ArrayList<Field>();
        for (var p : schema.path("properties").properties()) {
            String type = p.getValue().path("type").asString();
            boolean defaults = type.equals("boolean") || type.equals("integer") || type.equals("number");
            fields.add(new Field(p.getKey(), p.getValue(), !required.contains(p.getKey()) || body && defaults));
        }
        return fields;
    }

    /** {@code SESSION_PROMPT} → {@code sessionPrompt}. */
    static String camel(String routeName) {
        var out = new StringBuilder();
        for (String word : routeName.toLowerCase(Locale.ROOT).split("_")) {
            out.append(out.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return out.toString();
    }
}
