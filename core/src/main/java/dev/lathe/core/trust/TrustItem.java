package dev.lathe.core.trust;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One thing a project defines that runs code or receives secrets, as trust pins it (DESIGN §18 "Trust pins what it
 * approved"): its {@code kind}, the {@code source} file it is written in (relative to the project root), its
 * {@code name} (a server, a hook's event and matcher, a provider id) and {@code text}, what it runs or where it sends
 * (the entry as written, before any {@code {env:…}} is expanded, so a pin holds no secret of the environment). Two
 * items with the same {@link #hash} run the same thing.
 */
public record TrustItem(Withheld.Kind kind, String source, String name, String text) {
    /** A stable digest of everything the item is: SHA-256 of its kind, source, name and text. */
    public String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((kind.id() + "\n" + source + "\n" + name + "\n" + text).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * What names the item whatever it runs ({@code id:} and a digest of its kind, source and name): pinned beside its
     * {@link #hash}, so a review tells an item changed since trust from a new one.
     */
    public String identity() {
        return "id:" + new TrustItem(kind, source, name, "").hash();
    }

    /**
     * One line a person reads: {@code .mcp.json MCP server fs (runs code, sends data to a host): {"command":"npx",...}},
     * what its kind reaches in brackets (DESIGN §30), with the values of headers and {@code env} variables shown as
     * {@code ***} (their names stay): a literal key written there is no one's to read.
     */
    public String line() {
        String reach = kind.reach().isEmpty() ? "" : " (" + Reach.words(kind.reach()) + ")";
        // a name is the folder's own words (a rule's pattern may hold a line break): one line whatever it holds
        return (source + " " + kind.one() + " " + name + reach + ": " + shown()).replace('\n', ' ').replace('\r', ' ');
    }

    private String shown() {
        if (kind == Withheld.Kind.PROVIDER_HEADERS) return "***";
        // the digests of the project files the entry names follow it ({@link ReferencedFiles}): shown as they are
        int files = text.indexOf(ReferencedFiles.MARK);
        String entry = files < 0 ? text : text.substring(0, files);
        String digests = files < 0 ? "" : text.substring(files);
        if (!entry.startsWith("{") && !entry.startsWith("[")) return entry + digests;
        try {
            JsonNode node = JSON.readTree(entry);
            mask(node);
            return node + digests;
        } catch (JacksonException e) {
            return entry + digests;
        }
    }

    private static void mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (String key : java.util.List.copyOf(object.propertyNames())) {
                if ((key.equals("env") || key.equals("headers")) && object.get(key) instanceof ObjectNode values) {
                    for (String name : java.util.List.copyOf(values.propertyNames())) values.put(name, "***");
                } else {
                    mask(object.get(key));
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(TrustItem::mask);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
}
