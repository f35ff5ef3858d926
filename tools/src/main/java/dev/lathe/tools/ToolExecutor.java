package dev.lathe.tools;

import dev.lathe.protocol.wire.JsonMismatch;
import dev.lathe.protocol.wire.RecordJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where JSON stops: parses the model's argument text into the tool's {@code Args} record (straight from the parser
 * by {@link RecordJson#arguments} when it fits exactly, else through the mapper's tree, whose errors the model reads), runs the tool and keeps the
 * output within the truncation limits, at the end the tool declares. This is the bare way to run a tool (tests,
 * benchmarks); a session's calls go through the core's tool-call pipeline, which uses {@link #find} and {@link #parse}
 * and adds hooks, the permission gate for tools that do not check themselves, diagnostics and the audit record. Anything the model got wrong (unknown tool, malformed JSON, arguments that do
 * not fit the schema) is a {@link ToolFailure} that tells it how to fix the call.
 */
public final class ToolExecutor {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
    private static final int REQUIRED_KEPT = 1024;
    /** {@link #required} by schema text. */
    private static final Map<String, List<String>> REQUIRED = new ConcurrentHashMap<>();

    private final ToolRegistry registry;

    public ToolExecutor(ToolRegistry registry) {
        this.registry = registry;
    }

    public ToolResult execute(String toolName, String argsJson, ToolContext ctx) {
        return run(find(toolName), argsJson, ctx);
    }

    private <A extends Record> ToolResult run(Tool<A> tool, String argsJson, ToolContext ctx) {
        A args = parse(tool, argsJson);
        ToolResult result = tool.run(args, ctx);
        return result.withOutput(Truncation.apply(result.output(), tool.truncation(), ctx));
    }

    /** The tool called {@code toolName}, or a {@link ToolFailure} naming the tools there are. */
    public Tool<?> find(String toolName) {
        return registry.find(toolName).orElseThrow(() -> new ToolFailure("Unknown tool '" + toolName + "'. Available tools: "
                + String.join(", ", registry.all().stream().map(Tool::name).toList()) + "."));
    }

    /**
     * {@code argsJson} parsed into {@code tool}'s arguments record, or a {@link ToolFailure} telling the model how to
     * fix the call (not JSON, not an object, a required argument missing, a value of the wrong type).
     */
    public static <A extends Record> A parse(Tool<A> tool, String argsJson) {
        List<String> required = required(tool);
        String json = argsJson.isBlank() ? "{}" : argsJson;
        try {
            return RecordJson.arguments(json, tool.argsType(), required);
        } catch (RecordJson.NotExact e) {
            // not bound exactly (wrong, or a shape only the mapper reads): the mapper's way, which words what is wrong
        }
        return throughTree(tool, json, required);
    }

    /** {@code json} read as before {@link RecordJson#arguments}: a tree, then the record; what a failure says is said here. */
    static <A extends Record> A throughTree(Tool<A> tool, String json, List<String> required) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new ToolFailure("The arguments for " + tool.name() + " are not valid JSON (" + e.getOriginalMessage() + ")." + hint(required));
        }
        if (tree == null || !tree.isObject()) throw new ToolFailure("The arguments for " + tool.name() + " must be a JSON object." + hint(required));
        List<String> missing = new ArrayList<>();
        for (String field : required) if (!tree.hasNonNull(field)) missing.add(field);
        if (!missing.isEmpty()) {
            throw new ToolFailure("Missing required argument(s) for " + tool.name() + ": " + String.join(", ", missing) + "." + hint(required));
        }
        // a null argument means "not given" (OpenAI strict mode sends optional arguments as null)
        ((tools.jackson.databind.node.ObjectNode) tree).properties().removeIf(e -> e.getValue().isNull());
        try {
            return JSON.treeToValue(tree, tool.argsType());
        } catch (JacksonException e) {
            throw new ToolFailure("Invalid arguments for " + tool.name() + ": " + mismatch(e) + "." + hint(required));
        }
    }

    /** What a failure adds to tell the model how to fix the call; made only when a call fails. */
    private static String hint(List<String> required) {
        return " Rewrite the input so it satisfies the expected schema" + (required.isEmpty() ? "." : "; required: " + String.join(", ", required) + ".");
    }

    /**
     * What does not fit the schema, named by its place in the arguments ({@code todos[0].id}), in the model's terms: never
     * the Java class it was read into, which Jackson's own message names.
     */
    static String mismatch(JacksonException e) {
        return JsonMismatch.describe(e, "argument");
    }

    /**
     * The required arguments of {@code tool}'s schema, kept by the schema's text (so a tool whose schema changes is read
     * afresh): tools' schemas are constants, and parsing one was a tenth of a call's validation. At most
     * {@link #REQUIRED_KEPT} schemas are kept; past that the memo starts over.
     */
    static List<String> required(Tool<?> tool) {
        String schema = tool.parametersSchema();
        List<String> known = REQUIRED.get(schema);
        if (known != null) return known;
        List<String> out = new ArrayList<>();
        JSON.readTree(schema).path("required").forEach(n -> out.add(n.asString()));
        if (REQUIRED.size() >= REQUIRED_KEPT) REQUIRED.clear();
        REQUIRED.put(schema, List.copyOf(out));
        return List.copyOf(out);
    }

}
