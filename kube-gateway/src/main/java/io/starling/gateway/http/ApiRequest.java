package io.starling.gateway.http;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One decoded HTTP request, detached from Netty: the body is a copy, so the request can cross to
 * worker threads after the Netty buffer is released.
 *
 * @param method upper-case HTTP method
 * @param path decoded path without the query
 * @param query query parameters (first value wins in {@link #param})
 * @param headers header names lower-cased; repeated headers joined with ","
 * @param body request body, empty when none
 * @param clientCertificates the TLS client chain, empty without TLS or client auth
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                         byte[] body, List<X509Certificate> clientCertificates) {

    public ApiRequest {
        query = Map.copyOf(query);
        TreeMap<String, String> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.merge(k.toLowerCase(Locale.ROOT), v, (a, b) -> a + "," + b));
        headers = lower;
        clientCertificates = List.copyOf(clientCertificates);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** First value of a query parameter, or {@code null}. */
    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public String param(String name, String fallback) {
        String v = param(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    public boolean flag(String name) {
        String v = param(name);
        return v != null && (v.isEmpty() || v.equals("true") || v.equals("1"));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Media type of the body without parameters, lower-case; "application/json" when absent. */
    public String contentType() {
        String ct = header("content-type");
        if (ct == null || ct.isBlank()) {
            return "application/json";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    public String accept() {
        String a = header("accept");
        return a == null ? "" : a;
    }
}
