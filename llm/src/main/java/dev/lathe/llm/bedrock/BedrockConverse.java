package dev.lathe.llm.bedrock;

import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.LlmSink;
import dev.lathe.llm.Protocol;
import dev.lathe.llm.Provider;
import dev.lathe.llm.http.Redaction;
import dev.lathe.llm.http.RequestBody;
import dev.lathe.llm.http.StreamDriver;
import dev.lathe.llm.http.StreamTransport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code bedrock-converse} protocol: {@code POST {baseUrl}/model/{modelId}/converse-stream}, answered with an AWS
 * event-stream. {@code baseUrl} is {@code https://bedrock-runtime.{region}.amazonaws.com} (the default when the
 * provider gives none). Authorised with a Bedrock API key as a bearer token, else signed with SigV4 (service
 * {@code bedrock}) using the credentials of {@link AwsConfig}; the signing region is the one in a standard endpoint's
 * host name, else the configured region, else {@code us-east-1}.
 */
public final class BedrockConverse implements Protocol {
    public static final String ID = "bedrock-converse";
    static final String SERVICE = "bedrock";
    static final String DEFAULT_REGION = "us-east-1";
    private static final Pattern ENDPOINT_HOST = Pattern.compile("bedrock-runtime(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?");

    private static final BedrockCodec CODEC = new BedrockCodec();

    private final StreamDriver driver;
    private final AwsConfig aws;
    private final Clock clock;
    private final SigV4Signer signer = new SigV4Signer(SERVICE);

    /** Credentials from the process environment and the AWS files under the user's home folder. */
    public BedrockConverse(StreamTransport transport) {
        this(transport, System.getenv(), Path.of(System.getProperty("user.home")), Clock.systemUTC());
    }

    public BedrockConverse(StreamTransport transport, Map<String, String> env, Path home, Clock clock) {
        this.driver = new StreamDriver(transport);
        this.aws = new AwsConfig(env, home);
        this.clock = clock;
    }

    @Override public String id() { return ID; }

    @Override
    public LlmEvent.Finished stream(Provider provider, LlmRequest request, LlmSink sink, Cancellation cancel) {
        BedrockAuth auth = BedrockAuth.resolve(provider.apiKey(), aws);
        if (auth instanceof BedrockAuth.Missing m) {
            LlmEvent.Finished f = LlmEvent.Finished.refused(new LlmError.Unauthorized(m.why()));
            sink.accept(f);
            return f;
        }
        String region = region(provider.baseUrl());
        URI url = endpoint(baseUrl(provider.baseUrl(), region), request.model());
        byte[] body = Encoder.encode(request);
        Map<String, String> authorization = switch (auth) {
            case BedrockAuth.Bearer b -> Map.of("authorization", "Bearer " + b.token().value());
            case BedrockAuth.Signed s -> signer.sign("POST", url, body, s.credentials(), region, clock.instant());
            case BedrockAuth.Missing _ -> throw new IllegalStateException("handled above");
        };
        // extra provider headers may not replace (or duplicate, in another spelling) what authorises the request
        Map<String, String> headers = new LinkedHashMap<>();
        provider.headers().forEach((k, v) -> { if (!authorization.containsKey(k.toLowerCase(Locale.ROOT))) headers.put(k, v); });
        headers.putAll(authorization);
        List<String> secrets = auth.secrets();
        LlmEvent.Finished finished = driver.run(provider.id(), url, headers, RequestBody.of(body), cancel, e -> sink.accept(Redaction.redact(e, secrets)), new Decoder(),
                h -> CODEC.decodeError(h.status(), h.body(), h.headers()));
        return (LlmEvent.Finished) Redaction.redact(finished, secrets);
    }

    static URI endpoint(URI baseUrl, String model) {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/model/" + SigV4Signer.uriEncode(model) + "/converse-stream");
    }

    private static URI baseUrl(URI configured, String region) {
        if (configured != null && !configured.toString().isBlank()) return configured;
        return URI.create("https://bedrock-runtime." + region + ".amazonaws.com");
    }

    /** The region a standard endpoint names, else the configured one: the signature must name the endpoint's region. */
    String region(URI baseUrl) {
        String host = baseUrl == null || baseUrl.getHost() == null ? "" : baseUrl.getHost().toLowerCase(Locale.ROOT);
        Matcher m = ENDPOINT_HOST.matcher(host);
        if (m.matches()) return m.group(1);
        return aws.region().orElse(DEFAULT_REGION);
    }
}
