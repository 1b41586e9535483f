package io.starling.gateway.ipam;

/**
 * An IPv4 service range (e.g. {@code 127.96.0.0/16}) and the order in which a Service's candidate
 * addresses are tried. Pure.
 *
 * <p><b>Why a loopback default.</b> Pods run on the host network (process runtime; containerd pods
 * are host-network too) and Starling may not touch interfaces or routes, so a ClusterIP must be an
 * address the node's service proxy can bind without configuration: on Linux all of 127.0.0.0/8
 * routes to {@code lo}, so any 127.96.x.y can be bound and reached from the same host at once.
 *
 * <p><b>Probe order.</b> The range is cut into up to {@value #MAX_SITE_BLOCKS} equal blocks of at
 * least {@value #MIN_BLOCK_ADDRESSES} addresses; a site starts in the block its name hashes to, at
 * the offset namespace/name hashes to, walks that block, then the other blocks in order. Two
 * sites that allocate during a partition (or within the replication delay, when their claims
 * cannot see each other) therefore only collide when their names hash to the same block and the
 * two Services to the same address. The network address, the first address (reserved for the
 * {@code kubernetes} Service, as in Kubernetes) and the last address are never candidates.
 *
 * @param network network address as an unsigned 32-bit value in an int
 * @param prefixLength 8..28
 */
public record ServiceCidr(int network, int prefixLength) {
    public static final String DEFAULT = "127.96.0.0/16";
    static final int MAX_SITE_BLOCKS = 64;
    static final int MIN_BLOCK_ADDRESSES = 256;

    public ServiceCidr {
        if (prefixLength < 8 || prefixLength > 28) {
            throw new IllegalArgumentException("service range prefix must be /8../28, got /" + prefixLength);
        }
        int mask = mask(prefixLength);
        if ((network & ~mask) != 0) {
            throw new IllegalArgumentException("service range " + format(network) + "/" + prefixLength
                    + " has host bits set; use " + format(network & mask) + "/" + prefixLength);
        }
    }

    public static ServiceCidr defaults() {
        return parse(DEFAULT);
    }

    /** @throws IllegalArgumentException with a readable message for anything but {@code a.b.c.d/n} */
    public static ServiceCidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("service range is missing");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("service range must be an IPv4 CIDR like " + DEFAULT + ", got '" + text + "'");
        }
        Integer ip = parseIp(text.substring(0, slash));
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (ip == null || prefix < 0) {
            throw new IllegalArgumentException("service range must be an IPv4 CIDR like " + DEFAULT + ", got '" + text + "'");
        }
        return new ServiceCidr(ip, prefix);
    }

    /** Dotted-quad parse; null unless exactly four decimal octets 0..255. */
    public static Integer parseIp(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int o = Integer.parseInt(p);
            if (o > 255 || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            v = (v << 8) | o;
        }
        return v;
    }

    public static String format(int ip) {
        return ((ip >>> 24) & 0xff) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
    }

    public int size() {
        return 1 << (32 - prefixLength);
    }

    /** Offset of {@code ip} in the range, or -1 when it is not a valid address inside it. */
    public int offsetOf(String ip) {
        Integer v = parseIp(ip);
        if (v == null || (v & mask(prefixLength)) != network) {
            return -1;
        }
        return v & ~mask(prefixLength);
    }

    public boolean contains(String ip) {
        return offsetOf(ip) >= 0;
    }

    /** Whether an address inside the range may be handed out at all (not network, first or last). */
    public boolean usable(int offset) {
        return offset > 1 && offset < size() - 1;
    }

    public String addressAt(int offset) {
        if (offset < 0 || offset >= size()) {
            throw new IllegalArgumentException("offset " + offset + " outside " + this);
        }
        return format(network + offset);
    }

    /** The {@code kubernetes} Service's address: the first one after the network address. */
    public String first() {
        return addressAt(1);
    }

    public int blockCount() {
        return Math.max(1, Math.min(MAX_SITE_BLOCKS, size() / MIN_BLOCK_ADDRESSES));
    }

    /**
     * The {@code attempt}-th address offset to try for Service {@code key} (namespace/name)
     * allocated by {@code site}; attempts 0..size()-1 visit every offset once (some unusable, see
     * {@link #usable}).
     */
    public int candidate(String site, String key, int attempt) {
        int blocks = blockCount();
        int blockSize = size() / blocks;
        int home = Math.floorMod(mix(site.hashCode()), blocks);
        int start = Math.floorMod(mix(key.hashCode()), blockSize);
        int block = (home + attempt / blockSize) % blocks;
        return block * blockSize + (start + attempt % blockSize) % blockSize;
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefixLength;
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    /** MurmurHash3's finalizer: spreads String.hashCode's poor low bits over the range. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
