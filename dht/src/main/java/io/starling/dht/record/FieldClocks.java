package io.starling.dht.record;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The cross-site merge clocks of one record (the {@code clocks} field of {@link DhtRecord}, covered
 * by its signature).
 *
 * <ul>
 *   <li>{@code uid} and {@code created}: the object instance. A write on an absent or deleted
 *       object (or one with a different uid) starts a new instance with {@code created} = its stamp;
 *       of two instances the one with the larger (created, uid) wins whole.</li>
 *   <li>{@code deleted}: set on tombstones: the stamp of the delete. Within one instance a delete
 *       beats every field write, so nothing is resurrected.</li>
 *   <li>{@code fields}: per path (a JSON pointer chosen by the {@link ValueMerge}) the stamp of the
 *       last write that changed it (also when it removed it: the entry then means "absent") and a
 *       per-site vector of the newest stamps that path's history has seen, which tells a dropped
 *       concurrent write (a conflict) from an overwrite of something already seen.</li>
 * </ul>
 * A {@link Stamp} is (hybrid-logical-clock timestamp, site): the site breaks ties, so the same
 * field resolves to the same winner everywhere. Immutable.
 */
public final class FieldClocks {
    private static final int FORMAT = 1;
    public static final int MAX_FIELDS = 16_384;
    private static final int MAX_TEXT_BYTES = 16 * 1024;
    private static final int MAX_SITES = 1_024;

    /** (hlc, site), ordered by hlc then site name. */
    public record Stamp(long hlc, String site) implements Comparable<Stamp> {
        public Stamp {
            if (site == null) {
                throw new IllegalArgumentException("stamp needs a site");
            }
        }

        @Override
        public int compareTo(Stamp o) {
            int c = Long.compare(hlc, o.hlc);
            return c != 0 ? c : site.compareTo(o.site);
        }

        public static Stamp max(Stamp a, Stamp b) {
            if (a == null) {
                return b;
            }
            if (b == null) {
                return a;
            }
            return a.compareTo(b) >= 0 ? a : b;
        }
    }

    /**
     * One path's clock. {@code seen}: per site, the newest hlc this path's history incorporated
     * (always includes {@code stamp} itself).
     */
    public record Entry(Stamp stamp, SortedMap<String, Long> seen) {
        public Entry {
            TreeMap<String, Long> s = new TreeMap<>(seen);
            s.merge(stamp.site(), stamp.hlc(), Math::max);
            seen = Collections.unmodifiableSortedMap(s);
        }

        public static Entry of(Stamp stamp) {
            return new Entry(stamp, new TreeMap<>());
        }

        /** A new write at {@code stamp} over this entry (its history is kept). */
        public Entry overwrittenAt(Stamp stamp) {
            return new Entry(stamp, seen);
        }

        /** True when this entry's history includes the write {@code other}. */
        public boolean hasSeen(Stamp other) {
            Long h = seen.get(other.site());
            return h != null && h >= other.hlc();
        }

        /** Join: the larger stamp, the pointwise maximum of the histories. */
        public static Entry join(Entry a, Entry b) {
            if (a == null) {
                return b;
            }
            if (b == null) {
                return a;
            }
            TreeMap<String, Long> s = new TreeMap<>(a.seen);
            b.seen.forEach((k, v) -> s.merge(k, v, Math::max));
            return new Entry(Stamp.max(a.stamp, b.stamp), s);
        }
    }

    private final String uid;
    private final Stamp created;
    private final Stamp deleted;
    private final SortedMap<String, Entry> fields;

    public FieldClocks(String uid, Stamp created, Stamp deleted, Map<String, Entry> fields) {
        if (uid == null || created == null) {
            throw new IllegalArgumentException("clocks need a uid (may be empty) and a creation stamp");
        }
        if (fields.size() > MAX_FIELDS) {
            throw new IllegalArgumentException("too many field clocks: " + fields.size());
        }
        this.uid = uid;
        this.created = created;
        this.deleted = deleted;
        this.fields = Collections.unmodifiableSortedMap(new TreeMap<>(fields));
    }

    /** A single-stamp clock: opaque values (whole-record last-writer-wins) and fresh instances. */
    public static FieldClocks single(String uid, Stamp stamp, boolean deleted) {
        return new FieldClocks(uid, stamp, deleted ? stamp : null, Map.of());
    }

    public String uid() {
        return uid;
    }

    public Stamp created() {
        return created;
    }

    /** Stamp of the delete, null for a live object. */
    public Stamp deleted() {
        return deleted;
    }

    public SortedMap<String, Entry> fields() {
        return fields;
    }

    /** The newest stamp anywhere in these clocks (whole-record last-writer-wins order). */
    public Stamp newest() {
        Stamp m = Stamp.max(created, deleted);
        for (Entry e : fields.values()) {
            m = Stamp.max(m, e.stamp());
        }
        return m;
    }

