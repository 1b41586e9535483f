package io.starling.dht.cluster;

import io.starling.core.exec.EventLoop;
import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.Contact;
import io.starling.core.net.Transport;
import io.starling.core.net.WireRegistry;
import io.starling.core.random.RandomSource;
import io.starling.dht.node.DhtConfig;
import io.starling.dht.node.DhtMessages;
import io.starling.dht.node.DhtNode;
import io.starling.dht.node.OperatorService;
import io.starling.dht.storage.RecordStorage;

/**
 * Everything a super-peer runs on top of its transport for storage: the DHT member, the
 * cluster store the upper layers use, the store service for its edge peers and the operator
 * commands. The node owns the transport's handler; other protocols of the peer register their
 * message types with {@code node().registerHandler(type, handler)} before {@link #bootstrap}.
 */
public final class SuperPeerStack implements AutoCloseable {
    private final DhtNode node;
    private final DhtClusterStore store;
    private final StoreService service;

    public SuperPeerStack(DhtConfig cfg, PeerIdentity identity, Contact self, Transport transport, EventLoop loop,
                          RandomSource random, RecordStorage storage) {
        this.node = new DhtNode(cfg, identity, self, transport, loop, random, storage);
        this.store = new DhtClusterStore(node);
        this.service = new StoreService(node, store);
        OperatorService.install(node);
    }

    /** Registers every message and value type of the DHT layer (wire ids 200-299). */
    public static void registerMessages(WireRegistry registry) {
        DhtMessages.register(registry);
        OperatorService.register(registry);
        ClusterMessages.register(registry);
    }

    public java.util.concurrent.CompletableFuture<Void> bootstrap(java.util.List<io.starling.core.net.PeerAddress> seeds) {
        return node.bootstrap(seeds);
    }

    public DhtNode node() {
        return node;
    }

    /** The ClusterStore for the gateway, scheduler and controllers of this super-peer. */
    public DhtClusterStore store() {
        return store;
    }

    public StoreService service() {
        return service;
    }

    @Override
    public void close() {
        service.close();
        store.close();
        node.close();
    }
}
