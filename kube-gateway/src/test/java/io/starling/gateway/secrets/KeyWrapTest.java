package io.starling.gateway.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyWrapTest {
    private static final String NODE = "aa".repeat(20);

    @Test
    void theRecipientUnwrapsTheScopeKey() {
        AgreementKey peer = AgreementKey.generate();
        byte[] key = KeyWrap.newScopeKey();
        byte[] wrapped = KeyWrap.wrap(key, peer.publicKey(), "team.a.1", NODE);
        assertArrayEquals(key, KeyWrap.unwrap(wrapped, peer, "team.a.1", NODE));
    }

    @Test
    void anotherPeersKeyDoesNotUnwrap() {
        AgreementKey peer = AgreementKey.generate();
        byte[] wrapped = KeyWrap.wrap(KeyWrap.newScopeKey(), peer.publicKey(), "team.a.1", NODE);
        SealException e = assertThrows(SealException.class, () -> KeyWrap.unwrap(wrapped, AgreementKey.generate(), "team.a.1", NODE));
        assertTrue(e.getMessage().contains("does not open"), e.getMessage());
    }

    @Test
    void aWrapCannotBeReplayedAsAnotherKeyOrForAnotherPeer() {
        AgreementKey peer = AgreementKey.generate();
        byte[] wrapped = KeyWrap.wrap(KeyWrap.newScopeKey(), peer.publicKey(), "team.a.1", NODE);
        assertThrows(SealException.class, () -> KeyWrap.unwrap(wrapped, peer, "other.a.1", NODE));
        assertThrows(SealException.class, () -> KeyWrap.unwrap(wrapped, peer, "team.a.1", "bb".repeat(20)));
    }

    @Test
    void aTamperedOrTruncatedWrapFailsClearly() {
        AgreementKey peer = AgreementKey.generate();
        byte[] wrapped = KeyWrap.wrap(KeyWrap.newScopeKey(), peer.publicKey(), "team.a.1", NODE);
        for (int i : new int[] {1, 40, wrapped.length - 1}) {
            byte[] bad = wrapped.clone();
            bad[i] ^= 1;
            assertThrows(SealException.class, () -> KeyWrap.unwrap(bad, peer, "team.a.1", NODE));
        }
        SealException e = assertThrows(SealException.class,
                () -> KeyWrap.unwrap(java.util.Arrays.copyOf(wrapped, 20), peer, "team.a.1", NODE));
        assertTrue(e.getMessage().contains("unknown format"), e.getMessage());
    }

    @Test
    void theAgreementKeySurvivesARestartAndIsOwnerOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub").resolve(AgreementKey.FILE_NAME);
        AgreementKey first = AgreementKey.loadOrCreate(file);
        AgreementKey again = AgreementKey.loadOrCreate(file);
        assertArrayEquals(first.publicKey(), again.publicKey());
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertTrue(Files.getPosixFilePermissions(file).stream().allMatch(p -> p.name().startsWith("OWNER")));
        }
        Files.writeString(file, "not base64 !!");
        assertThrows(IllegalStateException.class, () -> AgreementKey.loadOrCreate(file));
    }
}
