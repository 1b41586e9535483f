package io.starling.dht.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import io.starling.core.net.NodeId;
import io.starling.core.random.SeededRandom;
import io.starling.dht.record.DhtRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

/** What watchers see: committed changes after their revision, in order, and nothing past a pending one. */
class ChangeLogPropertiesTest {
    @Test
    void watchersSeeExactlyTheCommittedPrefixAfterTheirRevision() {
        qt().withExamples(200).forAll(SourceDSL.longs().all(), SourceDSL.integers().between(1, 300)).check((seed, steps) -> {
            SeededRandom random = new SeededRandom(seed);
            ChangeLog log = new ChangeLog(1 + random.nextInt(40), 0);
            List<ChangeLog.Entry> all = new ArrayList<>();
            long revision = 0;
            for (int i = 0; i < steps; i++) {
                int op = random.nextInt(10);
                if (op < 5) {
                    revision += 1 + random.nextInt(3);
                    DhtRecord r = DhtRecord.unsigned("c", "n" + random.nextInt(5), new byte[] {1}, revision,
                            NodeId.of(new byte[20]), "a", 0);
                    ChangeLog.Entry e = log.append(null, r, random.nextInt(3) == 0);
                    if (e != null) {
                        all.add(e);
                    }
                } else if (op < 8 && !all.isEmpty()) {
                    all.get(random.nextInt(all.size())).pending = false; // replication finished, in any order
                } else {
                    long after = revision == 0 ? 0 : random.nextInt((int) revision + 1);
                    if (!expected(all, log, after).equals(log.committedAfter(after))) {
                        return false;
                    }
                    if (expectedCommitted(all, log) != log.committedRevision()) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    /** The definition: entries still in the log, before the first pending one, above {@code after}. */
    private static List<ChangeLog.Entry> expected(List<ChangeLog.Entry> appended, ChangeLog log, long after) {
        List<ChangeLog.Entry> out = new ArrayList<>();
        for (ChangeLog.Entry e : retained(appended, log)) {
            if (e.pending) {
                break;
            }
            if (e.revision() > after) {
                out.add(e);
            }
        }
        return out;
    }

    private static long expectedCommitted(List<ChangeLog.Entry> appended, ChangeLog log) {
        long committed = log.oldestResumable();
        for (ChangeLog.Entry e : retained(appended, log)) {
            if (e.pending) {
                return committed;
            }
            committed = e.revision();
        }
        return Math.max(committed, log.lastRevision());
    }

    /** Trimmed entries are the committed ones at or below oldestResumable; pending ones always stay. */
    private static List<ChangeLog.Entry> retained(List<ChangeLog.Entry> appended, ChangeLog log) {
        List<ChangeLog.Entry> out = new ArrayList<>();
        for (ChangeLog.Entry e : appended) {
            if (e.pending || e.revision() > log.oldestResumable()) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void anUpToDateWatcherGetsNothingAndALaggingOneItsBacklog() {
        ChangeLog log = new ChangeLog(100, 0);
        for (long r = 1; r <= 10; r++) {
            log.append(null, DhtRecord.unsigned("c", "n" + r, new byte[] {1}, r, NodeId.of(new byte[20]), "a", 0), false);
        }
        assertEquals(List.of(), log.committedAfter(10));
        assertEquals(List.of(8L, 9L, 10L), log.committedAfter(7).stream().map(ChangeLog.Entry::revision).toList());
    }
}
