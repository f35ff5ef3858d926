package dev.lathe.core.config;

import dev.lathe.core.trust.KeySpec;
import dev.lathe.core.trust.KeySpec.Item;
import dev.lathe.core.trust.KeySpec.Naming;
import dev.lathe.core.trust.KeySpec.Part;
import dev.lathe.core.trust.Reach;
import dev.lathe.core.trust.TrustGate;
import dev.lathe.core.trust.TrustItem;
import dev.lathe.core.trust.Withheld;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Holds back what a project's configuration layer sets that reaches outside the project, by the class {@link ConfigKeys}
 * gives each key (DESIGN §30) and with no branch per key: every value whose class is pinned is put to trust's
 * {@link TrustGate} as part of one item (the key's own, or the nearest enclosing key's that names one) and removed when
 * the gate does not admit it — in an untrusted folder all of them, in a trusted one those added or changed since it was
 * trusted. A key the table does not know is withheld as if it reached everything; a {@code {env:…}} or {@code {file:…}}
 * in any string reads the user's environment or files into the config, and is put to the gate the same way. Runs after
 * the layer was validated (so an error still names its line) and before it merges, its rules are noted or its folders
 * applied.
 */
final class ReachGate {
    /** The warning's order of kinds. */
    private static final List<Withheld.Kind> ORDER = List.of(Withheld.Kind.PERMISSION_MODES, Withheld.Kind.ALLOW_RULES,
            Withheld.Kind.PROVIDER_BASE_URL, Withheld.Kind.PROVIDER_HEADERS, Withheld.Kind.SUBSTITUTION, Withheld.Kind.SANDBOX_SETTINGS,
            Withheld.Kind.WEB_SEARCH, Withheld.Kind.MCP_SERVERS, Withheld.Kind.LSP_SERVERS, Withheld.Kind.ACP_AGENTS, Withheld.Kind.PLUGINS,
            Withheld.Kind.INSTRUCTIONS_OUTSIDE, Withheld.Kind.HOOKS, Withheld.Kind.STATUS_LINE, Withheld.Kind.SETTINGS, Withheld.Kind.UNCLASSED);
    private static final Item UNKNOWN = new Item(Withheld.Kind.UNCLASSED, Naming.KEY, Part.WHOLE);
    private static final Item SETTING = new Item(Withheld.Kind.SETTINGS, Naming.KEY, Part.WHOLE);
    private static final Item SUBSTITUTION = new Item(Withheld.Kind.SUBSTITUTION, Naming.KEY, Part.WHOLE);

    private final String source;
    private final TrustGate gate;
    private final Place place;
    private final Map<Withheld.Kind, List<String>> withheld = new EnumMap<>(Withheld.Kind.class);
    private final Map<Withheld.Kind, Set<Reach>> reached = new EnumMap<>(Withheld.Kind.class);

    private ReachGate(String source, TrustGate gate, Place place) {
        this.source = source;
        this.gate = gate;
        this.place = place;
    }

    /** The project the layer is read for and the user's home folder: what paths written in it are resolved against. */
    record Place(java.nio.file.Path projectRoot, java.nio.file.Path home) {}

    /**
     * Removes from {@code layer} (a project's, {@code source} its file as warnings name it) every part {@code gate} does
     * not admit; answers what was withheld, by kind.
     */
    static List<Withheld> strip(ObjectNode layer, String source, TrustGate gate, Place place) {
        ReachGate walk = new ReachGate(source, gate, place);
        walk.below(ConfigKeys.ROOT, layer, At.ROOT, Mode.ALL);
        walk.substitutions(layer, "");
        List<Withheld> out = new ArrayList<>();
        for (Withheld.Kind kind : ORDER) {
            List<String> names = walk.withheld.get(kind);
            if (names != null) out.add(new Withheld(kind, source, names, gate.reason(), walk.reached.get(kind)));
        }
        return out;
    }

    /** Where a value is: the object keys on the way ({@code []} for an array's element) and the entries' names among them. */
    private record At(List<String> keys, List<String> entries) {
        static final At ROOT = new At(List.of(), List.of());

        At key(String key, KeySpec spec) {
            return new At(plus(keys, key), spec.name().equals(KeySpec.ANY) ? plus(entries, key) : entries);
        }

