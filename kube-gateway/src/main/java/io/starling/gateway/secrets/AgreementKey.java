package io.starling.gateway.secrets;

import io.starling.core.random.SecureRandomSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * A super-peer's X25519 key-agreement key pair, used only to receive scope keys (see
 * {@link KeyWrap}). Kept apart from the Ed25519 identity key, which only signs; it lives in the
 * data dir (base64 of the 32 private bytes, owner-only permissions) so a restart keeps the scope
 * keys already wrapped for it.
 */
public final class AgreementKey {
    public static final int KEY_BYTES = 32;
    public static final String FILE_NAME = "scope-agreement.key";

    private final X25519PrivateKeyParameters privateKey;
    private final byte[] publicKey;

    private AgreementKey(X25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = privateKey.generatePublicKey().getEncoded();
    }

    public static AgreementKey generate() {
        return new AgreementKey(new X25519PrivateKeyParameters(SecureRandomSource.get()));
    }

    public static AgreementKey fromPrivate(byte[] raw) {
        if (raw == null || raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("an X25519 private key is " + KEY_BYTES + " bytes");
        }
        return new AgreementKey(new X25519PrivateKeyParameters(raw, 0));
    }

    /** Reads the key from {@code file}, or creates and writes a new one (owner read/write only). */
    public static AgreementKey loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                byte[] raw;
                try {
                    raw = Base64.getDecoder().decode(Files.readString(file).trim());
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("unreadable key-agreement key in " + file + ": not base64");
                }
                return fromPrivate(raw);
            }
            AgreementKey k = generate();
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(tmp, Base64.getEncoder().encodeToString(k.privateKey.getEncoded()) + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the key-agreement key " + file, e);
        }
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The X25519 shared secret with {@code peerPublic}; refuses low-order points (all-zero result). */
    byte[] agree(byte[] peerPublic) {
        return agree(privateKey, peerPublic);
    }

    static byte[] agree(X25519PrivateKeyParameters priv, byte[] peerPublic) {
        if (peerPublic == null || peerPublic.length != KEY_BYTES) {
            throw new SealException("an X25519 public key is " + KEY_BYTES + " bytes");
        }
        X25519Agreement a = new X25519Agreement();
        a.init(priv);
        byte[] shared = new byte[a.getAgreementSize()];
        try {
            a.calculateAgreement(new X25519PublicKeyParameters(peerPublic, 0), shared, 0);
        } catch (IllegalStateException e) {
            throw new SealException("key agreement failed: invalid public key");
        }
        return shared;
    }
}
