package dev.lathe.llm.bedrock;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS settings of the process, found the way the AWS CLI and SDKs find them: access keys from
 * {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} / {@code AWS_SESSION_TOKEN}, else from the profile
 * {@code AWS_PROFILE} (default {@code default}) in {@code ~/.aws/credentials} ({@code [name]} sections) and
 * {@code ~/.aws/config} ({@code [profile name]} sections, {@code [default]}), whose paths
 * {@code AWS_SHARED_CREDENTIALS_FILE} and {@code AWS_CONFIG_FILE} override; the region from {@code AWS_REGION},
 * {@code AWS_DEFAULT_REGION}, else the profile's {@code region}; and a Bedrock API key from
 * {@code AWS_BEARER_TOKEN_BEDROCK}. Profiles that get credentials from SSO, a role or a process are recognised and
 * reported as unsupported rather than silently skipped. Files are read on each lookup, so rotated keys are picked up.
 */
public final class AwsConfig {
    /** Keys that mean the profile's credentials come from somewhere Lathe does not go. */
    private static final List<String> UNSUPPORTED = List.of("credential_process", "sso_session", "sso_start_url", "role_arn",
            "web_identity_token_file");

    /** Credentials found, or why none were. */
    public sealed interface Lookup {
        record Found(AwsCredentials credentials, String source) implements Lookup {}

        record Missing(String why) implements Lookup {}
    }

    private final Map<String, String> env;
    private final Path home;

    public AwsConfig(Map<String, String> env, Path home) {
        this.env = Map.copyOf(env);
        this.home = home;
    }

    public Optional<String> bearerToken() { return variable("AWS_BEARER_TOKEN_BEDROCK"); }

    public String profile() { return variable("AWS_PROFILE").orElse("default"); }

    public Optional<String> region() {
        return variable("AWS_REGION").or(() -> variable("AWS_DEFAULT_REGION")).or(() -> Optional.ofNullable(configProfile().get("region")))
                .filter(r -> !r.isBlank());
    }

    public Lookup credentials() {
        Optional<String> id = variable("AWS_ACCESS_KEY_ID");
        Optional<String> secret = variable("AWS_SECRET_ACCESS_KEY");
        if (id.isPresent() && secret.isPresent()) {
            return new Lookup.Found(new AwsCredentials(id.get(), secret.get(), variable("AWS_SESSION_TOKEN")), "environment");
        }
        String profile = profile();
        Map<String, String> fromCredentials = IniFile.read(credentialsFile()).getOrDefault(profile, Map.of());
        Map<String, String> fromConfig = configProfile();
        // these take precedence over keys in the same profile in the AWS tools, so keys beside them are not the answer
        for (String key : UNSUPPORTED) {
            if (fromConfig.containsKey(key) || fromCredentials.containsKey(key)) {
                return new Lookup.Missing("AWS profile '" + profile + "' gets its credentials through " + key + ", which Lathe does not support;"
                        + " export them with `aws configure export-credentials --profile " + profile + " --format env`");
            }
        }
        // the credentials file wins over the config file for the same key, as in the AWS tools
        Optional<String> fileId = first("aws_access_key_id", fromCredentials, fromConfig);
        Optional<String> fileSecret = first("aws_secret_access_key", fromCredentials, fromConfig);
        if (fileId.isPresent() && fileSecret.isPresent()) {
            return new Lookup.Found(new AwsCredentials(fileId.get(), fileSecret.get(), first("aws_session_token", fromCredentials, fromConfig)),
                    "profile " + profile);
        }
        if (id.isPresent() != secret.isPresent()) {
            return new Lookup.Missing((id.isPresent() ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") + " is set but "
                    + (id.isPresent() ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") + " is not");
        }
        return new Lookup.Missing("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_BEARER_TOKEN_BEDROCK, or add"
                + " profile '" + profile + "' to " + credentialsFile());
    }

    private Map<String, String> configProfile() {
        Map<String, Map<String, String>> config = IniFile.read(configFile());
        String profile = profile();
        Map<String, String> section = config.get("profile " + profile);
        if (section == null && profile.equals("default")) section = config.get("default");
        return section == null ? Map.of() : section;
    }

    Path credentialsFile() { return variable("AWS_SHARED_CREDENTIALS_FILE").map(this::expand).orElse(home.resolve(".aws").resolve("credentials")); }

    Path configFile() { return variable("AWS_CONFIG_FILE").map(this::expand).orElse(home.resolve(".aws").resolve("config")); }

    private Path expand(String path) {
        if (path.equals("~")) return home;
        if (path.startsWith("~/")) return home.resolve(path.substring(2));
        return Path.of(path);
    }

    private Optional<String> variable(String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    @SafeVarargs
    private static Optional<String> first(String key, Map<String, String>... sections) {
        for (Map<String, String> s : sections) {
            String v = s.get(key);
            if (v != null && !v.isBlank()) return Optional.of(v);
        }
        return Optional.empty();
    }
}