        At element() { return new At(plus(keys, "[]"), entries); }

        /** The key this value is, or for an array's element the array's. */
        String key() {
            String last = keys.getLast();
            return last.equals("[]") ? keys.get(keys.size() - 2) : last;
        }

        boolean isElement() { return keys.getLast().equals("[]"); }

        String path() { return String.join(".", keys).replace(".[]", "[]"); }

        private static List<String> plus(List<String> list, String one) {
            List<String> out = new ArrayList<>(list);
            out.add(one);
            return out;
        }
    }

    /** {@code value} as {@code spec} says; answers false when it is to be removed from its parent. */
    private boolean value(KeySpec spec, JsonNode value, At at) {
        if (spec.free()) return true;
        if (spec.item().isPresent()) {
            Item item = spec.item().get();
            Set<Reach> reach = reachOf(spec, value);
            if (!reach.isEmpty() && !admit(item, name(item.naming(), at, value), itemText(item.part(), spec, value), reach)) {
                if (item.part() != Part.REACHING_KEYS) return false;
                removeReachingKeys(spec, (ObjectNode) value);
            }
            // what lies below and is an item of its own (a provider's headers) is put to the gate by itself
            return below(spec, value, at, Mode.NESTED_ITEMS);
        }
        if (spec.keyClass().pinnedByTrust() && holds(spec, value)) {
            // a reaching key no enclosing key names an item for: an item of its own, named by its path
            return admit(SETTING, at.path(), text(value), spec.keyClass().reach());
        }
        return below(spec, value, at, Mode.ALL);
    }

    /** Which keys below a value are looked at: all, or (inside an item, which answers for the rest) only items of their own. */
    private enum Mode { ALL, NESTED_ITEMS }

