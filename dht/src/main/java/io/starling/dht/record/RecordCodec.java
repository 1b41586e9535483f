package io.starling.dht.record;

import io.starling.core.net.NodeId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Binary form of a {@link DhtRecord}: the canonical encoding signatures cover, and the storage
 * encoding (canonical fields followed by the signature). Decoding checks every length against
 * limits and throws {@link IllegalArgumentException} on garbage, never allocates unbounded arrays.
 */
public final class RecordCodec {
    /** Format 1: no merge clocks (still read and signed as before); format 2 appends the clocks. */
    private static final int FORMAT = 1;
    private static final int FORMAT_WITH_CLOCKS = 2;
    private static final int MAX_CLOCKS_BYTES = 1024 * 1024;
    public static final int MAX_VALUE_BYTES = 8 * 1024 * 1024;
    private static final int MAX_TEXT_BYTES = 64 * 1024;
    private static final int MAX_KEY_BYTES = 256;

    private RecordCodec() {}

    /** Every field except the signature, in a fixed order: the bytes the accepting super-peer signs. */
    public static byte[] canonical(DhtRecord r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + (r.value() == null ? 0 : r.value().length));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeFields(out, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] encode(DhtRecord r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160 + (r.value() == null ? 0 : r.value().length));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeFields(out, r);
            writeBytes(out, r.signature());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static DhtRecord decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT && format != FORMAT_WITH_CLOCKS) {
                throw new IllegalArgumentException("unknown record format " + format);
            }
            String collection = readText(in);
            String name = readText(in);
            byte[] value = readBytes(in, MAX_VALUE_BYTES);
            long revision = in.readLong();
            byte[] writer = readBytes(in, NodeId.BYTES);
            String homeSite = readText(in);
            long expires = in.readLong();
            byte[] signerKey = readBytes(in, MAX_KEY_BYTES);
            byte[] clocks = format == FORMAT_WITH_CLOCKS ? readBytes(in, MAX_CLOCKS_BYTES) : null;
            byte[] signature = readBytes(in, MAX_KEY_BYTES);
            if (writer == null || in.available() != 0 || (format == FORMAT_WITH_CLOCKS && clocks == null)) {
                throw new IllegalArgumentException("malformed record");
            }
            return new DhtRecord(collection, name, value, revision, NodeId.of(writer), homeSite, expires, signerKey, signature,
                    clocks);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated record", e);
        }
    }

    private static void writeFields(DataOutputStream out, DhtRecord r) throws IOException {
        out.writeByte(r.clocks() == null ? FORMAT : FORMAT_WITH_CLOCKS);
        writeText(out, r.collection());
        writeText(out, r.name());
        writeBytes(out, r.value());
        out.writeLong(r.revision());
        writeBytes(out, r.writer().toBytes());
        writeText(out, r.homeSite());
        out.writeLong(r.expiresAtMillis());
        writeBytes(out, r.signerKey());
        if (r.clocks() != null) {
            writeBytes(out, r.clocks());
        }
    }

    private static void writeText(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static String readText(DataInputStream in) throws IOException {
        byte[] b = readBytes(in, MAX_TEXT_BYTES);
        if (b == null) {
            throw new IllegalArgumentException("missing text field");
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Length-prefixed bytes; length -1 encodes null. */
    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputStream in, int max) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > max || n > in.available()) {
            throw new IllegalArgumentException("field length " + n + " out of bounds");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
