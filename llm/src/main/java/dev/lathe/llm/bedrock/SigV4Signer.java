package dev.lathe.llm.bedrock;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for one service, in the header form ({@code Authorization: AWS4-HMAC-SHA256 ...}). Signs
 * {@code host}, {@code x-amz-date} and, for temporary credentials, {@code x-amz-security-token}; other headers may
 * change on the way without breaking the signature.
 *
 * <p>The canonical URI encodes each segment of the request's <em>raw</em> (already percent-encoded) path once more,
 * as every service but S3 requires: a model id {@code a:b} travels as {@code a%3Ab} and is signed as {@code a%253Ab}.
 */
public final class SigV4Signer {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private final String service;

    public SigV4Signer(String service) {
        this.service = service;
    }

    /** The headers that authorise {@code method url} with {@code body}: {@code x-amz-date}, the token if any, {@code authorization}. */
    public Map<String, String> sign(String method, URI url, byte[] body, AwsCredentials credentials, String region, Instant now) {
        String amzDate = AMZ_DATE.format(now);
        SortedMap<String, String> signed = new TreeMap<>();
        signed.put("host", host(url));
        signed.put("x-amz-date", amzDate);
        credentials.sessionToken().ifPresent(t -> signed.put("x-amz-security-token", t));
        String canonical = canonicalRequest(method, url.getRawPath(), url.getRawQuery(), signed, hex(sha256(body)));
        String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
        String signature = hex(hmac(signingKey(credentials.secretAccessKey(), amzDate.substring(0, 8), region, service),
                stringToSign(amzDate, scope, canonical)));
        Map<String, String> out = new LinkedHashMap<>();
        out.put("x-amz-date", amzDate);
        credentials.sessionToken().ifPresent(t -> out.put("x-amz-security-token", t));
        out.put("authorization", ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope + ", SignedHeaders="
                + String.join(";", signed.keySet()) + ", Signature=" + signature);
        return out;
    }

    /** {@code headers} keys lower case; values are trimmed and inner runs of spaces folded, as the spec says. */
    static String canonicalRequest(String method, String rawPath, String rawQuery, SortedMap<String, String> headers, String payloadHash) {
        var sb = new StringBuilder();
        sb.append(method).append('\n').append(canonicalUri(rawPath)).append('\n').append(canonicalQuery(rawQuery)).append('\n');
        headers.forEach((k, v) -> sb.append(k).append(':').append(v.strip().replaceAll(" +", " ")).append('\n'));
        sb.append('\n').append(String.join(";", headers.keySet())).append('\n').append(payloadHash);
        return sb.toString();
    }

    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) return "/";
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/", -1)) segments.add(uriEncode(segment));
        return String.join("/", segments);
    }

    /** Parameters sorted by name, then value, each decoded and encoded again in the spec's form. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) return "";
        List<String[]> pairs = new ArrayList<>();
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            pairs.add(new String[] {uriEncode(decode(name)), uriEncode(decode(value))});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        List<String> out = new ArrayList<>();
        for (String[] p : pairs) out.add(p[0] + "=" + p[1]);
        return String.join("&", out);
    }

    static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] signingKey(String secret, String date, String region, String service) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        return hmac(key, "aws4_request");
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String hex(byte[] bytes) { return HEX.formatHex(bytes); }

    /** RFC 3986 encoding: unreserved characters stay, every other UTF-8 byte becomes {@code %XX} (upper-case hex). */
    public static String uriEncode(String text) {
        var sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(HEX.toHexDigits(b).toUpperCase(Locale.ROOT));
            }
        }
        return sb.toString();
    }

    /** The {@code Host} header the JDK client sends: the port only when it is not the scheme's default. */
    static String host(URI url) {
        int port = url.getPort();
        boolean defaultPort = port == -1 || (port == 443 && "https".equalsIgnoreCase(url.getScheme()))
                || (port == 80 && "http".equalsIgnoreCase(url.getScheme()));
        return defaultPort ? url.getHost() : url.getHost() + ":" + port;
    }

    private static String decode(String encoded) {
        return java.net.URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
