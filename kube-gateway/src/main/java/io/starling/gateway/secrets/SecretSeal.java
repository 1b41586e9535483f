package io.starling.gateway.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.gateway.api.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens the data of one Secret (pure, JSON trees in place).
 *
 * <p>What is sealed: {@code data} (after {@code stringData} is folded into it) and the annotation
 * {@code kubectl.kubernetes.io/last-applied-configuration} (client-side apply copies the whole
 * manifest, values included, into it). Both move into one annotation, {@value #SEALED}, whose
 * value is {@code starling-v1:<scope>:<key id>:<base64(nonce || AES-256-GCM ciphertext)>}. One
 * annotation is one field for the per-field cross-site merge, so sealed data merges whole.
 *
 * <p>The AAD is (scope, key id, namespace, name, uid): a ciphertext copied into another Secret,
 * namespace or scope, or into a re-created Secret of the same name, does not open. The nonce is
 * synthetic (HMAC-SHA256 of AAD and plaintext under a key derived from the scope key, as in
 * SIV modes): sealing the same data twice gives the same annotation, so an update that does not
 * touch the data changes no field, and a nonce repeats only with identical input.
 */
public final class SecretSeal {
    public static final String SEALED = "secrets.starling.io/sealed";
    /** Set on a Secret read where its data cannot be opened (never stored). */
    public static final String REDACTED = "secrets.starling.io/sealed-to";
    public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final String PREFIX = "starling-v1";
    private static final int NONCE_BYTES = 12;

    private SecretSeal() {}

    /** The (scope, key id) named by a sealed Secret, or null when it carries no sealed data. */
    public record Header(String scope, String keyId) {}

    /** Folds {@code stringData} into {@code data} (base64), as the API server does on write. */
    public static void foldStringData(ObjectNode secret) {
        JsonNode sd = secret.remove("stringData");
        if (sd instanceof ObjectNode s && !s.isEmpty()) {
            ObjectNode data = Json.with(secret, "data");
            s.fields().forEachRemaining(e -> data.put(e.getKey(),
                    Base64.getEncoder().encodeToString(e.getValue().asText("").getBytes(StandardCharsets.UTF_8))));
        }
    }

    /** Whether the Secret has anything to seal. */
    public static boolean hasSecretContent(ObjectNode secret) {
        JsonNode data = secret.get("data");
        return (data != null && data.isObject() && !data.isEmpty())
                || secret.path("metadata").path("annotations").has(LAST_APPLIED);
    }

    /** Moves data and last-applied into the sealed annotation. Idempotent for the same input. */
    public static void seal(ObjectNode secret, String scope, String keyId, byte[] key) {
        ObjectNode meta = Json.with(secret, "metadata");
        ObjectNode plain = Json.object();
        JsonNode data = secret.remove("data");
        if (data instanceof ObjectNode d && !d.isEmpty()) {
            ObjectNode sorted = plain.putObject("data");
            new TreeMap<>(fields(d)).forEach(sorted::set);
        }
        ObjectNode ann = Json.with(meta, "annotations");
        JsonNode la = ann.remove(LAST_APPLIED);
        if (la != null) {
            plain.set("lastApplied", la);
        }
        ann.remove(REDACTED);
        byte[] aad = aad(scope, keyId, secret);
        byte[] pt = Json.bytes(plain);
        byte[] nonce = Arrays.copyOf(hmac(hmac(key, "starling/secret/nonce-key".getBytes(StandardCharsets.UTF_8)), concat(aad, pt)), NONCE_BYTES);
        byte[] ct = KeyWrap.gcm(javax.crypto.Cipher.ENCRYPT_MODE, key, nonce, aad, pt);
        ann.put(SEALED, PREFIX + ":" + scope + ":" + keyId + ":" + Base64.getEncoder().encodeToString(concat(nonce, ct)));
    }

    /** The header of the sealed annotation, or null when there is none; {@link SealException} if malformed. */
    public static Header header(ObjectNode secret) {
        JsonNode v = secret.path("metadata").path("annotations").get(SEALED);
        if (v == null) {
            return null;
        }
        String[] p = v.asText("").split(":", 4);
        if (p.length != 4 || !p[0].equals(PREFIX) || p[1].isEmpty() || p[2].isEmpty()) {
            throw new SealException("annotation " + SEALED + " of secret " + describe(secret) + " is not sealed data of a known format");
        }
        return new Header(p[1], p[2]);
    }

    /** Restores data and last-applied from the sealed annotation; {@link SealException} on a wrong key or altered/moved data. */
    public static void open(ObjectNode secret, byte[] key) {
        Header h = header(secret);
        if (h == null) {
            return;
        }
        ObjectNode meta = Json.with(secret, "metadata");
        ObjectNode ann = Json.with(meta, "annotations");
        String text = ann.path(SEALED).asText();
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(text.substring(text.lastIndexOf(':') + 1));
        } catch (IllegalArgumentException e) {
            throw new SealException("sealed data of secret " + describe(secret) + " is not base64");
        }
        if (blob.length < NONCE_BYTES + 16) {
            throw new SealException("sealed data of secret " + describe(secret) + " is truncated");
        }
        byte[] pt;
        try {
            pt = KeyWrap.gcm(javax.crypto.Cipher.DECRYPT_MODE, key, Arrays.copyOf(blob, NONCE_BYTES),
                    aad(h.scope(), h.keyId(), secret), Arrays.copyOfRange(blob, NONCE_BYTES, blob.length));
        } catch (SealException e) {
            throw new SealException("sealed data of secret " + describe(secret) + " does not open with key " + h.keyId()
                    + " of scope " + h.scope() + ": wrong key, altered, or copied from another object");
        }
        ObjectNode plain = Json.parseObject(pt);
        ann.remove(SEALED);
        if (plain.has("lastApplied")) {
            ann.set(LAST_APPLIED, plain.get("lastApplied"));
        }
        if (ann.isEmpty()) {
            meta.remove("annotations");
        }
        if (plain.get("data") instanceof ObjectNode d) {
            secret.set("data", d);
        }
    }

    /** Replaces the sealed data by a note saying where it can be read; the object then holds no data. */
    public static void redact(ObjectNode secret, String note) {
        ObjectNode ann = Json.with(Json.with(secret, "metadata"), "annotations");
        ann.remove(SEALED);
        ann.put(REDACTED, note);
        secret.remove("data");
    }

    private static Map<String, JsonNode> fields(ObjectNode o) {
        Map<String, JsonNode> m = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    private static byte[] aad(String scope, String keyId, ObjectNode secret) {
        JsonNode meta = secret.path("metadata");
        return String.join("\u0000", "starling/secret/v1", scope, keyId, meta.path("namespace").asText(""),
                meta.path("name").asText(""), meta.path("uid").asText("")).getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(ObjectNode secret) {
        JsonNode meta = secret.path("metadata");
        return meta.path("namespace").asText("") + "/" + meta.path("name").asText("");
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
