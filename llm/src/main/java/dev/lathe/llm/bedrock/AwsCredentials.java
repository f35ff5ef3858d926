package dev.lathe.llm.bedrock;

import java.util.Objects;
import java.util.Optional;

/**
 * AWS access keys for SigV4 signing; {@code sessionToken} is present for temporary credentials. {@code toString}
 * shows only the key id (an identifier, not a secret), so the secret and token cannot leak through logs or errors.
 */
public record AwsCredentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
    public AwsCredentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(sessionToken, "sessionToken");
    }

    @Override public String toString() { return "AwsCredentials[accessKeyId=" + accessKeyId + ", secret redacted]"; }
}
