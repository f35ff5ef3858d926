package dev.lathe.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exchanges over the JDK's {@link HttpClient} with its default TLS context, for a server reached over {@code https}.
 * An ordinary answer is read whole before {@link #send} returns, so the request timeout covers it as the JDK
 * applies it; a stream is handed over as it arrives.
 */
final class JdkTransport implements HttpTransport {
    private final HttpClient http;

    JdkTransport(Duration connectTimeout) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Response send(Request request) throws IOException, InterruptedException {
        var builder = HttpRequest.newBuilder(request.uri())
                .timeout(request.timeout())
                .method(request.method(), request.body().map(HttpRequest.BodyPublishers::ofByteArray).orElse(HttpRequest.BodyPublishers.noBody()));
        request.headers().forEach(builder::header);
        if (request.bodyTimeout() == BodyTimeout.NONE) {
            HttpResponse<InputStream> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new Response(response.statusCode(), joined(response.headers()), response.body());
        }
        HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(response.statusCode(), joined(response.headers()), new ByteArrayInputStream(response.body()));
    }

    private static Map<String, String> joined(HttpHeaders headers) {
        var out = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        headers.map().forEach((name, values) -> out.put(name, String.join(", ", values)));
        return out;
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
