package dev.lathe.core.model;

import dev.lathe.llm.catalog.Catalog;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the catalog comes from: {@code <cache>/models.json} when it exists and parses, else the bundled snapshot.
 * Loading happens once, on a background thread started with the server, so it never delays start-up; a caller that
 * needs it earlier waits for that one load. When the cached copy is missing or older than a day, a refresh (5 s after start) downloads
 * {@code https://models.dev/api.json} (or {@code LATHE_MODELS_URL}) into the cache for the next start; it is silent on
 * failure and off with {@code LATHE_DISABLE_MODELS_FETCH=1} and in local-only mode (decision 120).
 */
public final class CatalogSource implements CatalogSupply {
    private static final System.Logger LOG = System.getLogger(CatalogSource.class.getName());
    static final String DEFAULT_URL = "https://models.dev/api.json";
    static final Duration MAX_AGE = Duration.ofHours(24);
    /**
     * The refresh waits this long after start: its DNS lookup and TLS handshake would otherwise compete for the CPU
     * with the first model request (about 0.3 s of it on two cores); a one-shot run that ends sooner leaves it to the
     * next long-lived process.
     */
    static final Duration REFRESH_DELAY = Duration.ofSeconds(5);

    private final CompletableFuture<Catalog> catalog;

    private CatalogSource(CompletableFuture<Catalog> catalog) {
        this.catalog = catalog;
    }

    /** Starts loading (and, when due, refreshing) in the background. */
    public static CatalogSource start(Path cacheDir, Map<String, String> env, HttpClient http) {
        return start(cacheDir, env, http, REFRESH_DELAY, _ -> true);
    }

    /**
     * As {@link #start(Path, Map, HttpClient)}, the refresh made only when {@code mayRefresh} allows its URL: asked
     * once when the refresh is due, before the delay (local-only mode known from the start refuses it at once), and
     * again just before the download (a local project opened meanwhile); a refusal is the caller's to record.
     */
    public static CatalogSource start(Path cacheDir, Map<String, String> env, HttpClient http, java.util.function.Predicate<URI> mayRefresh) {
        return start(cacheDir, env, http, REFRESH_DELAY, mayRefresh);
    }

    static CatalogSource start(Path cacheDir, Map<String, String> env, HttpClient http, Duration refreshDelay) {
        return start(cacheDir, env, http, refreshDelay, _ -> true);
    }

    static CatalogSource start(Path cacheDir, Map<String, String> env, HttpClient http, Duration refreshDelay,
            java.util.function.Predicate<URI> mayRefresh) {
        Path cached = cacheDir.resolve("models.json");
        var future = new CompletableFuture<Catalog>();
        Thread.ofVirtual().name("lathe-catalog").start(() -> {
            try {
                future.complete(load(cached));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
            if ("1".equals(env.get("LATHE_DISABLE_MODELS_FETCH")) || !isStale(cached)) return;
            URI url = URI.create(env.getOrDefault("LATHE_MODELS_URL", DEFAULT_URL));
            if (!mayRefresh.test(url)) return;
            try {
                Thread.sleep(refreshDelay);
            } catch (InterruptedException e) {
                return;
            }
            if (mayRefresh.test(url)) refresh(http, url, cached);
        });
        return new CatalogSource(future);
    }

    /** A fixed catalog (tests, tools that need no refresh). */
    public static CatalogSource of(Catalog catalog) { return new CatalogSource(CompletableFuture.completedFuture(catalog)); }

    @Override
    public Catalog get() { return catalog.join(); }

    /** The catalog if it has loaded already; never waits. */
    @Override
    public Optional<Catalog> now() { return catalog.isDone() && !catalog.isCompletedExceptionally() ? Optional.of(catalog.join()) : Optional.empty(); }

    /** The cached catalog when it exists and parses, else the bundled snapshot (no download). */
    public static Catalog load(Path cached) {
        if (Files.isRegularFile(cached)) {
            try (InputStream in = Files.newInputStream(cached)) {
                return Catalog.parse(in);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "ignoring the cached catalog {0}: {1}", cached, e.getMessage());
            }
        }
        return Catalog.bundled();
    }

    static boolean isStale(Path cached) {
        try {
            return !Files.exists(cached) || Files.getLastModifiedTime(cached).toInstant().isBefore(Instant.now().minus(MAX_AGE));
        } catch (IOException e) {
            return true;
        }
    }

    /** Downloads the catalog and, only when it parses, moves it into place. */
    static void refresh(HttpClient http, URI url, Path cached) {
        try {
            var request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20)).header("Accept", "application/json").GET().build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                LOG.log(System.Logger.Level.DEBUG, "catalog refresh: HTTP {0}", response.statusCode());
                return;
            }
            Catalog.parseFully(new java.io.ByteArrayInputStream(response.body()));
            Files.createDirectories(cached.getParent());
            Path tmp = Files.createTempFile(cached.getParent(), "models", ".json.tmp");
            Files.write(tmp, response.body());
            try {
                Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "catalog refresh failed: {0}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
