package dev.lathe.core.trust;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One key of the configuration's table (DESIGN §30, {@code ConfigKeys}): its JSON {@code types}, its {@link KeyClass},
 * {@code when} that class holds (a rule's class only when it allows, an instruction file's only outside the project),
 * and, where a project's value is put to trust as one item, the {@link Item} that says how. {@code fields} are its
 * named keys and {@code each} the value of any other key of an object (or each element of an array), so every key at
 * every depth has a class: the loader holds back by it ({@code ReachGate}) and {@code lathe config schema} prints it
 * ({@code ReachSchema}).
 */
public record KeySpec(String name, List<String> types, String description, KeyClass keyClass, When when, Optional<Item> item,
        List<KeySpec> fields, Optional<KeySpec> each) {
    /** The name {@link #each} has in paths ({@code provider.*.baseUrl}). */
    public static final String ANY = "*";

    public KeySpec {
        types = List.copyOf(types);
        fields = List.copyOf(fields);
    }

    /** When a key's class holds, judged on its value. */
    public enum When {
        ALWAYS,
        /** A path (an instruction file) that leaves the project root: absolute, {@code ~}, or climbing with {@code ..}. */
        OUTSIDE_PROJECT,
        /** A permission rule whose action is {@code allow}. */
        ALLOWS,
        /** A mode other than {@code default}. */
        NOT_DEFAULT
    }

    /**
     * How a project's value of this key becomes one {@link dev.lathe.core.trust.TrustItem}: its {@code kind}, how it is
     * named, what of it is hashed and what of it is removed when trust does not admit it.
     */
    public record Item(Withheld.Kind kind, Naming naming, Part part) {}

    /** The item's name, as warnings and {@code lathe trust --show} list it. */
    public enum Naming {
        /** The key itself: {@code websearch}. */
        KEY,
        /** The name of the entry of an object ({@code mcp.NAME}: {@code NAME}), or an array element's text. */
        ENTRY,
        /** The names of the entries on the way, joined with dots: {@code anthropic.X-Key}. */
        ENTRIES,
        /** The key and its value: {@code defaultMode acceptEdits}, {@code additionalDirectories ~}. */
        KEY_AND_VALUE,
        /** A hook group: its event, and its matcher when it has one ({@code PreToolUse Bash}). */
        HOOK_GROUP,
        /** A permission rule: {@code bash: git push *}, {@code agent review: edit: *}. */
        RULE,
        /** A folder: the key and the folder as written, and what it reaches when the words hide it ({@code (your home folder)}). */
        FOLDER
    }

    /** What of the item is hashed (pinned) and removed when it is not admitted. */
    public enum Part {
        /** All of it. */
        WHOLE,
        /** Only its keys whose class reaches (a provider's {@code baseUrl} and {@code oauth}, not its models). */
        REACHING_KEYS,
        /** All of it removed; only its {@code command} hashed, as the run-time pin checks it ({@code statusLine}). */
        WHOLE_PINNING_COMMAND,
        /** A folder: its real path hashed, so a link changed to point elsewhere is a change. */
        FOLDER
    }

    public static KeySpec key(String name, String... types) {
        return new KeySpec(name, List.of(types), "", KeyClass.NONE, When.ALWAYS, Optional.empty(), List.of(), Optional.empty());
    }

    /** An object of entries by any name, each as {@code value}. */
    public static KeySpec map(String name, KeySpec value) {
        return key(name, "object").each(value);
    }

    /** An array whose elements are each as {@code element}. */
    public static KeySpec list(String name, KeySpec element) {
        return key(name, "array").each(element);
    }

    public KeySpec says(String text) { return new KeySpec(name, types, text, keyClass, when, item, fields, each); }

    public KeySpec is(KeyClass c) { return new KeySpec(name, types, description, c, when, item, fields, each); }

    public KeySpec when(When w) { return new KeySpec(name, types, description, keyClass, w, item, fields, each); }

    public KeySpec item(Withheld.Kind kind, Naming naming, Part part) {
        return new KeySpec(name, types, description, keyClass, when, Optional.of(new Item(kind, naming, part)), fields, each);
    }

    public KeySpec item(Withheld.Kind kind, Naming naming) { return item(kind, naming, Part.WHOLE); }

    public KeySpec fields(KeySpec... more) {
        List<KeySpec> all = new ArrayList<>(fields);
        all.addAll(List.of(more));
        return new KeySpec(name, types, description, keyClass, when, item, all, each);
    }

    public KeySpec each(KeySpec value) {
        return new KeySpec(name, types, description, keyClass, when, item, fields, Optional.of(value.named(ANY)));
    }

    private KeySpec named(String other) { return new KeySpec(other, types, description, keyClass, when, item, fields, each); }

    /** Any JSON at all, reaching nothing, to any depth: what a free-form object ({@code options}) holds. */
    public static KeySpec anything(String name) {
        return new KeySpec(name, List.of(), "", KeyClass.NONE, When.ALWAYS, Optional.empty(), List.of(), Optional.empty());
    }

    /** Whether this key takes any JSON to any depth ({@link #anything}). */
    public boolean free() { return types.isEmpty(); }

    /** The named key {@code key} of this object, else {@link #each}, else nothing: a key the table does not know. */
    public Optional<KeySpec> child(String key) {
        if (free()) return Optional.of(this);
        for (KeySpec f : fields) if (f.name.equals(key)) return Optional.of(f);
        return each;
    }

    /** Every reach of this key and those below it. */
    public java.util.Set<Reach> reachBelow() {
        java.util.Set<Reach> all = java.util.EnumSet.noneOf(Reach.class);
        all.addAll(keyClass.reach());
        for (KeySpec f : fields) all.addAll(f.reachBelow());
        each.ifPresent(e -> all.addAll(e.reachBelow()));
        return all;
    }
}
