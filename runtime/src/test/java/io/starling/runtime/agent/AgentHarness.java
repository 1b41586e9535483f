package io.starling.runtime.agent;

import io.fabric8.kubernetes.api.model.Pod;
import io.starling.core.exec.ThreadEventLoop;
import io.starling.core.random.SeededRandom;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.store.MemoryClusterStore;
import io.starling.dht.store.StoreException;
import io.starling.runtime.backend.ContainerBackend;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A node agent wired to an in-memory cluster store on a real event loop, with helpers that act
 * like the API gateway (create, graceful delete) and wait for observable outcomes. Waiting polls
 * the store: the agent drives real processes, so there is no virtual time to advance.
 */
final class AgentHarness implements AutoCloseable {
    final ThreadEventLoop loop = new ThreadEventLoop("test-agent-loop");
    final MemoryClusterStore store = new MemoryClusterStore(loop, "site-a");
    final ObjectClient client = new ObjectClient(store, loop.clock(), new SeededRandom(42));
    NodeAgent agent;

    static NodeAgentConfig.Builder config(String node, Path dataDir) {
        return NodeAgentConfig.builder(node).site("site-a").dataDir(dataDir).agentPort(0).internalIP("127.0.0.1")
                .relistMillis(200).resyncMillis(2000).initialBackoffMillis(500).maxBackoffMillis(2000)
                .leaseRenewMillis(500).nodeStatusUpdateMillis(5000);
    }

    NodeAgent startAgent(NodeAgentConfig cfg, ContainerBackend backend) throws InterruptedException {
        agent = new NodeAgent(cfg, client, loop, backend);
        agent.start();
        return agent;
    }

    Pod create(Pod pod) throws Exception {
        return client.create(pod).get(30, TimeUnit.SECONDS);
    }

    Optional<Pod> get(String ns, String name) throws Exception {
        return client.get(Pod.class, ns, name).get(30, TimeUnit.SECONDS);
    }

    /** Marks the pod for graceful deletion, as the gateway does on DELETE. */
    void delete(String ns, String name, long graceSeconds) throws Exception {
        for (int i = 0; i < 10; i++) {
            Optional<Pod> p = get(ns, name);
            if (p.isEmpty()) {
                return;
            }
            Pod pod = p.get();
            pod.getMetadata().setDeletionTimestamp(Instant.now().toString());
            pod.getMetadata().setDeletionGracePeriodSeconds(graceSeconds);
            try {
                client.update(pod).get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof StoreException se) || se.reason() != StoreException.Reason.CONFLICT) {
                    throw e;
                }
            }
        }
        throw new AssertionError("could not mark " + ns + "/" + name + " for deletion");
    }

    Pod await(String ns, String name, Predicate<Pod> condition, long timeoutMillis, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Pod last = null;
        while (System.nanoTime() < deadline) {
            Optional<Pod> p = get(ns, name);
            if (p.isPresent()) {
                last = p.get();
                try {
                    if (condition.test(last)) {
                        return last;
                    }
                } catch (NullPointerException | IndexOutOfBoundsException e) {
                    // status not filled in yet
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what + " of " + ns + "/" + name + "; last status: "
                + (last == null ? "absent" : new String(io.starling.dht.kube.KubeJson.toBytes(last.getStatus()))));
    }

    void awaitGone(String ns, String name, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            if (get(ns, name).isEmpty()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(ns + "/" + name + " was not deleted by the agent");
    }

    static boolean isStoreError(Throwable t, StoreException.Reason reason) {
        Throwable c = t instanceof CompletionException || t instanceof ExecutionException ? t.getCause() : t;
        return c instanceof StoreException se && se.reason() == reason;
    }

    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
        loop.close();
    }
}
