package dev.lathe.llm.catalog;

import dev.lathe.llm.Pricing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The models.dev catalog (its {@code api.json} shape, or the bundled snapshot's, which wraps the same providers with
 * metadata). Providers Lathe knows without the catalog (local servers) are added by {@link BuiltinProviders}.
 */
public final class Catalog {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BUNDLED = "/catalog/models.json";

    private final Map<String, CatalogProvider> providers;

    private Catalog(Map<String, CatalogProvider> providers) {
        this.providers = providers;
    }

    /** The snapshot shipped inside Lathe. */
    public static Catalog bundled() {
        try (InputStream in = Catalog.class.getResourceAsStream(BUNDLED)) {
            if (in == null) throw new IllegalStateException("missing resource " + BUNDLED);
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException when the document holds no providers (not a catalog) */
    public static Catalog parse(InputStream in) {
        JsonNode root = JSON.readTree(in);
        JsonNode list = root.has("providers") && root.path("providers").isObject() ? root.path("providers") : root;
        Map<String, CatalogProvider> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : list.properties()) {
            JsonNode p = e.getValue();
            if (!p.isObject() || !p.path("models").isObject()) continue;
            out.put(e.getKey(), provider(e.getKey(), p));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("not a models.dev catalog: no providers");
        BuiltinProviders.all().forEach(b -> out.putIfAbsent(b.id(), b));
        return new Catalog(out);
    }

    public Optional<CatalogProvider> provider(String id) { return Optional.ofNullable(providers.get(id)); }

    public Map<String, CatalogProvider> providers() { return providers; }

    private static CatalogProvider provider(String id, JsonNode p) {
        List<String> env = new ArrayList<>();
        p.path("env").forEach(n -> env.add(n.asString()));
        Map<String, CatalogModel> models = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> m : p.path("models").properties()) models.put(m.getKey(), model(m.getKey(), m.getValue()));
        return new CatalogProvider(id, p.path("name").asString(id), p.path("npm").asString(""), text(p, "api"), List.copyOf(env), models);
    }

    private static CatalogModel model(String id, JsonNode m) {
        JsonNode cost = m.path("cost");
        var pricing = cost.isObject() ? new Pricing(cost.path("input").asDouble(0), cost.path("output").asDouble(0),
                cost.path("cache_read").asDouble(0), cost.path("cache_write").asDouble(0)) : Pricing.UNKNOWN;
        JsonNode override = m.path("provider");
        return new CatalogModel(m.path("id").asString(id), m.path("name").asString(id), m.path("limit").path("context").asInt(0),
                m.path("limit").path("output").asInt(0), pricing, m.path("reasoning").asBoolean(false), m.path("tool_call").asBoolean(false),
                m.path("attachment").asBoolean(false), text(override, "npm"), text(override, "api"), text(override, "shape"));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isString() && !v.asString().isBlank() ? Optional.of(v.asString()) : Optional.empty();
    }
}
