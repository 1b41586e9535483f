package io.starling.scheduler.placement;

import static io.starling.scheduler.placement.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.starling.dht.kube.StarlingLabels;
import io.starling.scheduler.vivaldi.Coordinate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementTest {
    private final Placement placement = Placement.defaults();
    private static final UsersLocation NOWHERE = UsersLocation.unknown("test");

    @Test
    void unschedulableMessageCountsReasonsLikeKubeScheduler() {
        NodeInfo small = node("a", "s1", 500, 1024, null);
        NodeInfo tainted1 = withTaints(node("b", "s1", 4000, 4096, null), List.of(taint("k", "v", "NoSchedule")));
        NodeInfo tainted2 = withTaints(node("c", "s1", 4000, 4096, null), List.of(taint("k", "v", "NoExecute")));
        Decision d = placement.decide(pod("p", 1000, 100), List.of(tainted2, small, tainted1), List.of(), NOWHERE);
        assertFalse(d.scheduled());
        assertEquals("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {k: v}.", d.message());
        assertTrue(d.onlyResourceShortage() == false);
    }

    @Test
    void accountsForPodsAlreadyBound() {
        NodeInfo a = node("a", "s1", 1000, 1024, null);
        List<PodInfo> bound = List.of(boundTo(pod("x", 600, 100), "a"));
        Decision d = placement.decide(pod("p", 500, 100), List.of(a), bound, NOWHERE);
        assertEquals("0/1 nodes are available: 1 Insufficient cpu.", d.message());
        assertTrue(d.onlyResourceShortage());
        assertTrue(placement.decide(pod("p", 400, 100), List.of(a), bound, NOWHERE).scheduled());
        PodInfo terminal = new PodInfo("default", "t", null, "a", new ResourceAmounts(900, 0, 1), null, null, null, null, "", true);
        assertTrue(placement.decide(pod("p", 1000, 100), List.of(a), List.of(terminal), NOWHERE).scheduled(),
                "terminal pods hold no resources");
    }

    @Test
    void podCountLimit() {
        NodeInfo a = new NodeInfo("a", "s", null, null, false, true, new ResourceAmounts(10_000, 1L << 34, 1), null);
        Decision d = placement.decide(pod("p", 1, 1), List.of(a), List.of(boundTo(pod("x", 1, 1), "a")), NOWHERE);
        assertEquals("0/1 nodes are available: 1 Too many pods.", d.message());
    }

    @Test
    void notReadyAndCordonedNodesAreSkippedUnlessTolerated() {
        NodeInfo notReady = withState(node("a", "s", 4000, 4096, null), false, false);
        NodeInfo cordoned = withState(node("b", "s", 4000, 4096, null), true, true);
        Decision d = placement.decide(pod("p", 100, 10), List.of(notReady, cordoned), List.of(), NOWHERE);
        assertEquals("0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: },"
                + " 1 node(s) were unschedulable.", d.message());
        PodInfo tolerant = pod("p", 100, 10, Map.of(), null,
                List.of(toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule")), null);
        assertEquals("b", placement.decide(tolerant, List.of(notReady, cordoned), List.of(), NOWHERE).nodeName());
    }

    @Test
    void tolerationsMatchEqualExistsAndEmptyKey() {
        NodeInfo n = withTaints(node("a", "s", 4000, 4096, null), List.of(taint("gpu", "yes", "NoSchedule")));
        assertFalse(placement.decide(pod("p", 1, 1), List.of(n), List.of(), NOWHERE).scheduled());
        for (var tol : List.of(toleration("gpu", "Equal", "yes", "NoSchedule"), toleration("gpu", "Exists", null, null),
                toleration("", "Exists", null, null), toleration("gpu", null, "yes", ""))) {
            assertTrue(placement.decide(pod("p", 1, 1, Map.of(), null, List.of(tol), null), List.of(n), List.of(), NOWHERE).scheduled(),
                    tol.toString());
        }
        for (var tol : List.of(toleration("gpu", "Equal", "no", "NoSchedule"), toleration("gpu", "Exists", null, "NoExecute"),
                toleration("", "Equal", null, null))) {
            assertFalse(placement.decide(pod("p", 1, 1, Map.of(), null, List.of(tol), null), List.of(n), List.of(), NOWHERE).scheduled(),
                    tol.toString());
        }
    }

    @Test
    void nodeSelectorAndRequiredNodeAffinityOperators() {
        NodeInfo a = withLabels(node("a", "s", 4000, 4096, null), Map.of("disk", "ssd", "cores", "8"));
        NodeInfo b = withLabels(node("b", "s", 4000, 4096, null), Map.of("disk", "hdd", "cores", "2"));
        PodInfo sel = new PodInfo("default", "p", null, null, new ResourceAmounts(1, 1, 1),
                new java.util.TreeMap<>(Map.of("disk", "hdd")), null, null, null, "", false);
        assertEquals("b", placement.decide(sel, List.of(a, b), List.of(), NOWHERE).nodeName());
        assertEquals("a", decideWithExpr("cores", "Gt", List.of("4"), a, b));
        assertEquals("b", decideWithExpr("cores", "Lt", List.of("4"), a, b));
        assertEquals("a", decideWithExpr("disk", "In", List.of("ssd", "nvme"), a, b));
        assertEquals("b", decideWithExpr("disk", "NotIn", List.of("ssd"), a, b));
        assertEquals("a", decideWithExpr("disk", "Exists", List.of(), a, withLabels(node("b", "s", 4000, 4096, null), Map.of())));
        assertEquals(null, decideWithExpr("gpu", "Exists", List.of(), a, b));
        assertEquals("b", decideWithExpr("gpu", "DoesNotExist", List.of(), a, b));
    }

    private String decideWithExpr(String key, String op, List<String> values, NodeInfo a, NodeInfo b) {
        var aff = new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey(key).withOperator(op).withValues(values).endMatchExpression()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
        // prefer b by load so a wins only by the affinity rule
        List<PodInfo> load = List.of(boundTo(pod("l", 3000, 3000), "a"));
        Decision d = placement.decide(pod("p", 1, 1, Map.of(), aff, null, null), List.of(a, b), load, NOWHERE);
        return d.nodeName();
    }

    @Test
    void preferredNodeAffinityBreaksTiesAmongEquallyNearNodes() {
        NodeInfo a = withLabels(node("a", "s", 4000, 4096, null), Map.of("zone", "x"));
        NodeInfo b = withLabels(node("b", "s", 4000, 4096, null), Map.of("zone", "y"));
        var aff = new AffinityBuilder().withNewNodeAffinity().addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(50).withNewPreference().addNewMatchExpression().withKey("zone").withOperator("In").withValues("y")
                .endMatchExpression().endPreference().endPreferredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
        assertEquals("a", placement.decide(pod("p", 1, 1), List.of(a, b), List.of(), NOWHERE).nodeName(), "name breaks the tie");
        assertEquals("b", placement.decide(pod("p", 1, 1, Map.of(), aff, null, null), List.of(a, b), List.of(), NOWHERE).nodeName());
    }

    @Test
    void podAntiAffinityByHostnameAndSite() {
        NodeInfo a1 = node("a1", "A", 4000, 4096, null);
        NodeInfo a2 = node("a2", "A", 4000, 4096, null);
        NodeInfo b1 = node("b1", "B", 4000, 4096, null);
        Map<String, String> app = Map.of("app", "web");
        PodInfo first = boundTo(pod("w1", 1, 1, app, null, null, null), "a1");
        PodInfo byHost = pod("w2", 1, 1, app, antiAffinity(NodeInfo.HOSTNAME_LABEL, app), null, null);
        Decision d = placement.decide(byHost, List.of(a1, a2, b1), List.of(first), NOWHERE);
        assertTrue(d.nodeName().equals("a2") || d.nodeName().equals("b1"));
        PodInfo bySite = pod("w2", 1, 1, app, antiAffinity(StarlingLabels.SITE, app), null, null);
        assertEquals("b1", placement.decide(bySite, List.of(a1, a2, b1), List.of(first), NOWHERE).nodeName());
        Decision none = placement.decide(bySite, List.of(a1, a2), List.of(first), NOWHERE);
        assertEquals("0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules.", none.message());
        // symmetric: an existing pod's anti-affinity keeps matching newcomers away
        PodInfo guard = boundTo(pod("g", 1, 1, Map.of("role", "guard"), antiAffinity(NodeInfo.HOSTNAME_LABEL, app), null, null), "a1");
        assertEquals("a2", placement.decide(pod("w3", 1, 1, app, null, null, null), List.of(a1, a2), List.of(guard), NOWHERE).nodeName());
    }

    @Test
    void podAffinityFollowsMatchingPodsAndAllowsTheFirstOfAGroup() {
        NodeInfo a1 = node("a1", "A", 4000, 4096, null);
        NodeInfo b1 = node("b1", "B", 4000, 4096, null);
        Map<String, String> db = Map.of("app", "db");
        PodInfo dbPod = boundTo(pod("db", 1, 1, db, null, null, null), "b1");
        PodInfo web = pod("web", 1, 1, Map.of("app", "web"), affinity(StarlingLabels.SITE, db), null, null);
        assertEquals("b1", placement.decide(web, List.of(a1, b1), List.of(dbPod), NOWHERE).nodeName());
        Decision none = placement.decide(web, List.of(a1, b1), List.of(), NOWHERE);
        assertEquals("0/2 nodes are available: 2 node(s) didn't match pod affinity rules.", none.message());
        PodInfo selfSelecting = pod("db2", 1, 1, db, affinity(StarlingLabels.SITE, db), null, null);
        assertTrue(placement.decide(selfSelecting, List.of(a1, b1), List.of(), NOWHERE).scheduled());
    }

    @Test
    void proximityDominatesAndBalanceBreaksNearTies() {
        Coordinate usersAt = Coordinate.of2d(0, 0, 0.1);
        NodeInfo far = node("a-far", "s", 8000, 8192, Coordinate.of2d(100, 0, 0.1));
        NodeInfo nearBusy = node("b-near", "s", 4000, 4096, Coordinate.of2d(1, 0, 0.1));
        NodeInfo nearIdle = node("c-near", "s", 4000, 4096, Coordinate.of2d(2, 0, 0.1));
        List<PodInfo> load = List.of(boundTo(pod("x", 3000, 3000), "b-near"));
        UsersLocation users = new UsersLocation(usersAt, "test");
        Decision d = placement.decide(pod("p", 100, 100), List.of(far, nearBusy, nearIdle), load, users);
        assertEquals("c-near", d.nodeName());
        assertEquals(2.2, d.predictedRttMs(), 1e-9);
        Decision full = placement.decide(pod("p", 1500, 100), List.of(far, nearBusy), load, users);
        assertEquals("a-far", full.nodeName(), "the only feasible node wins even when far");
    }

    @Test
    void replicasSpreadOverEquallyNearNodesButProximityStillWins() {
        NodeInfo a1 = node("a1", "A", 4000, 4096, Coordinate.of2d(0, 0, 0));
        NodeInfo a2 = node("a2", "A", 4000, 4096, Coordinate.of2d(1, 0, 0));
        NodeInfo far = node("b1", "B", 4000, 4096, Coordinate.of2d(60, 0, 0));
        List<NodeInfo> nodes = List.of(a1, a2, far);
        List<PodInfo> bound = new ArrayList<>();
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            PodInfo p = Fixtures.replica("web-" + i, 0, 0, "rs-1", "coords:0,0,0");
            Decision d = placement.decide(p, nodes, bound, UsersLocation.resolve(p, nodes, Map.of()));
            chosen.add(d.nodeName());
            bound.add(Fixtures.boundTo(p, d.nodeName()));
        }
        assertEquals(List.of("a1", "a2", "a1", "a2"), chosen, "alternate over the two near nodes, never the far one");
        // a pod of another owner does not count
        PodInfo other = Fixtures.replica("db-0", 0, 0, "rs-2", null);
        assertEquals("a1", placement.decide(other, List.of(a1, a2), bound, NOWHERE).nodeName());
    }

    @Test
    void usersLocationResolvesSitePeerAndCoords() {
        NodeInfo a1 = node("a1", "A", 1, 1, Coordinate.of2d(0, 0, 1));
        NodeInfo a2 = node("a2", "A", 1, 1, Coordinate.of2d(10, 0, 3));
        List<NodeInfo> nodes = List.of(a1, a2);
        PodInfo p = new PodInfo("d", "p", null, null, ResourceAmounts.ZERO, null, null, null, "site:A", "B", false);
        assertEquals(Coordinate.of2d(5, 0, 2), UsersLocation.resolve(p, nodes, Map.of()).coordinate());
        PodInfo home = new PodInfo("d", "p", null, null, ResourceAmounts.ZERO, null, null, null, null, "B", false);
        assertEquals(Coordinate.of2d(7, 7, 7), UsersLocation.resolve(home, nodes, Map.of("B", Coordinate.of2d(7, 7, 7))).coordinate());
        PodInfo peer = new PodInfo("d", "p", null, null, ResourceAmounts.ZERO, null, null, null, "peer:a2", "", false);
        assertEquals(a2.coordinate(), UsersLocation.resolve(peer, nodes, Map.of()).coordinate());
        PodInfo coords = new PodInfo("d", "p", null, null, ResourceAmounts.ZERO, null, null, null, "coords:1,2,3", "", false);
        assertEquals(Coordinate.of2d(1, 2, 3), UsersLocation.resolve(coords, nodes, Map.of()).coordinate());
        PodInfo bad = new PodInfo("d", "p", null, null, ResourceAmounts.ZERO, null, null, null, "coords:x", "", false);
        assertFalse(UsersLocation.resolve(bad, nodes, Map.of()).known());
    }

    @Test
    void adaptersReadFabric8Objects() {
        var node = NodeInfo.from(k8sNode("n1", "A", "2", "4Gi", 3, 4));
        assertEquals(new ResourceAmounts(2000, 4L << 30, 110), node.allocatable());
        assertEquals("A", node.site());
        assertTrue(node.ready());
        assertEquals(Coordinate.of2d(3, 4, 1), node.coordinate());
        var pod = new PodBuilder(k8sPod("ns", "p", "A", "250m", "64Mi")).editSpec()
                .addToInitContainers(new Container()).addNewContainer().withName("c2").withNewResources()
                .withLimits(Map.of("cpu", new Quantity("0.5"))).endResources().endContainer().endSpec().build();
        PodInfo info = PodInfo.from(pod);
        assertEquals(new ResourceAmounts(750, 64L << 20, 1), info.requests());
        assertEquals("A", info.homeSite());
        var broken = new PodBuilder(k8sPod("ns", "p", "A", "250m", "64Mi")).editSpec().editFirstContainer().editResources()
                .withRequests(Map.of("cpu", new Quantity("-1"))).endResources().endContainer().endSpec().build();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> PodInfo.from(broken));
    }
}
