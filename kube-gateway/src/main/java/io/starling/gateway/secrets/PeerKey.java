package io.starling.gateway.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.core.identity.PeerIdentity;
import io.starling.gateway.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * A super-peer's key-agreement public key as published in the store (collection
 * {@code default/scopes.starling.io/peerkeys/}, one object per node id): the site it serves and its
 * X25519 key, signed by its Ed25519 identity key, whose SHA-1 is the node id. A record whose
 * signature or node id does not check out is ignored, so nobody can get a scope key wrapped for a
 * key they slipped in under another peer's name.
 */
public record PeerKey(String nodeHex, String site, byte[] agreementKey) {
    public static final String KIND = "PeerKey";

    /** The signed object this peer publishes. */
    public static ObjectNode publish(PeerIdentity identity, String site, byte[] agreementKey) {
        String hex = identity.nodeId().toHex();
        ObjectNode o = Json.object();
        o.put("apiVersion", SecretStores.API_VERSION);
        o.put("kind", KIND);
        o.putObject("metadata").put("name", hex);
        ObjectNode spec = o.putObject("spec");
        spec.put("site", site);
        spec.put("agreementKey", b64(agreementKey));
        spec.put("identityKey", b64(identity.publicKey()));
        spec.put("signature", b64(identity.sign(signed(hex, site, agreementKey))));
        return o;
    }

    /** The verified record, or empty when malformed, unsigned or signed by another identity. */
    public static Optional<PeerKey> verify(String name, byte[] value) {
        try {
            ObjectNode o = Json.parseObject(value);
            JsonNode spec = o.path("spec");
            String site = spec.path("site").asText("");
            byte[] agreement = Base64.getDecoder().decode(spec.path("agreementKey").asText(""));
            byte[] identity = Base64.getDecoder().decode(spec.path("identityKey").asText(""));
            byte[] sig = Base64.getDecoder().decode(spec.path("signature").asText(""));
            if (site.isEmpty() || agreement.length != AgreementKey.KEY_BYTES
                    || !PeerIdentity.nodeIdOf(identity).toHex().equals(name)
                    || !PeerIdentity.verify(identity, signed(name, site, agreement), sig)) {
                return Optional.empty();
            }
            return Optional.of(new PeerKey(name, site, agreement));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static byte[] signed(String hex, String site, byte[] agreementKey) {
        return ("starling/peer-agreement-key/v1\u0000" + hex + "\u0000" + site + "\u0000" + b64(agreementKey))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerKey p && p.nodeHex.equals(nodeHex) && p.site.equals(site) && Arrays.equals(p.agreementKey, agreementKey);
    }

    @Override
    public int hashCode() {
        return nodeHex.hashCode();
    }

    @Override
    public String toString() {
        return "PeerKey[" + nodeHex + " site " + site + "]";
    }
}