    /** The keys or elements below {@code value}; answers false when the gate emptied it (an empty list or object says nothing). */
    private boolean below(KeySpec spec, JsonNode value, At at, Mode mode) {
        boolean removed = false;
        if (value instanceof ObjectNode object) {
            for (String key : List.copyOf(object.propertyNames())) {
                Optional<KeySpec> child = spec.child(key);
                if (child.isEmpty()) {
                    // fail closed: outside an item, a key the table does not know reaches, for all the loader can tell, everything
                    if (mode == Mode.ALL && !admit(UNKNOWN, at.key(key, spec).path(), text(object.get(key)), EnumSet.allOf(Reach.class))) {
                        object.remove(key);
                        removed = true;
                    }
                    continue;
                }
                if (mode == Mode.NESTED_ITEMS && !hasItem(child.get())) continue;
                if (!value(child.get(), object.get(key), at.key(key, child.get()))) {
                    object.remove(key);
                    removed = true;
                }
            }
            return !(removed && object.isEmpty());
        }
        if (value instanceof ArrayNode array && spec.each().isPresent()) {
            KeySpec element = spec.each().get();
            if (mode == Mode.NESTED_ITEMS && !hasItem(element)) return true;
            List<Integer> gone = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) if (!value(element, array.get(i), at.element())) gone.add(i);
            for (int i = gone.size() - 1; i >= 0; i--) array.remove((int) gone.get(i));
            return gone.isEmpty() || !array.isEmpty();
        }
        return true;
    }

    /** Whether an item begins at {@code spec} or below it (a key that reaches without one belongs to the enclosing item). */
    private static boolean hasItem(KeySpec spec) {
        if (spec.item().isPresent()) return true;
        for (KeySpec f : spec.fields()) if (hasItem(f)) return true;
        return spec.each().map(ReachGate::hasItem).orElse(false);
    }

    /** What a value reaches: its own class where it holds, and that of every key below it that is not an item itself. */
    private static Set<Reach> reachOf(KeySpec spec, JsonNode value) {
        Set<Reach> reach = EnumSet.noneOf(Reach.class);
        if (spec.keyClass().pinnedByTrust() && holds(spec, value)) reach.addAll(spec.keyClass().reach());
        for (KeySpec f : spec.fields()) {
            JsonNode v = value.get(f.name());
            if (v != null && f.item().isEmpty()) reach.addAll(reachOf(f, v));
        }
        return reach;
    }

    /** Whether {@code spec}'s class holds for {@code value} ({@link KeySpec.When}). */
    private static boolean holds(KeySpec spec, JsonNode value) {
        return switch (spec.when()) {
            case ALWAYS -> true;
            case OUTSIDE_PROJECT -> !insideProject(value.asString(""));
            case ALLOWS -> value.asString("").equals("allow");
            case NOT_DEFAULT -> !value.asString("default").equals("default");
        };
    }

    /** A relative path or glob that cannot climb out of the project root ({@code ..}), as {@code Instructions} reads it. */
    static boolean insideProject(String entry) {
        String slashes = entry.replace('\\', '/');
        if (slashes.startsWith("/") || slashes.startsWith("~") || slashes.matches("^[A-Za-z]:.*")) return false;
        for (String part : slashes.split("/")) if (part.equals("..")) return false;
        return true;
    }

    private String name(Naming naming, At at, JsonNode value) {
        return switch (naming) {
            case KEY -> at.key();
            case ENTRY -> at.isElement() ? text(value) : at.key();
            case ENTRIES -> String.join(".", at.entries());
            case KEY_AND_VALUE -> at.key() + " " + text(value);
            case FOLDER -> {
                String reached = PermissionModes.reached(text(value), place.projectRoot(), place.home());
                yield at.key() + " " + text(value) + (reached.isEmpty() ? "" : " (" + reached + ")");
            }
            case HOOK_GROUP -> {
                String matcher = value.path("matcher").asString("");
                yield matcher.isEmpty() ? at.key() : at.key() + " " + matcher;
            }
            case RULE -> {
                // permission.TOOL.PATTERN, or agent.NAME.permission.TOOL.PATTERN
                List<String> keys = at.keys();
                String rule = keys.get(keys.size() - 2) + ": " + keys.getLast();
                yield keys.getFirst().equals("agent") ? "agent " + keys.get(1) + ": " + rule : rule;
            }
        };
    }

    private static String text(JsonNode value) { return value.isString() ? value.asString() : value.toString(); }

    private String itemText(Part part, KeySpec spec, JsonNode value) {
        return switch (part) {
            case WHOLE -> text(value);
            case FOLDER -> PermissionModes.realFolder(text(value), place.projectRoot(), place.home()).toString();
            case WHOLE_PINNING_COMMAND -> value.path("command").asString("");
            case REACHING_KEYS -> {
                ObjectNode reaching = JsonNodeFactory.instance.objectNode();
                for (KeySpec f : spec.fields()) {
                    JsonNode v = value.get(f.name());
                    if (v != null && f.item().isEmpty() && !reachOf(f, v).isEmpty()) reaching.set(f.name(), v);
                }
                yield reaching.toString();
            }
        };
    }

    private static void removeReachingKeys(KeySpec spec, ObjectNode value) {
        for (KeySpec f : spec.fields()) {
            JsonNode v = value.get(f.name());
            if (v != null && f.item().isEmpty() && !reachOf(f, v).isEmpty()) value.remove(f.name());
        }
    }

    private boolean admit(Item item, String name, String text, Set<Reach> reach) {
        boolean admitted = gate.admit(new TrustItem(item.kind(), source, name, text));
        if (!admitted) {
            withheld.computeIfAbsent(item.kind(), k -> new ArrayList<>()).add(name);
            reached.computeIfAbsent(item.kind(), k -> EnumSet.noneOf(Reach.class)).addAll(reach);
        }
        return admitted;
    }

    /**
     * Replaces each {@code {env:…}} and {@code {file:…}} the gate does not admit by nothing, naming the key it was in;
     * where the loader expands them (string values of objects).
     */
    private void substitutions(JsonNode node, String path) {
        if (!(node instanceof ObjectNode object)) return;
        for (Map.Entry<String, JsonNode> e : new ArrayList<>(object.properties())) {
            String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isString() && ConfigLoader.SUBSTITUTION.matcher(v.asString()).find()) {
                if (!admit(SUBSTITUTION, child, v.asString(), EnumSet.of(Reach.READS_OUTSIDE, Reach.SENDS_DATA))) {
                    object.put(e.getKey(), ConfigLoader.SUBSTITUTION.matcher(v.asString()).replaceAll(""));
                }
            } else {
                substitutions(v, child);
            }
        }
    }
}
