package dev.lathe.llm.bedrock;

import dev.lathe.llm.ApiKey;
import java.util.List;
import java.util.Optional;

/**
 * How one Bedrock request is authorised. A Bedrock API key (the provider's key, else {@code AWS_BEARER_TOKEN_BEDROCK})
 * goes as a bearer token and wins over access keys, as in the AWS SDKs; otherwise the request is signed with SigV4.
 */
sealed interface BedrockAuth {
    record Bearer(ApiKey token) implements BedrockAuth {}

    record Signed(AwsCredentials credentials) implements BedrockAuth {}

    record Missing(String why) implements BedrockAuth {}

    static BedrockAuth resolve(Optional<ApiKey> providerKey, AwsConfig aws) {
        Optional<ApiKey> bearer = providerKey.filter(k -> !k.value().isBlank()).or(() -> aws.bearerToken().map(ApiKey::new));
        if (bearer.isPresent()) return new Bearer(bearer.get());
        return switch (aws.credentials()) {
            case AwsConfig.Lookup.Found f -> new Signed(f.credentials());
            case AwsConfig.Lookup.Missing m -> new Missing(m.why());
        };
    }

    /** The values that must never appear in an error or a log line. */
    default List<String> secrets() {
        return switch (this) {
            case Bearer b -> List.of(b.token().value());
            case Signed s -> s.credentials().sessionToken().map(t -> List.of(s.credentials().secretAccessKey(), t))
                    .orElse(List.of(s.credentials().secretAccessKey()));
            case Missing _ -> List.of();
        };
    }
}
