package io.starling.core.security;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.NodeId;
import io.starling.core.random.SecureRandomSource;
import io.starling.core.time.Clock;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster certificate authority: an ECDSA P-256 key and a self-signed certificate, kept in the
 * data dir of every super-peer (there is no master: any super-peer can admit peers).
 *
 * <p>Peer certificates carry the peer's own Ed25519 identity key (JDK 17's TLS 1.3 signs with
 * Ed25519 keys; every NettyTransportTest link uses such certificates), so the handshake proves the node id:
 * node id = SHA-1(certificate key). The CA also writes the id as subject CN and as SAN URI
 * {@code starling:node:<hex>}, plus {@code starling:site:<site>} and {@code starling:role:<role>}.
 * The CA itself, the API server and kubeconfig users use ECDSA P-256, which Go's crypto/tls
 * (kubectl) accepts everywhere.
 */
public final class ClusterCa {
    public static final String CA_CERT_FILE = "ca.crt";
    public static final String CA_KEY_FILE = "ca.key";
    public static final String NODE_URI_PREFIX = "starling:node:";
    public static final String SITE_URI_PREFIX = "starling:site:";
    public static final String ROLE_URI_PREFIX = "starling:role:";
    static final long CA_VALIDITY_DAYS = 20 * 365;
    static final long LEAF_VALIDITY_DAYS = 5 * 365;
    /** Tolerated clock skew between peers: certificates are valid from an hour before issue. */
    static final long BACKDATE_MILLIS = 3_600_000L;
    private static final long DAY_MILLIS = 86_400_000L;
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Pattern SITE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final Clock clock;

    private ClusterCa(X509Certificate certificate, PrivateKey privateKey, Clock clock) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.clock = clock;
    }

    /** A new CA for a new cluster. */
    public static ClusterCa create(String clusterName, Clock clock) {
        KeyPair kp = Keys.newEcP256();
        long now = clock.wallMillis();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "starling")
                .addRDN(BCStyle.CN, "starling-ca " + clusterName).build();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), new Date(now - BACKDATE_MILLIS),
                    new Date(now + CA_VALIDITY_DAYS * DAY_MILLIS), name, kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            return new ClusterCa(sign(b, kp.getPrivate()), kp.getPrivate(), clock);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot create CA certificate", e);
        }
    }

    /** Restores a CA from its certificate and key (e.g. received by a joining super-peer). */
    public static ClusterCa of(X509Certificate certificate, PrivateKey privateKey, Clock clock) {
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("certificate is not a CA certificate");
        }
        return new ClusterCa(certificate, privateKey, clock);
    }

    public static boolean existsIn(Path dir) {
        return Files.isRegularFile(dir.resolve(CA_CERT_FILE)) && Files.isRegularFile(dir.resolve(CA_KEY_FILE));
    }

    public void save(Path dir) {
        SecureFiles.writePublic(dir.resolve(CA_CERT_FILE), Pem.certificate(certificate));
        SecureFiles.writeSecret(dir.resolve(CA_KEY_FILE), Pem.privateKey(privateKey));
    }

    public static ClusterCa load(Path dir, Clock clock) {
        return of(Pem.certificate(SecureFiles.read(dir.resolve(CA_CERT_FILE))),
                Pem.privateKey(SecureFiles.read(dir.resolve(CA_KEY_FILE))), clock);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** SHA-256 of the CA's SubjectPublicKeyInfo: what join tokens pin. */
    public byte[] publicKeyHash() {
        return Keys.publicKeyHash(certificate.getPublicKey());
    }

    /**
     * A certificate for a peer's Ed25519 identity key, binding its node id, site and role.
     *
     * @param ed25519PublicKey the raw 32-byte identity key
     */
    public X509Certificate issuePeerCertificate(byte[] ed25519PublicKey, String site, PeerRole role) {
        if (site == null || !SITE.matcher(site).matches()) {
            throw new IllegalArgumentException("site must be 1-63 letters, digits, '.', '_' or '-', got '" + site + "'");
        }
        PublicKey key = Keys.ed25519Public(ed25519PublicKey);
        NodeId id = PeerIdentity.nodeIdOf(ed25519PublicKey);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "starling")
                .addRDN(BCStyle.OU, role.wireName()).addRDN(BCStyle.CN, id.toHex()).build();
        GeneralNames sans = new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.uniformResourceIdentifier, NODE_URI_PREFIX + id.toHex()),
            new GeneralName(GeneralName.uniformResourceIdentifier, SITE_URI_PREFIX + site),
            new GeneralName(GeneralName.uniformResourceIdentifier, ROLE_URI_PREFIX + role.wireName())});
        return issue(subject, key, sans, new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth});
    }

    /** A TLS server certificate (the Kubernetes API server) for {@code keyPair}; SANs are IPs or DNS names. */
    public X509Certificate issueServerCertificate(KeyPair keyPair, List<String> sans) {
        if (sans.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one IP or DNS name");
        }
        List<GeneralName> names = new ArrayList<>();
        for (String san : sans) {
            names.add(isIpLiteral(san) ? new GeneralName(GeneralName.iPAddress, san) : new GeneralName(GeneralName.dNSName, san));
        }
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "starling")
                .addRDN(BCStyle.CN, sans.get(0)).build();
        return issue(subject, keyPair.getPublic(), new GeneralNames(names.toArray(GeneralName[]::new)),
                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth});
    }

    /** A certificate and fresh P-256 key for a kubeconfig user: CN = user, one O per group (as Kubernetes reads them). */
    public IssuedCertificate issueClientCertificate(String user, List<String> groups) {
        KeyPair kp = Keys.newEcP256();
        return new IssuedCertificate(kp.getPrivate(), issueClientCertificate(kp.getPublic(), user, groups));
    }

    public X509Certificate issueClientCertificate(PublicKey key, String user, List<String> groups) {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("user name is missing");
        }
        X500NameBuilder nb = new X500NameBuilder(BCStyle.INSTANCE);
        for (String g : groups) {
            nb.addRDN(BCStyle.O, g);
        }
        return issue(nb.addRDN(BCStyle.CN, user).build(), key, null, new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth});
    }

    /** A private key and the certificate this CA issued for it. */
    public record IssuedCertificate(PrivateKey privateKey, X509Certificate certificate) {}

    private X509Certificate issue(X500Name subject, PublicKey key, GeneralNames sans, KeyPurposeId[] purposes) {
        long now = clock.wallMillis();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(), new Date(now - BACKDATE_MILLIS),
                    new Date(Math.min(now + LEAF_VALIDITY_DAYS * DAY_MILLIS, certificate.getNotAfter().getTime())), subject, key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            if (sans != null) {
                b.addExtension(Extension.subjectAlternativeName, false, sans);
            }
            return sign(b, privateKey);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot issue certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign certificate", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(1, SecureRandomSource.bytes(16));
    }

    static boolean isIpLiteral(String s) {
        return s.indexOf(':') >= 0 || s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
