package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.trust.KeySpec;
import dev.lathe.core.trust.TrustGate;
import dev.lathe.core.trust.Withheld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * DESIGN §30 as a rule: every key {@link ConfigSchema} accepts has a class in the one table ({@link ConfigKeys}), every
 * key Lathe reads from another harness's files has one ({@link OtherHarnessKeys}), and a key the table does not know
 * is withheld from a project, as if it reached everything. A key added to the validator (a {@code case "newKey"} or a
 * {@code fields(…, Map.of("newKey", …))}) and not to the table fails here.
 */
class ConfigKeysRuleTest {
    private static final Path SCHEMA = Path.of("src/main/java/dev/lathe/core/config/ConfigSchema.java");
    /** What the validator's {@code fields} names a type by, not a key. */
    private static final Set<String> TYPE_WORDS = Set.of("int", "positive", "boolean", "strings", "string");
    private static final Pattern CASE = Pattern.compile("case ((?:\"[^\"]+\"\\s*,\\s*)*\"[^\"]+\")\\s*->");
    private static final Pattern FIELD = Pattern.compile("(?:Map\\.entry\\(|Map\\.of\\(|,\\s*)\"([A-Za-z$][A-Za-z]*)\"\\s*,\\s*\"(int|positive|boolean|strings|string)\"");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

    @Test
    void everyKeyTheValidatorAcceptsHasAClass() throws IOException {
        assertThat(unclassed(validatorKeys())).as("keys ConfigSchema accepts with no class in ConfigKeys (DESIGN §30: add each to the table)").isEmpty();
    }

    @Test
    void theRuleTestCanFail() throws IOException {
        // the scan finds the validator's keys, down to the nested ones; a key it finds that the table lacks is named
        Set<String> found = validatorKeys();
        assertThat(found).contains("websearch", "baseUrl", "additionalDirectories", "maxEventStreamsPerToken", "clientMetadataDocument", "usd");
        Set<String> withNewKey = new HashSet<>(found);
        withNewKey.add("projectSearchUrl");
        assertThat(unclassed(withNewKey)).containsExactly("projectSearchUrl");
    }

    @Test
    void everyKeyReadFromAnotherHarnessesFilesHasAClass() {
        List<String> classed = OtherHarnessKeys.KEYS.stream().map(OtherHarnessKeys.OtherKey::key).toList();
        for (String key : OpenCodeFile.READ) assertThat(classed).as("OpenCode's %s", key).contains(key);
        for (String list : ClaudePermissions.LISTS) assertThat(classed).as("Claude Code's permissions.%s", list).contains("permissions." + list);
        assertThat(classed).contains("permissions." + PermissionModes.MODE, "permissions." + PermissionModes.DIRECTORIES, "hooks",
                StatusLineCommand.KEY, "mcpServers");
    }

    /** Fail closed: a key that reached a project's layer without a class (a validator grown past the table) is withheld. */
    @Test
    void aKeyTheTableDoesNotKnowIsWithheldFromAProject() {
        ObjectNode layer = (ObjectNode) JsonMapper.builder().build().readTree("{\"model\": \"a/b\", \"brandNew\": {\"url\": \"http://x\"}}");
        List<Withheld> withheld = ReachGate.strip(layer, "lathe.json", TrustGate.untrusted(), new ReachGate.Place(Path.of("/p"), Path.of("/h")));
        assertThat(layer.has("brandNew")).isFalse();
        assertThat(layer.path("model").asString()).isEqualTo("a/b");
        assertThat(withheld).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo(Withheld.Kind.UNCLASSED);
            assertThat(w.items()).containsExactly("brandNew");
        });
    }

    /** Every key that reaches is put to trust as part of an item that names it, never on its own without a kind. */
    @Test
    void everyReachingKeyBelongsToANamedItemOrIsOneItself() {
        List<String> orphans = new ArrayList<>();
        orphans(ConfigKeys.ROOT, "", false, orphans);
        assertThat(orphans).isEmpty();
    }

    private static void orphans(KeySpec spec, String path, boolean insideItem, List<String> out) {
        boolean inside = insideItem || spec.item().isPresent();
        if (spec.keyClass().pinnedByTrust() && !inside) out.add(path);
        for (KeySpec f : spec.fields()) orphans(f, path + "." + f.name(), inside, out);
        spec.each().ifPresent(e -> orphans(e, path + ".*", inside, out));
    }

    private static Set<String> unclassed(Set<String> keys) {
        Set<String> known = new HashSet<>();
        names(ConfigKeys.ROOT, known);
        Set<String> out = new java.util.TreeSet<>(keys);
        out.removeAll(known);
        return out;
    }

    private static void names(KeySpec spec, Set<String> out) {
        out.add(spec.name());
        spec.fields().forEach(f -> names(f, out));
        spec.each().ifPresent(e -> names(e, out));
    }

    /** The key names in {@link ConfigSchema}'s source: its {@code case} labels and the keys of its {@code fields} maps. */
    private static Set<String> validatorKeys() throws IOException {
        String source = Files.readString(SCHEMA);
        Set<String> keys = new HashSet<>();
        Matcher c = CASE.matcher(source);
        while (c.find()) {
            Matcher q = QUOTED.matcher(c.group(1));
            while (q.find()) keys.add(q.group(1));
        }
        Matcher f = FIELD.matcher(source);
        while (f.find()) keys.add(f.group(1));
        keys.removeAll(TYPE_WORDS);
        return keys;
    }


    /** The kind an item is named by says at most what the table's key reaches: the warnings of items outside the table say it too. */
    @Test
    void noKeyReachesMoreThanTheKindOfItsItemSays() {
        List<String> wider = new ArrayList<>();
        kinds(ConfigKeys.ROOT, "", wider);
        assertThat(wider).isEmpty();
    }

    private static void kinds(KeySpec spec, String path, List<String> out) {
        spec.item().ifPresent(item -> {
            if (!item.kind().reach().isEmpty() && !item.kind().reach().containsAll(spec.reachBelow())) out.add(path + " reaches " + spec.reachBelow());
        });
        for (KeySpec f : spec.fields()) kinds(f, path + "." + f.name(), out);
        spec.each().ifPresent(e -> kinds(e, path + ".*", out));
    }
}
