package dev.lathe.llm.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.ApiKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AwsCredentialsTest {
    @TempDir Path home;

    private void write(String relative, String text) throws IOException {
        Path file = home.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private AwsConfig aws(String... env) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < env.length; i += 2) map.put(env[i], env[i + 1]);
        return new AwsConfig(map, home);
    }

    private static AwsCredentials found(AwsConfig aws) {
        assertThat(aws.credentials()).isInstanceOf(AwsConfig.Lookup.Found.class);
        return ((AwsConfig.Lookup.Found) aws.credentials()).credentials();
    }

    @Test
    void environmentKeysComeFirst() throws IOException {
        write(".aws/credentials", "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = filesecret\n");
        var aws = aws("AWS_ACCESS_KEY_ID", "ENVKEY", "AWS_SECRET_ACCESS_KEY", "envsecret", "AWS_SESSION_TOKEN", "envtoken", "AWS_REGION", "eu-west-3");
        assertThat(found(aws)).isEqualTo(new AwsCredentials("ENVKEY", "envsecret", Optional.of("envtoken")));
        assertThat(aws.region()).contains("eu-west-3");
    }

    @Test
    void theDefaultProfileOfTheSharedFiles() throws IOException {
        write(".aws/credentials", """
                # keys for work
                [default]
                aws_access_key_id = AKIDDEFAULT
                aws_secret_access_key = abc#def/ghi ; a comment
                aws_session_token=tok
                [other]
                aws_access_key_id = AKIDOTHER
                aws_secret_access_key = other
                """);
        write(".aws/config", "[default]\nregion = ap-south-1\ns3 =\n    max_concurrent_requests = 20\n");
        var aws = aws();
        assertThat(found(aws)).isEqualTo(new AwsCredentials("AKIDDEFAULT", "abc#def/ghi", Optional.of("tok")));
        assertThat(aws.region()).contains("ap-south-1");
    }

    @Test
    void aNamedProfileUsesProfileSectionsInTheConfigFile() throws IOException {
        write(".aws/config", """
                [default]
                region = us-east-1
                [profile work]
                region = eu-central-1
                aws_access_key_id = AKIDCONFIG
                aws_secret_access_key = fromconfig
                """);
        write(".aws/credentials", "[work]\naws_secret_access_key = fromcredentials\n");
        var aws = aws("AWS_PROFILE", "work");
        // the credentials file wins for the same key; the config file fills in the rest
        assertThat(found(aws)).isEqualTo(new AwsCredentials("AKIDCONFIG", "fromcredentials", Optional.empty()));
        assertThat(aws.region()).contains("eu-central-1");
        assertThat(aws("AWS_PROFILE", "work", "AWS_DEFAULT_REGION", "sa-east-1").region()).contains("sa-east-1");
        assertThat(aws("AWS_PROFILE", "work", "AWS_DEFAULT_REGION", "sa-east-1", "AWS_REGION", "us-west-1").region()).contains("us-west-1");
    }

    @Test
    void fileLocationsComeFromTheEnvironment() throws IOException {
        write("elsewhere/creds", "[default]\naws_access_key_id = AKIDMOVED\naws_secret_access_key = moved\n");
        write("elsewhere/conf", "[profile default]\nregion = ca-central-1\n");
        var aws = aws("AWS_SHARED_CREDENTIALS_FILE", home.resolve("elsewhere/creds").toString(), "AWS_CONFIG_FILE", "~/elsewhere/conf");
        assertThat(found(aws).accessKeyId()).isEqualTo("AKIDMOVED");
        assertThat(aws.region()).contains("ca-central-1");
    }

    @Test
    void ssoAndRoleProfilesAreReportedAsUnsupported() throws IOException {
        write(".aws/config", "[profile sso]\nsso_session = corp\nsso_account_id = 1\n[profile role]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n");
        assertThat(aws("AWS_PROFILE", "sso").credentials()).isInstanceOfSatisfying(AwsConfig.Lookup.Missing.class,
                m -> assertThat(m.why()).contains("'sso'", "sso_session", "export-credentials"));
        assertThat(aws("AWS_PROFILE", "role").credentials()).isInstanceOfSatisfying(AwsConfig.Lookup.Missing.class,
                m -> assertThat(m.why()).contains("role_arn"));
    }

    @Test
    void missingCredentialsSayWhatToSetWithoutShowingValues() {
        assertThat(aws().credentials()).isInstanceOfSatisfying(AwsConfig.Lookup.Missing.class,
                m -> assertThat(m.why()).contains("AWS_ACCESS_KEY_ID", "AWS_BEARER_TOKEN_BEDROCK", "'default'"));
        assertThat(aws("AWS_ACCESS_KEY_ID", "AKIDONLY").credentials()).isInstanceOfSatisfying(AwsConfig.Lookup.Missing.class,
                m -> assertThat(m.why()).isEqualTo("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"));
        assertThat(aws("AWS_SECRET_ACCESS_KEY", "s3cr3t-value").credentials()).isInstanceOfSatisfying(AwsConfig.Lookup.Missing.class,
                m -> assertThat(m.why()).doesNotContain("s3cr3t-value"));
        assertThat(aws().region()).isEmpty();
    }

    @Test
    void aBedrockApiKeyIsABearerTokenAndWinsOverAccessKeys() {
        var keys = aws("AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "secret", "AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-env");
        assertThat(BedrockAuth.resolve(Optional.empty(), keys)).isEqualTo(new BedrockAuth.Bearer(new ApiKey("bedrock-api-key-env")));
        assertThat(BedrockAuth.resolve(Optional.of(new ApiKey("bedrock-api-key-provider")), keys))
                .isEqualTo(new BedrockAuth.Bearer(new ApiKey("bedrock-api-key-provider")));
        assertThat(BedrockAuth.resolve(Optional.empty(), aws("AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "secret")))
                .isEqualTo(new BedrockAuth.Signed(new AwsCredentials("AKID", "secret", Optional.empty())));
        assertThat(BedrockAuth.resolve(Optional.empty(), aws())).isInstanceOf(BedrockAuth.Missing.class);
    }

    @Test
    void secretsNeverShowInStrings() {
        var creds = new AwsCredentials("AKIDSHOWN", "the-secret-key", Optional.of("the-session-token"));
        assertThat(creds.toString()).contains("AKIDSHOWN").doesNotContain("the-secret-key", "the-session-token");
        assertThat(new BedrockAuth.Signed(creds).toString()).doesNotContain("the-secret-key", "the-session-token");
        assertThat(new BedrockAuth.Bearer(new ApiKey("bearer-value")).toString()).doesNotContain("bearer-value");
        assertThat(new BedrockAuth.Signed(creds).secrets()).containsExactly("the-secret-key", "the-session-token");
    }
}
