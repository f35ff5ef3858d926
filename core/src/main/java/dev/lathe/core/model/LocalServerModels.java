package dev.lathe.core.model;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The models a server on this machine has loaded (Ollama, LM Studio, llama.cpp, vLLM): what {@code lathe models
 * ollama} lists. Asks the OpenAI-compatible {@code GET <baseUrl>/models} that all of them answer, and only on loopback:
 * listing models never sends anything off the machine.
 */
public final class LocalServerModels {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LocalServerModels() {}

    /** Whether {@code baseUrl} is a server on this machine, so it may be asked for its models. */
    public static boolean isLocal(String baseUrl) { return KnownProviders.isLoopback(baseUrl); }

    /**
     * The model ids the server at {@code baseUrl} serves, sorted as it answers them.
     *
     * @throws Unreachable when it does not answer, or answers something that is not a model list
     */
    public static List<String> ids(String name, String baseUrl) {
        URI uri = URI.create(baseUrl.endsWith("/") ? baseUrl + "models" : baseUrl + "/models");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) throw new Unreachable(name + " at " + baseUrl + " answered HTTP " + response.statusCode() + " to GET " + uri);
            List<String> out = new ArrayList<>();
            for (JsonNode m : JSON.readTree(response.body()).path("data")) {
                if (m.path("id").isString()) out.add(m.path("id").asString());
            }
            return out;
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new Unreachable("nothing answers at " + baseUrl + " (" + name + "): is it running?");
        } catch (HttpTimeoutException e) {
            throw new Unreachable(name + " at " + baseUrl + " did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException | JacksonException e) {
            throw new Unreachable(name + " at " + baseUrl + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable(name + " at " + baseUrl + ": interrupted");
        }
    }

    /** A local server that could not be asked for its models; the message names its URL and says what to check. */
    public static final class Unreachable extends RuntimeException {
        public Unreachable(String message) {
            super(message);
        }
    }
}
