package io.starling.scheduler.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.starling.scheduler.vivaldi.Coordinate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Properties of the placement core (QuickTheories; see docs/ARCHITECTURE.md "Testing"). */
class PlacementPropertyTest {
    private final Placement placement = Placement.defaults();

    record Req(long milliCpu, long memMi) {}

    static Gen<Req> requests() {
        return longs().between(0, 3000).zip(longs().between(0, 3000), Req::new);
    }

    static Gen<Req> capacities() {
        return longs().between(0, 8000).zip(longs().between(0, 8000), Req::new);
    }

    @Test
    void neverBindsBeyondAllocatable() {
        qt().withExamples(200).forAll(lists().of(capacities()).ofSizeBetween(1, 5), lists().of(requests()).ofSizeBetween(0, 40),
                integers().between(1, 4)).checkAssert((caps, pods, maxPods) -> {
            List<NodeInfo> nodes = new ArrayList<>();
            for (int i = 0; i < caps.size(); i++) {
                nodes.add(new NodeInfo("n" + i, "s", null, null, false, true,
                        new ResourceAmounts(caps.get(i).milliCpu(), caps.get(i).memMi() << 20, maxPods), null));
            }
            List<PodInfo> bound = new ArrayList<>();
            for (int i = 0; i < pods.size(); i++) {
                PodInfo p = Fixtures.pod("p" + i, pods.get(i).milliCpu(), pods.get(i).memMi());
                Decision d = placement.decide(p, nodes, bound, UsersLocation.unknown("t"));
                if (d.scheduled()) {
                    bound.add(Fixtures.boundTo(p, d.nodeName()));
                } else {
                    assertTrue(d.message().startsWith("0/" + nodes.size() + " nodes are available"));
                }
            }
            for (NodeInfo n : nodes) {
                ResourceAmounts sum = ResourceAmounts.ZERO;
                for (PodInfo p : bound) {
                    if (p.nodeName().equals(n.name())) {
                        sum = sum.plus(p.requests());
                    }
                }
                assertTrue(n.allocatable().fits(sum), n.name() + " over-committed: " + sum + " > " + n.allocatable());
            }
        });
    }

    static Gen<Taint> taints() {
        return arbitrary().pick("a", "b").zip(arbitrary().pick("", "x"), arbitrary().pick("NoSchedule", "NoExecute", "PreferNoSchedule"),
                (k, v, e) -> Fixtures.taint(k, v.isEmpty() ? null : v, e));
    }

    static Gen<Toleration> tolerations() {
        return arbitrary().pick("", "a", "b").zip(arbitrary().pick("Equal", "Exists"), arbitrary().pick("", "x"),
                arbitrary().pick("", "NoSchedule", "NoExecute"), (k, op, v, e) -> Fixtures.toleration(k, op, v, e));
    }

    /** Independent statement of the toleration rule, to check the production code against. */
    static boolean covers(Toleration t, Taint taint) {
        boolean effectOk = t.getEffect().isEmpty() || t.getEffect().equals(taint.getEffect());
        boolean keyOk;
        if (t.getKey().isEmpty()) {
            keyOk = t.getOperator().equals("Exists");
        } else if (t.getOperator().equals("Exists")) {
            keyOk = t.getKey().equals(taint.getKey());
        } else {
            String tv = taint.getValue() == null ? "" : taint.getValue();
            keyOk = t.getKey().equals(taint.getKey()) && t.getValue().equals(tv);
        }
        return effectOk && keyOk;
    }

    @Test
    void untoleratedHardTaintsAreNeverChosen() {
        qt().withExamples(300).forAll(lists().of(lists().of(taints()).ofSizeBetween(0, 3)).ofSizeBetween(1, 4),
                lists().of(tolerations()).ofSizeBetween(0, 3)).checkAssert((taintsPerNode, tolerations) -> {
            List<NodeInfo> nodes = new ArrayList<>();
            for (int i = 0; i < taintsPerNode.size(); i++) {
                nodes.add(Fixtures.withTaints(Fixtures.node("n" + i, "s", 4000, 4096, null), taintsPerNode.get(i)));
            }
            PodInfo pod = Fixtures.pod("p", 10, 10, Map.of(), null, tolerations, null);
            Decision d = placement.decide(pod, nodes, List.of(), UsersLocation.unknown("t"));
            boolean anyAdmissible = false;
            for (int i = 0; i < nodes.size(); i++) {
                boolean admissible = true;
                for (Taint t : taintsPerNode.get(i)) {
                    if (!t.getEffect().equals("PreferNoSchedule") && tolerations.stream().noneMatch(tol -> covers(tol, t))) {
                        admissible = false;
                    }
                }
                anyAdmissible |= admissible;
                if (("n" + i).equals(d.nodeName())) {
                    assertTrue(admissible, "chose a node with an untolerated taint: " + taintsPerNode.get(i));
                }
            }
            assertEquals(anyAdmissible, d.scheduled());
        });
    }

