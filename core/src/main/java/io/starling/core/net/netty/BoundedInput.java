package io.starling.core.net.netty;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/**
 * A Kryo input over one frame that refuses element counts larger than the bytes left in the
 * frame before allocating. Kryo trusts length prefixes; without this a 20-byte garbage frame could
 * ask for a 2 GiB array.
 */
final class BoundedInput extends Input {
    BoundedInput(byte[] frame) {
        super(frame);
    }

    /** Every element takes at least {@code minBytesEach} bytes, so larger counts are garbage. */
    static int check(Input in, int count, int minBytesEach) {
        if (count < 0 || (long) count * minBytesEach > in.limit() - in.position()) {
            throw new KryoException("count " + count + " exceeds the frame");
        }
        return count;
    }

    @Override
    public byte[] readBytes(int length) {
        return super.readBytes(check(this, length, 1));
    }

    @Override
    public int[] readInts(int length) {
        return super.readInts(check(this, length, 4));
    }

    @Override
    public int[] readInts(int length, boolean optimizePositive) {
        return super.readInts(check(this, length, 1), optimizePositive);
    }

    @Override
    public long[] readLongs(int length) {
        return super.readLongs(check(this, length, 8));
    }

    @Override
    public long[] readLongs(int length, boolean optimizePositive) {
        return super.readLongs(check(this, length, 1), optimizePositive);
    }

    @Override
    public short[] readShorts(int length) {
        return super.readShorts(check(this, length, 2));
    }

    @Override
    public char[] readChars(int length) {
        return super.readChars(check(this, length, 2));
    }

    @Override
    public float[] readFloats(int length) {
        return super.readFloats(check(this, length, 4));
    }

    @Override
    public double[] readDoubles(int length) {
        return super.readDoubles(check(this, length, 8));
    }

    @Override
    public boolean[] readBooleans(int length) {
        return super.readBooleans(check(this, length, 1));
    }

    @Override
    public String readString() {
        // Kryo's UTF-8 strings carry a char count before the chars: check it (>= 1 byte per char)
        // before Kryo sizes its buffer. ASCII strings are scanned byte by byte and need no check.
        int start = position();
        if (position() < limit() && (buffer[position()] & 0x80) != 0) {
            int charCount = readVarIntFlag(true);
            if (charCount > 1) {
                check(this, charCount - 1, 1);
            }
            setPosition(start);
        }
        return super.readString();
    }
}
