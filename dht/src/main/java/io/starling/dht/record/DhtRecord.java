package io.starling.dht.record;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.NodeId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * One version of one object in the DHT.
 *
 * @param collection collection path (io.starling.dht.store.CollectionKey#path()); the location key
 *     is SHA-1 of it, so all objects of a collection live on one replica set
 * @param name content key: the object's name inside the collection
 * @param value object bytes; {@code null} for a tombstone
 * @param revision hybrid-logical-clock timestamp assigned by the primary that accepted the write
 * @param writer node id of that primary (= SHA-1 of {@code signerKey}); breaks revision ties
 * @param homeSite site of the accepting super-peer
 * @param expiresAtMillis wall-clock expiry of soft state (heartbeats, coordinates); 0 = permanent
 * @param signerKey Ed25519 public key of the accepting super-peer
 * @param signature signature by {@code signerKey} over {@link RecordCodec#canonical} of all other fields
 * @param clocks encoded {@link FieldClocks} for cross-site merging (site-replicated records); null
 *     for records that never cross sites (raw operator records, the site directory)
 */
public record DhtRecord(String collection, String name, byte[] value, long revision, NodeId writer,
                        String homeSite, long expiresAtMillis, byte[] signerKey, byte[] signature, byte[] clocks) {
    /** A record without merge clocks (the form before cross-site replication). */
    public DhtRecord(String collection, String name, byte[] value, long revision, NodeId writer,
                     String homeSite, long expiresAtMillis, byte[] signerKey, byte[] signature) {
        this(collection, name, value, revision, writer, homeSite, expiresAtMillis, signerKey, signature, null);
    }

    public DhtRecord {
        if (collection == null || name == null || writer == null || homeSite == null) {
            throw new IllegalArgumentException("record needs collection, name, writer and home site");
        }
        if (revision <= 0 || expiresAtMillis < 0) {
            throw new IllegalArgumentException("revision must be > 0 and expiry >= 0");
        }
    }

    /** An unsigned record; call {@link #signedBy} before storing or sending it. */
    public static DhtRecord unsigned(String collection, String name, byte[] value, long revision, NodeId writer,
                                     String homeSite, long expiresAtMillis) {
        return new DhtRecord(collection, name, value, revision, writer, homeSite, expiresAtMillis, null, null, null);
    }

    /** An unsigned record carrying merge clocks. */
    public static DhtRecord unsigned(String collection, String name, byte[] value, long revision, NodeId writer,
                                     String homeSite, long expiresAtMillis, FieldClocks clocks) {
        return new DhtRecord(collection, name, value, revision, writer, homeSite, expiresAtMillis, null, null,
                clocks == null ? null : clocks.encode());
    }

    /** The decoded merge clocks, or null when the record has none. */
    public FieldClocks fieldClocks() {
        return clocks == null ? null : FieldClocks.decode(clocks);
    }

    public boolean tombstone() {
        return value == null;
    }

    public boolean permanent() {
        return expiresAtMillis == 0;
    }

    public boolean expired(long nowWallMillis) {
        return expiresAtMillis > 0 && nowWallMillis >= expiresAtMillis;
    }

    public NodeId locationKey() {
        return locationKeyOf(collection);
    }

    public static NodeId locationKeyOf(String collectionPath) {
        try {
            return NodeId.of(MessageDigest.getInstance("SHA-1").digest(collectionPath.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 missing from the JDK", e);
        }
    }

    /** This record signed by {@code identity}, which must be the writer. */
    public DhtRecord signedBy(PeerIdentity identity) {
        if (!identity.nodeId().equals(writer)) {
            throw new IllegalArgumentException("only the writer signs its record");
        }
        byte[] key = identity.publicKey();
        DhtRecord withKey = new DhtRecord(collection, name, value, revision, writer, homeSite, expiresAtMillis, key, null,
                clocks);
        DhtRecord signed = new DhtRecord(collection, name, value, revision, writer, homeSite, expiresAtMillis, key,
                identity.sign(RecordCodec.canonical(withKey)), clocks);
        // valid by construction: the primary's own store of it must not pay an Ed25519 verify
        VerifiedSignatures.remember(signed);
        return signed;
    }

    /** True when signed by the key of {@code writer} and the signature covers every other field. */
    public boolean verify() {
        if (signerKey == null || signature == null || signerKey.length != PeerIdentity.PUBLIC_KEY_BYTES) {
            return false;
        }
        if (VerifiedSignatures.known(this)) {
            return true; // an equal record (same writer and key) passed every check below
        }
        if (!PeerIdentity.nodeIdOf(signerKey).equals(writer)) {
            return false;
        }
        boolean ok = PeerIdentity.verify(signerKey, RecordCodec.canonical(this), signature);
        if (ok) {
            VerifiedSignatures.remember(this);
        }
        return ok;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhtRecord r && revision == r.revision && expiresAtMillis == r.expiresAtMillis
                && collection.equals(r.collection) && name.equals(r.name) && writer.equals(r.writer)
                && homeSite.equals(r.homeSite) && Arrays.equals(value, r.value)
                && Arrays.equals(signerKey, r.signerKey) && Arrays.equals(signature, r.signature)
                && Arrays.equals(clocks, r.clocks);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(revision) * 31 + name.hashCode() * 17 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "DhtRecord[" + collection + "/" + name + " rev=" + revision + " writer=" + writer.shortHex()
                + (tombstone() ? " tombstone" : " " + value.length + "B") + "]";
    }
}
