package io.starling.dht.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.random.SeededRandom;
import io.starling.dht.record.DhtRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MvRecordStorageTest {
    static final PeerIdentity ID = PeerIdentity.deterministic(new SeededRandom(9), 0);

    static DhtRecord rec(String c, String n, String v, long rev) {
        return DhtRecord.unsigned(c, n, v == null ? null : v.getBytes(), rev, ID.nodeId(), "s", 0).signedBy(ID);
    }

    @Test
    void recordsSurviveReopeningTheDataDir(@TempDir Path dir) {
        try (MvRecordStorage s = MvRecordStorage.open(dir, 1 << 20)) {
            s.put(rec("a/b", "x", "1", 1));
            s.put(rec("a/b", "y", null, 2));
            s.put(rec("a/bc", "z", "3", 3));
            s.put(rec("a", "w", "4", 4));
        }
        try (MvRecordStorage s = MvRecordStorage.open(dir, 1 << 20)) {
            assertEquals(4, s.size());
            assertEquals(List.of("x", "y"), s.list("a/b").stream().map(DhtRecord::name).toList());
            assertEquals(List.of("a", "a/b", "a/bc"), s.collections());
            assertEquals(rec("a/b", "x", "1", 1), s.get("a/b", "x"));
            s.remove("a/b", "x");
            assertNull(s.get("a/b", "x"));
        }
    }

    @Test
    void aBurstOfPutsSharesOneGroupCommitOnTheLoop(@TempDir Path dir) {
        List<Runnable> loop = new java.util.ArrayList<>();
        try (MvRecordStorage s = MvRecordStorage.open(dir, 1 << 20).commitOn(loop::add)) {
            for (int i = 0; i < 10; i++) {
                s.put(rec("c", "n" + i, "v" + i, i + 1));
            }
            s.remove("c", "n0");
            assertEquals(1, loop.size(), "one commit queued for the whole burst");
            assertEquals("v1", new String(s.get("c", "n1").value()), "readable before the commit");
            assertEquals(true, s.hasUncommittedChanges());
            loop.remove(0).run();
            assertEquals(false, s.hasUncommittedChanges());
            s.put(rec("c", "late", "x", 20));
            assertEquals(1, loop.size(), "the next change queues the next commit");
        }
        try (MvRecordStorage s = MvRecordStorage.open(dir, 1 << 20)) {
            assertEquals(10, s.size(), "close commits what was still queued");
            assertNull(s.get("c", "n0"));
        }
    }

    @Test
    void tinyCacheStillServesEverything() {
        try (MvRecordStorage s = MvRecordStorage.inMemory(200)) {
            for (int i = 0; i < 100; i++) {
                s.put(rec("c", "n" + i, "value-" + i, i + 1));
            }
            for (int i = 0; i < 100; i++) {
                assertEquals("value-" + i, new String(s.get("c", "n" + i).value()));
            }
            assertEquals(true, s.cachedBytes() <= 200);
        }
    }

    @Test
    void nulInKeysIsRejected() {
        try (MvRecordStorage s = MvRecordStorage.inMemory(1 << 20)) {
            assertThrows(IllegalArgumentException.class, () -> s.put(rec("c\u0000", "n", "v", 1)));
        }
    }
}
