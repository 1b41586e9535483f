package io.starling.benchmarks.dht.jmh;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.random.SeededRandom;
import io.starling.dht.record.DhtRecord;
import io.starling.dht.record.RecordCodec;
import io.starling.dht.record.RecordMerge;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Cost of the record path every store and read pays: encode, decode, sign, verify, merge. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordCodecJmh {
    @Param({"256", "4096"})
    public int valueBytes;

    PeerIdentity identity;
    DhtRecord record;
    DhtRecord older;
    byte[] encoded;

    @Setup
    public void setUp() {
        identity = PeerIdentity.deterministic(new SeededRandom(1), 0);
        byte[] value = new byte[valueBytes];
        new SeededRandom(2).nextBytes(value);
        record = DhtRecord.unsigned("default//pods/team-a", "web-7f9c", value, 1_000_000L << 16, identity.nodeId(), "site-a", 0)
                .signedBy(identity);
        older = DhtRecord.unsigned("default//pods/team-a", "web-7f9c", value, 999_999L << 16, identity.nodeId(), "site-a", 0)
                .signedBy(identity);
        encoded = RecordCodec.encode(record);
    }

    @Benchmark
    public byte[] encode() {
        return RecordCodec.encode(record);
    }

    @Benchmark
    public DhtRecord decode() {
        return RecordCodec.decode(encoded);
    }

    @Benchmark
    public DhtRecord sign() {
        return record.signedBy(identity);
    }

    @Benchmark
    public boolean verify() {
        return record.verify();
    }

    @Benchmark
    public DhtRecord merge() {
        return RecordMerge.merge(older, record);
    }
}
