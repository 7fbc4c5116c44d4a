package dev.searchsync.opensearch;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks AWS Signature Version 4 the way AWS does, written from the specification and independent of the SDK
 * signer under test: the canonical request is rebuilt from what arrived (method, path, query, the signed headers,
 * the body's hash) and signed again with the known secret key.
 */
final class SigV4Verifier implements RequestCheck {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private final String accessKeyId;
    private final String secretKey;
    private final String region;
    private final String service;

    SigV4Verifier(String accessKeyId, String secretKey, String region, String service) {
        this.accessKeyId = accessKeyId;
        this.secretKey = secretKey;
        this.region = region;
        this.service = service;
    }

    @Override
    public Rejection check(ReceivedRequest request) {
        String authorization = request.header("authorization");
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            return deny("missing or non-SigV4 Authorization header");
        }
        Map<String, String> parts = new HashMap<>();
        for (String part : authorization.substring("AWS4-HMAC-SHA256 ".length()).split(",")) {
            String[] pair = part.trim().split("=", 2);
            parts.put(pair[0], pair.length == 2 ? pair[1] : "");
        }
        String[] scope = parts.getOrDefault("Credential", "").split("/");
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            return deny("malformed credential scope");
        }
        if (!accessKeyId.equals(scope[0])) {
            return deny("unknown access key id");
        }
        if (!region.equals(scope[2]) || !service.equals(scope[3])) {
            return deny("credential scope names region " + scope[2] + " and service " + scope[3]);
        }
        String amzDate = request.header("x-amz-date");
        if (amzDate == null || !amzDate.startsWith(scope[1])) {
            return deny("X-Amz-Date missing or not the scope's date");
        }
        Instant signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        if (Duration.between(signedAt, Instant.now()).abs().compareTo(MAX_SKEW) > 0) {
            return deny("signature is older than 15 minutes");
        }
        List<String> signedHeaders = Arrays.asList(parts.getOrDefault("SignedHeaders", "").split(";"));
        for (String required : requiredSignedHeaders(request)) {
            if (!signedHeaders.contains(required)) {
                return deny("header " + required + " is not signed");
            }
        }
        String bodyHash = hex(sha256(request.body()));
        String declaredHash = request.header("x-amz-content-sha256");
        if ("aoss".equals(service) && declaredHash == null) {
            return deny("OpenSearch Serverless requires x-amz-content-sha256");
        }
        if (declaredHash != null && !declaredHash.equals(bodyHash)) {
            return deny("x-amz-content-sha256 does not match the body");
        }
        String canonicalRequest = request.method() + "\n"
                + canonicalUri(request.rawPath()) + "\n"
                + canonicalQuery(request.rawQuery()) + "\n"
                + canonicalHeaders(signedHeaders, request) + "\n"
                + String.join(";", signedHeaders) + "\n"
                + bodyHash;
        String credentialScope = scope[1] + "/" + scope[2] + "/" + scope[3] + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + credentialScope + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), scope[1]);
        key = hmac(key, scope[2]);
        key = hmac(key, scope[3]);
        key = hmac(key, "aws4_request");
        String expected = hex(hmac(key, stringToSign));
        String given = parts.getOrDefault("Signature", "");
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII))) {
            return deny("The request signature we calculated does not match the signature you provided");
        }
        return null;
    }

    /** Headers an attacker could otherwise change without breaking the signature. */
    private static List<String> requiredSignedHeaders(ReceivedRequest request) {
        List<String> required = new ArrayList<>(List.of("host", "x-amz-date"));
        for (String optional : List.of("content-type", "x-amz-content-sha256", "x-amz-security-token")) {
            if (request.header(optional) != null) {
                required.add(optional);
            }
        }
        return required;
    }

    /** Each path segment URI-encoded once more (non-S3 services sign the already encoded path). */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        return Arrays.stream(rawPath.split("/", -1)).map(SigV4Verifier::encode).collect(Collectors.joining("/"));
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> params = new ArrayList<>();
        for (String param : rawQuery.split("&")) {
            String[] pair = param.split("=", 2);
            params.add(new String[] {
                encode(URLDecoder.decode(pair[0], StandardCharsets.UTF_8)),
                encode(pair.length == 2 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : "")
            });
        }
        params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        return params.stream().map(p -> p[0] + "=" + p[1]).collect(Collectors.joining("&"));
    }

    /** Ends with a newline, as the specification's canonical headers block does. */
    private static String canonicalHeaders(List<String> signedHeaders, ReceivedRequest request) {
        StringBuilder out = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = request.headers().getOrDefault(name, List.of());
            out.append(name).append(':')
                    .append(values.stream().map(v -> v.trim().replaceAll(" +", " ")).collect(Collectors.joining(",")))
                    .append('\n');
        }
        return out.toString();
    }

    /** RFC 3986 encoding: only A-Z a-z 0-9 - _ . ~ stay as they are. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static Rejection deny(String reason) {
        return Rejection.of(403, reason);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
