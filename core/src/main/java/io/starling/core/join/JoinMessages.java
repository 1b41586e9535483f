package io.starling.core.join;

import io.starling.core.net.Contact;
import io.starling.core.net.Message;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.WireRegistry;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The join protocol's wire messages; wire ids 190-199 belong to this package. */
public final class JoinMessages {
    private JoinMessages() {}

    /**
     * Sent by a peer without a certificate. {@code signature} is the identity key's signature over
     * {@link #proofBytes} (token id, CA hash, public key, timestamp, site, role, address): proof that
     * the sender holds the private key, bound to this cluster and fresh within the allowed skew.
     */
    public record JoinRequest(String tokenId, String tokenSecret, byte[] publicKey, long timestampMillis,
            byte[] signature, String site, String role, PeerAddress advertisedAddress) implements Message {
        @Override
        public String toString() {
            return "JoinRequest[token=" + tokenId + ", site=" + site + ", role=" + role + ", address=" + advertisedAddress + "]";
        }
    }

    /**
     * Admission: the CA and peer certificates (DER); for super-peers also the CA key (PKCS#8) and the
     * token hash, empty arrays for edge peers; and some contacts to start from.
     */
    public record JoinResponse(byte[] caCertificate, byte[] peerCertificate, byte[] caPrivateKey, String tokenId,
            byte[] tokenSecretSha256, List<Contact> contacts) implements Message {
        @Override
        public String toString() {
            return "JoinResponse[contacts=" + contacts.size() + ", superPeer=" + (caPrivateKey.length > 0) + "]";
        }
    }

    /** Refusal with a one-line reason ("invalid token", ...). */
    public record JoinRejected(String reason) implements Message {}

    public static WireRegistry register(WireRegistry registry) {
        return registry.register(190, JoinRequest.class).register(191, JoinResponse.class).register(192, JoinRejected.class);
    }

    /** The bytes the joining peer signs. */
    public static byte[] proofBytes(String tokenId, byte[] caHash, byte[] publicKey, long timestampMillis, String site,
            String role, PeerAddress address) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF("starling-join-v1");
            out.writeUTF(tokenId);
            out.write(caHash);
            out.write(publicKey);
            out.writeLong(timestampMillis);
            out.writeUTF(site);
            out.writeUTF(role);
            out.writeUTF(address == null ? "" : address.toString());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
