package io.starling.gateway.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.gateway.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretSealTest {
    private static final String VALUE = "hunter2-very-secret";

    static ObjectNode secret(String ns, String name, String uid) {
        ObjectNode o = Json.parseObject(("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"" + ns + "\",\"uid\":\"" + uid + "\",\"labels\":{\"app\":\"x\"},\"annotations\":{"
                + "\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"stringData\\\":{\\\"password\\\":\\\"" + VALUE
                + "\\\"}}\"}},\"type\":\"Opaque\",\"stringData\":{\"password\":\"" + VALUE + "\"}}").getBytes(StandardCharsets.UTF_8));
        SecretSeal.foldStringData(o);
        return o;
    }

    private static boolean leaks(ObjectNode o) {
        String text = new String(Json.bytes(o), StandardCharsets.UTF_8);
        return text.contains(VALUE) || text.contains(Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void sealedDataHoldsNoPlaintextAndOpensToTheOriginal() {
        byte[] key = KeyWrap.newScopeKey();
        ObjectNode original = secret("ns", "db", "u1");
        assertTrue(leaks(original));
        ObjectNode sealed = original.deepCopy();
        SecretSeal.seal(sealed, "team", "team.a.1", key);
        assertFalse(leaks(sealed));
        assertFalse(sealed.has("data"));
        assertEquals("x", sealed.path("metadata").path("labels").path("app").asText(), "metadata stays readable");
        assertEquals(new SecretSeal.Header("team", "team.a.1"), SecretSeal.header(sealed));
        SecretSeal.open(sealed, key);
        assertEquals(original, sealed);
    }

    @Test
    void sealingTheSameDataTwiceGivesTheSameAnnotation() {
        byte[] key = KeyWrap.newScopeKey();
        ObjectNode a = secret("ns", "db", "u1");
        ObjectNode b = secret("ns", "db", "u1");
        SecretSeal.seal(a, "team", "k", key);
        SecretSeal.seal(b, "team", "k", key);
        assertEquals(a, b);
    }

    @Test
    void theWrongKeyFailsClearly() {
        ObjectNode sealed = secret("ns", "db", "u1");
        SecretSeal.seal(sealed, "team", "team.a.1", KeyWrap.newScopeKey());
        SealException e = assertThrows(SealException.class, () -> SecretSeal.open(sealed, KeyWrap.newScopeKey()));
        assertTrue(e.getMessage().contains("ns/db") && e.getMessage().contains("team.a.1"), e.getMessage());
    }

    @Test
    void tamperedCiphertextFails() {
        byte[] key = KeyWrap.newScopeKey();
        ObjectNode sealed = secret("ns", "db", "u1");
        SecretSeal.seal(sealed, "team", "k", key);
        ObjectNode ann = (ObjectNode) sealed.path("metadata").path("annotations");
        String text = ann.path(SecretSeal.SEALED).asText();
        byte[] blob = Base64.getDecoder().decode(text.substring(text.lastIndexOf(':') + 1));
        blob[blob.length - 3] ^= 4;
        ann.put(SecretSeal.SEALED, text.substring(0, text.lastIndexOf(':') + 1) + Base64.getEncoder().encodeToString(blob));
        assertThrows(SealException.class, () -> SecretSeal.open(sealed, key));
        ann.put(SecretSeal.SEALED, "garbage");
        SealException e = assertThrows(SealException.class, () -> SecretSeal.open(sealed, key));
        assertTrue(e.getMessage().contains("known format"), e.getMessage());
    }

    @Test
    void ciphertextMovedToAnotherObjectDoesNotOpen() {
        byte[] key = KeyWrap.newScopeKey();
        ObjectNode sealed = secret("ns", "db", "u1");
        SecretSeal.seal(sealed, "team", "k", key);
        String annotation = sealed.path("metadata").path("annotations").path(SecretSeal.SEALED).asText();
        for (ObjectNode target : new ObjectNode[] {secret("ns", "other", "u1"), secret("ns2", "db", "u1"), secret("ns", "db", "u2")}) {
            target.remove("data");
            ((ObjectNode) target.path("metadata").path("annotations")).put(SecretSeal.SEALED, annotation);
            SealException e = assertThrows(SealException.class, () -> SecretSeal.open(target, key));
            assertTrue(e.getMessage().contains("copied from another object"), e.getMessage());
        }
        // and under another scope name in the header
        ObjectNode other = sealed.deepCopy();
        ((ObjectNode) other.path("metadata").path("annotations")).put(SecretSeal.SEALED, annotation.replace(":team:", ":evil:"));
        assertThrows(SealException.class, () -> SecretSeal.open(other, key));
    }
}
