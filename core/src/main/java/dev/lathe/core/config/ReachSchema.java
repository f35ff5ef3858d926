package dev.lathe.core.config;

import dev.lathe.core.trust.KeySpec;
import dev.lathe.core.trust.KeyClass;
import dev.lathe.core.trust.Reach;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code lathe config schema} (DESIGN §30): the JSON Schema of {@code lathe.json}, made from the one table of keys
 * ({@link ConfigKeys}), every property at every depth annotated with what it reaches ({@code x-lathe-reach}) and, where
 * it reaches, what an untrusted folder's value gets ({@code x-lathe-untrusted}) and whether a trusted folder's is pinned
 * ({@code x-lathe-pinned}); a key inside a reaching one (an MCP server's {@code command}) is classed with it. The keys
 * Lathe reads from other harnesses' files follow under {@code x-lathe-other-files} ({@link OtherHarnessKeys}).
 */
public final class ReachSchema {
    private ReachSchema() {}

    /** The schema, as indented JSON. */
    public static String json() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("title", "lathe.json");
        schema.put("description", "Lathe's configuration. x-lathe-reach says what a key reaches outside the project (DESIGN §30); "
                + "a project's value of a key that reaches is withheld until the folder is trusted and, once trusted, pinned.");
        ObjectNode root = property(ConfigKeys.ROOT, KeyClass.NONE);
        root.remove("description");
        schema.setAll(root);
        schema.set("x-lathe-substitution", annotated(JsonNodeFactory.instance.objectNode()
                .put("description", "{env:NAME} and {file:PATH} in any string value read the user's environment or files into the config"),
                KeyClass.pinned(Reach.READS_OUTSIDE, Reach.SENDS_DATA)));
        schema.set("x-lathe-other-files", OtherHarnessKeys.schema());
        return JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(schema);
    }

    /** One key's schema; {@code inherited} the class of the nearest enclosing key that reaches. */
    private static ObjectNode property(KeySpec spec, KeyClass inherited) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (spec.types().size() == 1) out.put("type", spec.types().getFirst());
        else if (!spec.types().isEmpty()) spec.types().forEach(out.withArray("type")::add);
        if (!spec.description().isEmpty()) out.put("description", spec.description());
        KeyClass own = spec.keyClass().reaches() ? spec.keyClass() : inherited;
        annotated(out, own);
        switch (spec.when()) {
            case ALWAYS -> { }
            case OUTSIDE_PROJECT -> out.put("x-lathe-when", "outside-project");
            case ALLOWS -> out.put("x-lathe-when", "allow");
            case NOT_DEFAULT -> out.put("x-lathe-when", "not-default");
        }
        if (spec.free()) return out;
        if (!spec.fields().isEmpty()) {
            ObjectNode properties = out.putObject("properties");
            for (KeySpec f : spec.fields()) properties.set(f.name(), property(f, own));
        }
        if (spec.each().isPresent()) {
            ObjectNode each = property(spec.each().get(), own);
            if (spec.types().contains("array")) out.set("items", each);
            if (spec.types().contains("object")) out.set("additionalProperties", each);
        } else if (spec.types().contains("object")) {
            out.put("additionalProperties", false);
        }
        return out;
    }

    /** {@code x-lathe-reach} and, where it reaches, {@code x-lathe-untrusted} and {@code x-lathe-pinned}. */
    static ObjectNode annotated(ObjectNode out, KeyClass keyClass) {
        Set<Reach> reach = keyClass.reach();
        if (reach.isEmpty()) {
            out.put("x-lathe-reach", "none");
            return out;
        }
        if (reach.size() == 1) out.put("x-lathe-reach", reach.iterator().next().id());
        else reach.stream().sorted().forEach(r -> out.withArray("x-lathe-reach").add(r.id()));
        out.put("x-lathe-untrusted", keyClass.project() == KeyClass.Project.APPLIED ? "applied" : "withheld");
        out.put("x-lathe-pinned", keyClass.project() == KeyClass.Project.PINNED);
        if (keyClass.project() == KeyClass.Project.USER_ONLY) out.put("x-lathe-project", "ignored: only the user's own files set it");
        return out;
    }

    /**
     * The table as the Markdown rows {@code docs/security.md} shows: every key that reaches outside the project, with
     * what it reaches and what a project's value gets; generated, so the document cannot say other than the loader does
     * ({@code ReachTableDocTest}).
     */
    static String markdown() {
        List<String> rows = new ArrayList<>();
        rows.add("| key | reaches | an untrusted folder's | a trusted folder's |");
        rows.add("|---|---|---|---|");
        rows(ConfigKeys.ROOT, "", rows);
        rows.add("");
        rows.add("| other harness's file | key | read as | reaches | untrusted | trusted |");
        rows.add("|---|---|---|---|---|---|");
        for (OtherHarnessKeys.OtherKey k : OtherHarnessKeys.KEYS) {
            rows.add("| " + k.file() + " | `" + k.key().replace("|", "\\|") + "` | " + k.readAs() + " | " + reach(k.keyClass()) + " | "
                    + untrusted(k.keyClass()) + " | " + trusted(k.keyClass()) + " |");
        }
        return String.join("\n", rows) + "\n";
    }

    private static void rows(KeySpec spec, String path, List<String> rows) {
        for (KeySpec f : spec.fields()) key(f, path.isEmpty() ? f.name() : path + "." + f.name(), rows);
        boolean list = spec.types().contains("array") && !spec.types().contains("object");
        spec.each().ifPresent(e -> key(e, path + (list ? "[]" : "." + KeySpec.ANY), rows));
    }

    private static void key(KeySpec spec, String path, List<String> rows) {
        if (spec.keyClass().reaches()) {
            String when = switch (spec.when()) {
                case ALWAYS -> "";
                case OUTSIDE_PROJECT -> " (outside the project)";
                case ALLOWS -> " (`allow`)";
                case NOT_DEFAULT -> " (not `default`)";
            };
            rows.add("| `" + path + "`" + when + " | " + reach(spec.keyClass()) + " | " + untrusted(spec.keyClass()) + " | " + trusted(spec.keyClass()) + " |");
            // what lies below a reaching key goes with it
            return;
        }
        rows(spec, path, rows);
    }

    private static String reach(KeyClass c) {
        return c.reaches() ? String.join(", ", c.reach().stream().sorted().map(Reach::id).toList()) : "none";
    }

    private static String untrusted(KeyClass c) {
        return switch (c.project()) {
            case APPLIED -> "applied";
            case PINNED -> "withheld";
            case USER_ONLY -> "ignored";
        };
    }

    private static String trusted(KeyClass c) {
        return switch (c.project()) {
            case APPLIED -> "applied";
            case PINNED -> "pinned: held back when changed";
            case USER_ONLY -> "ignored (the user's own files only)";
        };
    }
}