    @Test
    void decisionsDoNotDependOnInputOrder() {
        qt().withExamples(100).forAll(lists().of(capacities()).ofSizeBetween(1, 6), lists().of(requests()).ofSizeBetween(0, 10),
                requests(), longs().all()).checkAssert((caps, boundReqs, req, shuffleSeed) -> {
            List<NodeInfo> nodes = new ArrayList<>();
            for (int i = 0; i < caps.size(); i++) {
                nodes.add(Fixtures.node("n" + i, i % 2 == 0 ? "A" : "B", caps.get(i).milliCpu(), caps.get(i).memMi(),
                        Coordinate.of2d(i % 3, 0, 1)));
            }
            List<PodInfo> bound = new ArrayList<>();
            for (int i = 0; i < boundReqs.size(); i++) {
                bound.add(Fixtures.boundTo(Fixtures.pod("b" + i, boundReqs.get(i).milliCpu() / 4, boundReqs.get(i).memMi() / 4),
                        "n" + (i % caps.size())));
            }
            PodInfo pod = Fixtures.pod("p", req.milliCpu(), req.memMi());
            UsersLocation users = new UsersLocation(Coordinate.of2d(0, 0, 0), "t");
            Decision first = placement.decide(pod, nodes, bound, users);
            List<NodeInfo> n2 = new ArrayList<>(nodes);
            List<PodInfo> b2 = new ArrayList<>(bound);
            Collections.shuffle(n2, new Random(shuffleSeed));
            Collections.shuffle(b2, new Random(shuffleSeed + 1));
            assertEquals(first, placement.decide(pod, n2, b2, users));
        });
    }

    @Test
    void usersAtASiteWithFeasibleNodesGetANodeThere() {
        qt().withExamples(100).forAll(integers().between(0, 2), integers().between(1, 4), longs().all())
                .checkAssert((usersSite, nodesPerSite, seed) -> {
            Random r = new Random(seed);
            String[] sites = {"A", "B", "C"};
            double[][] centers = {{0, 0}, {120, 0}, {0, 90}};
            List<NodeInfo> nodes = new ArrayList<>();
            List<PodInfo> bound = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                for (int k = 0; k < nodesPerSite; k++) {
                    String name = sites[s] + k;
                    Coordinate c = Coordinate.of2d(centers[s][0] + r.nextGaussian() * 2, centers[s][1] + r.nextGaussian() * 2,
                            0.5 + r.nextDouble());
                    nodes.add(Fixtures.node(name, sites[s], 1000 + r.nextInt(8000), 1000 + r.nextInt(8000), c));
                    if (r.nextBoolean()) {
                        // below 900 m / 900 Mi on nodes of at least 1000 m / 1000 Mi: every node keeps room for
                        // the 100 m / 100 Mi pod, so the users' site always has a feasible node
                        bound.add(Fixtures.boundTo(Fixtures.pod("x" + name, r.nextInt(900), r.nextInt(900)), name));
                    }
                }
            }
            PodInfo pod = new PodInfo("default", "p", new TreeMap<>(), null, new ResourceAmounts(100, 100L << 20, 1), null, null,
                    null, "site:" + sites[usersSite], "A", false);
            UsersLocation users = UsersLocation.resolve(pod, nodes, Map.of());
            Decision d = placement.decide(pod, nodes, bound, users);
            assertTrue(d.scheduled());
            assertTrue(d.nodeName().startsWith(sites[usersSite]), "users at " + sites[usersSite] + " but chose " + d.nodeName());
        });
    }

    /**
     * With equally near nodes of equal size and room for every replica, replicas of one owner end
     * up at most one apart per node, whatever other owners' replicas are interleaved.
     */
    @Test
    void replicasOfOneOwnerSpreadEvenlyOverEquallyNearNodes() {
        qt().withExamples(150).forAll(integers().between(1, 6), requests(),
                lists().of(integers().between(0, 2)).ofSizeBetween(1, 30)).checkAssert((nodeCount, req, owners) -> {
            List<NodeInfo> nodes = new ArrayList<>();
            long perNodeCpu = Math.max(1, req.milliCpu()) * owners.size();
            long perNodeMem = Math.max(1, req.memMi()) * owners.size();
            for (int i = 0; i < nodeCount; i++) {
                nodes.add(Fixtures.node("n" + i, "s", perNodeCpu, perNodeMem, Coordinate.of2d(0, 0, 0)));
            }
            List<PodInfo> bound = new ArrayList<>();
            for (int i = 0; i < owners.size(); i++) {
                PodInfo p = Fixtures.replica("p" + i, req.milliCpu(), req.memMi(), "rs-" + owners.get(i), null);
                Decision d = placement.decide(p, nodes, bound, UsersLocation.unknown("s"));
                assertTrue(d.scheduled(), d.message());
                bound.add(Fixtures.boundTo(p, d.nodeName()));
            }
            for (int o = 0; o <= 2; o++) {
                String owner = "rs-" + o;
                int min = Integer.MAX_VALUE;
                int max = 0;
                for (NodeInfo n : nodes) {
                    int c = (int) bound.stream().filter(p -> p.ownerUid().equals(owner) && p.nodeName().equals(n.name())).count();
                    min = Math.min(min, c);
                    max = Math.max(max, c);
                }
                assertTrue(max - min <= 1, owner + " per node: min " + min + " max " + max + " on " + nodeCount + " nodes");
            }
        });
    }
}