    /** Compares instances: by created stamp, then uid. */
    public int compareInstance(FieldClocks o) {
        int c = created.compareTo(o.created);
        return c != 0 ? c : uid.compareTo(o.uid);
    }

    // ------------------------------------------------------------ encoding

    /** Deterministic encoding (sorted paths, a site table in first-use order of that sorted walk). */
    public byte[] encode() {
        List<String> sites = new ArrayList<>();
        siteIndex(sites, created.site());
        if (deleted != null) {
            siteIndex(sites, deleted.site());
        }
        for (Entry e : fields.values()) {
            siteIndex(sites, e.stamp().site());
            for (String s : e.seen().keySet()) {
                siteIndex(sites, s);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + 24 * fields.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeShort(sites.size());
            for (String s : sites) {
                writeText(out, s);
            }
            writeText(out, uid);
            writeStamp(out, sites, created);
            out.writeBoolean(deleted != null);
            if (deleted != null) {
                writeStamp(out, sites, deleted);
            }
            out.writeInt(fields.size());
            for (Map.Entry<String, Entry> f : fields.entrySet()) {
                writeText(out, f.getKey());
                Entry e = f.getValue();
                writeStamp(out, sites, e.stamp());
                // the entry's own stamp is implied in seen: write only the other sites' marks
                int extra = 0;
                for (Map.Entry<String, Long> s : e.seen().entrySet()) {
                    if (!(s.getKey().equals(e.stamp().site()) && s.getValue() == e.stamp().hlc())) {
                        extra++;
                    }
                }
                out.writeShort(extra);
                for (Map.Entry<String, Long> s : e.seen().entrySet()) {
                    if (!(s.getKey().equals(e.stamp().site()) && s.getValue() == e.stamp().hlc())) {
                        out.writeShort(sites.indexOf(s.getKey()));
                        out.writeLong(s.getValue());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes and checks every length; garbage gives IllegalArgumentException. */
    public static FieldClocks decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readUnsignedByte() != FORMAT) {
                throw new IllegalArgumentException("unknown clocks format");
            }
            int nSites = in.readUnsignedShort();
            if (nSites > MAX_SITES) {
                throw new IllegalArgumentException("too many sites in clocks: " + nSites);
            }
            List<String> sites = new ArrayList<>(nSites);
            for (int i = 0; i < nSites; i++) {
                sites.add(readText(in));
            }
            String uid = readText(in);
            Stamp created = readStamp(in, sites);
            Stamp deleted = in.readBoolean() ? readStamp(in, sites) : null;
            int n = in.readInt();
            if (n < 0 || n > MAX_FIELDS) {
                throw new IllegalArgumentException("field clock count " + n + " out of bounds");
            }
            TreeMap<String, Entry> fields = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                String path = readText(in);
                Stamp stamp = readStamp(in, sites);
                int extra = in.readUnsignedShort();
                if (extra > nSites) {
                    throw new IllegalArgumentException("seen vector longer than the site table");
                }
                TreeMap<String, Long> seen = new TreeMap<>();
                for (int j = 0; j < extra; j++) {
                    seen.put(site(sites, in.readUnsignedShort()), in.readLong());
                }
                fields.put(path, new Entry(stamp, seen));
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("trailing bytes after clocks");
            }
            return new FieldClocks(uid, created, deleted, fields);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated clocks", e);
        }
    }

    private static void siteIndex(List<String> sites, String s) {
        if (!sites.contains(s)) {
            sites.add(s);
        }
    }

    private static void writeStamp(DataOutputStream out, List<String> sites, Stamp s) throws IOException {
        out.writeLong(s.hlc());
        out.writeShort(sites.indexOf(s.site()));
    }

    private static Stamp readStamp(DataInputStream in, List<String> sites) throws IOException {
        long hlc = in.readLong();
        return new Stamp(hlc, site(sites, in.readUnsignedShort()));
    }

    private static String site(List<String> sites, int i) {
        if (i >= sites.size()) {
            throw new IllegalArgumentException("site index " + i + " out of bounds");
        }
        return sites.get(i);
    }

    private static void writeText(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("clock text too long");
        }
        out.writeShort(b.length);
        out.write(b);
    }

    private static String readText(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        if (n > MAX_TEXT_BYTES || n > in.available()) {
            throw new IllegalArgumentException("clock text length " + n + " out of bounds");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldClocks f && uid.equals(f.uid) && created.equals(f.created)
                && java.util.Objects.equals(deleted, f.deleted) && fields.equals(f.fields);
    }

    @Override
    public int hashCode() {
        return uid.hashCode() * 31 + created.hashCode() * 17 + fields.size();
    }

    @Override
    public String toString() {
        return "FieldClocks[uid=" + uid + " created=" + created + (deleted == null ? "" : " deleted=" + deleted)
                + " fields=" + fields.size() + "]";
    }
}
