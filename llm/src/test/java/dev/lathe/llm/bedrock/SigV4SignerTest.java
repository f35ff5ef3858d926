package dev.lathe.llm.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Vectors of the AWS Signature Version 4 test suite (the published {@code .req}, {@code .creq}, {@code .sts} and
 * {@code .authz} files, as mirrored in botocore's {@code tests/unit/auth/aws4_testsuite}): key {@code AKIDEXAMPLE},
 * secret {@code wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY}, region {@code us-east-1}.
 */
class SigV4SignerTest {
    static final AwsCredentials SUITE = new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Optional.empty());
    static final Instant SUITE_2015 = Instant.parse("2015-08-30T12:36:00Z");
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static String authorization(String method, String url) {
        return new SigV4Signer("service").sign(method, URI.create(url), new byte[0], SUITE, "us-east-1", SUITE_2015).get("authorization");
    }

    @Test
    void postVanilla() {
        assertThat(authorization("POST", "https://example.amazonaws.com/")).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
                + " SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
    }

    @Test
    void getVanilla() {
        assertThat(authorization("GET", "https://example.amazonaws.com/")).endsWith("Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    @Test
    void queryParametersAreSortedByNameThenValue() {
        assertThat(authorization("GET", "https://example.amazonaws.com/?Param1=value2&Param1=Value1"))
                .endsWith("Signature=eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1");
        assertThat(SigV4Signer.canonicalQuery("Param2=value2&Param1=value1")).isEqualTo("Param1=value1&Param2=value2");
    }

    @Test
    void theDateHeaderIsTheSigningTime() {
        var headers = new SigV4Signer("service").sign("GET", URI.create("https://example.amazonaws.com/"), new byte[0], SUITE, "us-east-1", SUITE_2015);
        assertThat(headers).containsEntry("x-amz-date", "20150830T123600Z").doesNotContainKey("x-amz-security-token");
    }

    /**
     * get-space and get-utf8 of the older suite: the raw path is encoded once more ({@code %20} → {@code %2520}), the
     * rule every service but S3 follows and the one a Bedrock model id with a colon ({@code %3A}) depends on.
     */
    @Test
    void pathSegmentsAreEncodedTwice() {
        check("/%20/foo", "GET\n/%2520/foo\n\ndate:Mon, 09 Sep 2011 23:36:00 GMT\nhost:host.foo.com\n\ndate;host\n" + EMPTY_SHA256,
                "35975885599128f8963ce9be7219598b2b5a344321bae304529556c891e9e6ba", "2be9e587d1ee1f0fd02128724b86b4358ba3630d39f493b6e06610a19a50779e");
        check("/%E1%88%B4", "GET\n/%25E1%2588%25B4\n\ndate:Mon, 09 Sep 2011 23:36:00 GMT\nhost:host.foo.com\n\ndate;host\n" + EMPTY_SHA256,
                "47f4456c465167f4db3490a68903fe057412e6e030de38f71d9006467eb4922a", "57b1eb3df3b16a8479c0097b66c0b261cfd65b829419a3f2c3d05319722490b8");
    }

    private static void check(String rawPath, String creq, String stsHash, String signature) {
        var headers = new TreeMap<String, String>(Map.of("date", "Mon, 09 Sep 2011 23:36:00 GMT", "host", "host.foo.com"));
        String canonical = SigV4Signer.canonicalRequest("GET", rawPath, null, headers, EMPTY_SHA256);
        assertThat(canonical).isEqualTo(creq);
        String sts = SigV4Signer.stringToSign("20110909T233600Z", "20110909/us-east-1/host/aws4_request", canonical);
        assertThat(sts).isEqualTo("AWS4-HMAC-SHA256\n20110909T233600Z\n20110909/us-east-1/host/aws4_request\n" + stsHash);
        byte[] key = SigV4Signer.signingKey(SUITE.secretAccessKey(), "20110909", "us-east-1", "host");
        assertThat(SigV4Signer.hex(SigV4Signer.hmac(key, sts))).isEqualTo(signature);
    }

    @Test
    void aBedrockModelIdIsSentOnceAndSignedTwiceEncoded() {
        URI url = BedrockConverse.endpoint(URI.create("https://bedrock-runtime.us-east-1.amazonaws.com"), "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        assertThat(url.getRawPath()).isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream");
        assertThat(SigV4Signer.canonicalUri(url.getRawPath())).isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%253A0/converse-stream");
        URI arn = BedrockConverse.endpoint(URI.create("https://bedrock-runtime.us-east-1.amazonaws.com/"),
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0");
        assertThat(arn.getRawPath()).isEqualTo("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.amazon.nova-pro-v1%3A0/converse-stream");
    }

    @Test
    void temporaryCredentialsSignTheirToken() {
        var creds = new AwsCredentials("AKIDEXAMPLE", SUITE.secretAccessKey(), Optional.of("session-token-value"));
        var headers = new SigV4Signer("bedrock").sign("POST", URI.create("http://127.0.0.1:8123/model/m/converse-stream"), "{}".getBytes(), creds,
                "eu-west-1", SUITE_2015);
        assertThat(headers).containsEntry("x-amz-security-token", "session-token-value");
        assertThat(headers.get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/bedrock/aws4_request,"
                + " SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=").doesNotContain("session-token-value");
        // the body is part of the signature
        var other = new SigV4Signer("bedrock").sign("POST", URI.create("http://127.0.0.1:8123/model/m/converse-stream"), "{ }".getBytes(), creds,
                "eu-west-1", SUITE_2015);
        assertThat(other.get("authorization")).isNotEqualTo(headers.get("authorization"));
    }

    @Test
    void theHostHeaderCarriesOnlyANonDefaultPort() {
        assertThat(SigV4Signer.host(URI.create("https://bedrock-runtime.us-east-1.amazonaws.com/x"))).isEqualTo("bedrock-runtime.us-east-1.amazonaws.com");
        assertThat(SigV4Signer.host(URI.create("https://example.com:443/x"))).isEqualTo("example.com");
        assertThat(SigV4Signer.host(URI.create("http://127.0.0.1:8123/x"))).isEqualTo("127.0.0.1:8123");
    }

    @Test
    void uriEncodingKeepsOnlyUnreservedCharacters() {
        assertThat(SigV4Signer.uriEncode("aZ09-_.~ :/+=ሴ")).isEqualTo("aZ09-_.~%20%3A%2F%2B%3D%E1%88%B4");
    }
}
