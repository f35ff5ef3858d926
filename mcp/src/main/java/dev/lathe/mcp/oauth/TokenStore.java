package dev.lathe.mcp.oauth;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One JSON file per server under {@code DATA/mcp-auth/}, mode 0600 in a 0700 folder, written atomically (a temporary
 * file created 0600, then renamed). A file readable by anyone else is not used: it is reported as an error, so a token
 * that may have leaked is not silently trusted; the user signs in again, which rewrites it 0600.
 */
public final class TokenStore {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private final Path folder;

    /** {@code dataFolder} is Lathe's data folder; the tokens go in its {@code mcp-auth} subfolder. */
    public TokenStore(Path dataFolder) {
        this.folder = dataFolder.resolve("mcp-auth");
    }

    /** The file a server's tokens live in (the name sanitized to {@code [A-Za-z0-9_-]}). */
    public Path file(String serverName) {
        return folder.resolve(serverName.replaceAll("[^A-Za-z0-9_-]", "_") + ".json");
    }

    public Optional<StoredAuth> load(String serverName) throws OAuthException {
        Path file = file(serverName);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                throw new OAuthException(file + " is not a regular file: not used");
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (!OWNER_ONLY.containsAll(perms))
                throw new OAuthException(file + " is readable by others (" + PosixFilePermissions.toString(perms)
                        + "): not used; run `lathe mcp auth " + serverName + "` to sign in again");
            return Optional.of(decode(Http.JSON.readTree(Files.readString(file, StandardCharsets.UTF_8))));
        } catch (IOException | JacksonException | IllegalArgumentException e) {
            throw new OAuthException("could not read " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }

    public void save(String serverName, StoredAuth auth) throws OAuthException {
        Path file = file(serverName);
        try {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path tmp = Files.createTempFile(folder, ".tokens-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try {
                Files.writeString(tmp, Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(encode(auth)), StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new OAuthException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Forgets a server's tokens (sign-out, or a refresh token that was refused). */
    public void delete(String serverName) throws OAuthException {
        try {
            Files.deleteIfExists(file(serverName));
        } catch (IOException e) {
            throw new OAuthException("could not delete " + file(serverName) + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode encode(StoredAuth a) {
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("server", a.server().toString());
        n.put("issuer", a.issuer().toString());
        n.put("token_endpoint", a.tokenEndpoint().toString());
        a.revocationEndpoint().ifPresent(u -> n.put("revocation_endpoint", u.toString()));
        n.put("resource", a.resource().toString());
        n.put("client_id", a.client().clientId());
        a.client().clientSecret().ifPresent(s -> n.put("client_secret", s));
        n.put("access_token", a.accessToken());
        a.refreshToken().ifPresent(s -> n.put("refresh_token", s));
        a.expiresAt().ifPresent(t -> n.put("expires_at", t.toString()));
        a.scope().ifPresent(s -> n.put("scope", s));
        return n;
    }

    private static StoredAuth decode(JsonNode n) {
        return new StoredAuth(URI.create(required(n, "server")), URI.create(required(n, "issuer")),
                URI.create(required(n, "token_endpoint")), optional(n, "revocation_endpoint").map(URI::create), URI.create(required(n, "resource")),
                new ClientIdentity(required(n, "client_id"), optional(n, "client_secret")), required(n, "access_token"),
                optional(n, "refresh_token"), optional(n, "expires_at").map(Instant::parse), optional(n, "scope"));
    }

    private static String required(JsonNode n, String field) {
        return optional(n, field).orElseThrow(() -> new IllegalArgumentException("missing " + field));
    }

    private static Optional<String> optional(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isString() ? Optional.of(v.asString()) : Optional.empty();
    }
}
