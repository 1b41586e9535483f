package io.starling.simulator;

import io.starling.core.net.PeerAddress;
import io.starling.core.random.RandomSource;
import io.starling.core.sim.SimNetwork;
import io.starling.core.sim.Simulation;
import io.starling.scheduler.vivaldi.Coordinate;
import io.starling.simulator.metrics.PodTimeline;
import io.starling.simulator.metrics.Stats;
import io.starling.simulator.scenario.Plan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects what the simulated users and probes observed (watch events, acknowledgements, lookup
 * results, traffic counters) and turns it into a {@link SimulationResult}. Times are virtual
 * milliseconds since t0; nothing here reads wall time.
 */
final class Recorder {
    record Ack(String key, String site, long issuedMs, long ackedMs, boolean workload) {}

    record Located(String site, Coordinate coordinate, String role) {}

    private record Lookup(long atMs, int hops, long latencyMs, boolean ok) {}

    private final Plan plan;
    private final Map<String, PodTimeline> pods = new TreeMap<>();
    private final Map<String, PodTimeline> podsByUid = new TreeMap<>();
    private final List<Ack> acks = new ArrayList<>();
    private final Map<String, int[]> finalReads = new TreeMap<>();
    private final List<Lookup> lookups = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final List<String> samples = new ArrayList<>();
    private final Map<PeerAddress, String> roles = new TreeMap<>();
    private final Map<String, Long> healedAt = new TreeMap<>();
    private final Map<String, Long> convergence = new TreeMap<>();
    private Map<PeerAddress, long[]> trafficAtStart = new TreeMap<>();
    private Simulation sim;
    private long t0;
    private long endMs;
    private long lastDelivered;
    private int workloadRejected;
    private int workloadFailed;
    private int probeWritesFailed;
    private long eventFailures;
    private long executedEvents;
    private long delivered;
    private long dropped;
    private Map<PeerAddress, SimNetwork.PeerStats> trafficAtEnd = Map.of();

    Recorder(Plan plan) {
        this.plan = plan;
    }

    void start(long t0, SimNetwork net) {
        this.t0 = t0;
        this.sim = net.simulation();
        for (Map.Entry<PeerAddress, SimNetwork.PeerStats> e : net.allStats().entrySet()) {
            SimNetwork.PeerStats s = e.getValue();
            trafficAtStart.put(e.getKey(), new long[] {s.messagesSent(), s.bytesSent(), s.messagesReceived(), s.bytesReceived()});
        }
        lastDelivered = net.deliveredMessages();
    }

    private long now() {
        return sim.nowMillis() - t0;
    }

    void peerRole(PeerAddress a, String role) {
        roles.put(a, role);
    }

    void event(String kind, String detail) {
        events.add(now() + "," + kind + "," + detail);
    }

    void healed(Plan.PartitionPlan p, long atMs) {
        healedAt.put(partitionName(p), atMs);
    }

    void converged(Plan.PartitionPlan p, long afterMs) {
        convergence.putIfAbsent(partitionName(p), afterMs);
    }

    private static String partitionName(Plan.PartitionPlan p) {
        return String.join("+", p.sites()) + "@" + p.atMillis() / 1000 + "s";
    }

    void sample(long atMs, int liveEdges, int liveSupers, SimNetwork net) {
        int running = 0;
        int scheduled = 0;
        int total = 0;
        for (PodTimeline p : pods.values()) {
            if (p.deleted) {
                continue;
            }
            total++;
            scheduled += p.nodeName.isEmpty() ? 0 : 1;
            running += "Running".equals(p.phase) ? 1 : 0;
        }
        long d = net.deliveredMessages();
        double perSecond = (d - lastDelivered) / (Simulator.SAMPLE_MILLIS / 1000.0);
        lastDelivered = d;
        samples.add(String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%d,%.1f", atMs / 1000, liveSupers, liveEdges, total, scheduled,
                running, perSecond));
    }

    void workloadRejected(Plan.WorkPlan w) {
        workloadRejected++;
        event("workload-rejected", w.name());
    }

    void workloadFailed(Plan.WorkPlan w, Throwable e) {
        workloadFailed++;
        event("workload-failed", w.name());
    }

    void probeWriteFailed() {
        probeWritesFailed++;
    }

    void acknowledged(String key, String site, long issuedMs, long ackedMs, boolean workload) {
        acks.add(new Ack(key, site, issuedMs, ackedMs, workload));
    }

    List<Ack> acks() {
        return acks;
    }

    List<Ack> acksBetween(long fromMs, long toMs, int max) {
        List<Ack> out = new ArrayList<>();
        for (Ack a : acks) {
            if (a.issuedMs() >= fromMs && a.ackedMs() < toMs && out.size() < max) {
                out.add(a);
            }
        }
        return out;
    }

    /** {@code result}: 1 present, 0 absent (lost), -1 the read failed. */
    void finalRead(Ack a, int result) {
        int[] c = finalReads.computeIfAbsent(a.key(), k -> new int[3]);
        c[result + 1]++;
    }

    void lookup(long atMs, int hops, long latencyMs, boolean ok) {
        lookups.add(new Lookup(atMs, hops, latencyMs, ok));
    }

    void podEvent(String site, String key, String uid, boolean added, boolean deleted, long revMs, String node, String nodeSite,
                  String phase, long nowMs) {
        PodTimeline t = pods.computeIfAbsent(key + "@" + uid, k -> new PodTimeline(key, site));
        t.uid = uid;
        podsByUid.put(uid, t);
        if (t.createdMs < 0) {
            t.createdMs = revMs; // the first write we see; for an ADDED event that is the create itself
        }
        if (node != null && t.scheduledMs < 0) {
            t.scheduledMs = revMs;
            t.nodeName = node;
            t.nodeSite = nodeSite;
        }
        if (phase != null) {
            t.phase = phase;
        }
        if ("Running".equals(phase) && t.observedMs < 0) {
            t.observedMs = nowMs;
        }
        if (deleted) {
            t.deleted = true;
        }
    }

    void containerStarted(String uid, long atMs) {
        PodTimeline t = podsByUid.get(uid);
        if (t != null && (t.runningMs < 0 || atMs < t.runningMs)) {
            t.runningMs = atMs;
        }
    }

    void finish(long atMs, SimNetwork net, Simulation s) {
        endMs = atMs;
        trafficAtEnd = net.allStats();
        eventFailures = s.failures();
        executedEvents = s.executedEvents();
        delivered = net.deliveredMessages();
        dropped = net.droppedMessages();
    }

    // ---- result ---------------------------------------------------------------------------------

    SimulationResult result(Simulator simulator) {
        for (SuperPeer sp : simulator.supers().values()) {
            roles.put(sp.peer.contact.address(), "super");
        }
        Map<String, Object> summary = new TreeMap<>();
        Map<String, Object> scenario = new TreeMap<>();
        scenario.put("name", plan.name());
        scenario.put("seed", simulator.seed());
        scenario.put("sites", plan.sites().size());
        int supers = 0;
        int edgesAtStart = 0;
        for (Plan.SitePlan s : plan.sites()) {
            supers += s.superPeers();
            edgesAtStart += s.edgePeers();
        }
        scenario.put("super_peers", supers);
        scenario.put("edge_peers_at_start", edgesAtStart);
        scenario.put("edge_peers_total", simulator.edges().size());
        scenario.put("duration_s", plan.durationMillis() / 1000.0);
        scenario.put("settle_s", plan.settleMillis() / 1000.0);
        scenario.put("virtual_end_s", endMs / 1000.0);
        summary.put("scenario", scenario);

        Map<String, Object> run = new TreeMap<>();
        run.put("events", executedEvents);
        run.put("event_failures", eventFailures);
        run.put("messages_delivered", delivered);
        run.put("messages_dropped", dropped);
        summary.put("run", run);

        summary.put("pods", podSummary());
        summary.put("dht_lookups", lookupSummary());
        summary.put("vivaldi", vivaldi(simulator));
        summary.put("traffic", traffic());
        summary.put("writes", writes());
        Map<String, Object> part = new TreeMap<>();
        for (Map.Entry<String, Long> e : healedAt.entrySet()) {
            Long c = convergence.get(e.getKey());
            part.put(e.getKey(), c == null ? "not converged by the end" : c < 0 ? "not converged" : (Object) (c / 1000.0));
        }
        summary.put("convergence_after_heal_s", part);
        Map<String, Object> workload = new TreeMap<>();
        workload.put("items", plan.workload().size());
        workload.put("rejected_no_gateway", workloadRejected);
        workload.put("failed", workloadFailed);
        summary.put("workload", workload);

        SimulationResult r = new SimulationResult(summary);
        r.table("pods.csv", "pod,uid,users_site,node,node_site,phase,created_ms,scheduled_ms,running_ms,observed_ms", podRows());
        List<String> lk = new ArrayList<>();
        for (Lookup l : lookups) {
            lk.add(l.atMs() + "," + l.hops() + "," + l.latencyMs() + "," + l.ok());
        }
        r.table("lookups.csv", "at_ms,hops,latency_ms,success", lk);
        r.table("timeseries.csv", "t_s,live_super_peers,live_edge_peers,pods,pods_scheduled,pods_running,messages_per_s", samples);
        r.table("events.csv", "t_ms,event,detail", events);
        r.table("traffic.csv", "peer,role,messages_sent,bytes_sent,messages_received,bytes_received", trafficRows());
        r.table("vivaldi.csv", "site_a,site_b,role_a,role_b,model_rtt_ms,predicted_ms,relative_error", vivaldiRows);
        return r;
    }

    private List<PodTimeline> livePods() {
        List<PodTimeline> out = new ArrayList<>();
        for (PodTimeline p : pods.values()) {
            if (!p.deleted) {
                out.add(p);
            }
        }
        return out;
    }

    private Map<String, Object> podSummary() {
        List<Long> schedule = new ArrayList<>();
        List<Long> run = new ArrayList<>();
        List<Long> observe = new ArrayList<>();
        List<Long> total = new ArrayList<>();
        int running = 0;
        int scheduled = 0;
        int local = 0;
        int live = 0;
        for (PodTimeline p : livePods()) {
            live++;
            if (p.scheduledMs >= 0) {
                scheduled++;
                local += p.usersSite.equals(p.nodeSite) ? 1 : 0;
                if (p.createdMs >= 0) {
                    schedule.add(p.scheduledMs - p.createdMs);
                }
            }
            if ("Running".equals(p.phase)) {
                running++;
            }
            if (p.runningMs >= 0 && p.scheduledMs >= 0) {
                run.add(p.runningMs - p.scheduledMs);
            }
            if (p.observedMs >= 0 && p.runningMs >= 0) {
                observe.add(p.observedMs - p.runningMs);
            }
            if (p.observedMs >= 0 && p.createdMs >= 0) {
                total.add(p.observedMs - p.createdMs);
            }
        }
        Map<String, Object> m = new TreeMap<>();
        m.put("seen", pods.size());
        m.put("live", live);
        m.put("scheduled", scheduled);
        m.put("running", running);
        m.put("all_running", live > 0 && running == live);
        m.put("locality_users_site", scheduled == 0 ? 0.0 : Stats.round(local / (double) scheduled));
        Map<String, Object> lat = new TreeMap<>();
        lat.put("create_to_scheduled_ms", Stats.describe(schedule));
        lat.put("scheduled_to_running_ms", Stats.describe(run));
        lat.put("running_to_observed_ms", Stats.describe(observe));
        lat.put("create_to_observed_ms", Stats.describe(total));
        m.put("startup_latency", lat);
        return m;
    }

    private List<String> podRows() {
        List<String> rows = new ArrayList<>();
        for (PodTimeline p : pods.values()) {
            rows.add(String.join(",", p.key, p.uid, p.usersSite, p.nodeName, p.nodeSite, p.deleted ? "Deleted" : p.phase,
                    Long.toString(p.createdMs), Long.toString(p.scheduledMs), Long.toString(p.runningMs), Long.toString(p.observedMs)));
        }
        return rows;
    }

    /** create -> observed latencies in ms (for the CDF plot). */
    List<Long> startupLatencies() {
        List<Long> out = new ArrayList<>();
        for (PodTimeline p : livePods()) {
            if (p.observedMs >= 0 && p.createdMs >= 0) {
                out.add(p.observedMs - p.createdMs);
            }
        }
        return out;
    }

    private Map<String, Object> lookupSummary() {
        List<Integer> hops = new ArrayList<>();
        List<Long> lat = new ArrayList<>();
        int ok = 0;
        for (Lookup l : lookups) {
            if (l.hops() >= 0) {
                hops.add(l.hops());
                lat.add(l.latencyMs());
            }
            ok += l.ok() ? 1 : 0;
        }
        Map<String, Object> m = new TreeMap<>();
        m.put("count", lookups.size());
        m.put("success", lookups.isEmpty() ? 1.0 : Stats.round(ok / (double) lookups.size()));
        m.put("hops", Stats.describe(hops));
        m.put("latency_ms", Stats.describe(lat));
        return m;
    }

    private final List<String> vivaldiRows = new ArrayList<>();

    private Map<String, Object> vivaldi(Simulator simulator) {
        List<Located> peers = simulator.locatedPeers();
        RandomSource r = simulator.random("vivaldi-pairs");
        List<Double> errors = new ArrayList<>();
        List<Double> wanErrors = new ArrayList<>();
        int pairs = peers.size() < 2 ? 0 : plan.probes().vivaldiPairs();
        for (int i = 0; i < pairs; i++) {
            Located a = peers.get(r.nextInt(peers.size()));
            Located b = peers.get(r.nextInt(peers.size()));
            if (a == b) {
                continue;
            }
            double model = simulator.latency().rttMillis(a.site(), b.site());
            if (!(model > 0)) {
                continue;
            }
            double predicted = a.coordinate().distanceTo(b.coordinate());
            double err = Math.abs(predicted - model) / model;
            errors.add(err);
            if (!a.site().equals(b.site())) {
                wanErrors.add(err);
            }
            vivaldiRows.add(String.format(Locale.ROOT, "%s,%s,%s,%s,%.3f,%.3f,%.4f", a.site(), b.site(), a.role(), b.role(), model,
                    predicted, err));
        }
        Map<String, Object> m = new TreeMap<>();
        m.put("relative_error_all_pairs", Stats.describe(errors));
        m.put("relative_error_inter_site_pairs", Stats.describe(wanErrors));
        return m;
    }

    private Map<String, Object> traffic() {
        double seconds = Math.max(1, endMs) / 1000.0;
        Map<String, double[]> byRole = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (Map.Entry<PeerAddress, SimNetwork.PeerStats> e : trafficAtEnd.entrySet()) {
            String role = roles.getOrDefault(e.getKey(), "other");
            long[] base = trafficAtStart.getOrDefault(e.getKey(), new long[4]);
            SimNetwork.PeerStats s = e.getValue();
            double[] acc = byRole.computeIfAbsent(role, k -> new double[4]);
            acc[0] += s.messagesSent() - base[0];
            acc[1] += s.bytesSent() - base[1];
            acc[2] += s.messagesReceived() - base[2];
            acc[3] += s.bytesReceived() - base[3];
            counts.merge(role, 1, Integer::sum);
        }
        Map<String, Object> m = new TreeMap<>();
        for (Map.Entry<String, double[]> e : byRole.entrySet()) {
            int n = counts.get(e.getKey());
            double[] a = e.getValue();
            Map<String, Object> role = new LinkedHashMap<>();
            role.put("peers", n);
            role.put("messages_sent_per_peer_per_s", Stats.round(a[0] / n / seconds));
            role.put("bytes_sent_per_peer_per_s", Stats.round(a[1] / n / seconds));
            role.put("messages_received_per_peer_per_s", Stats.round(a[2] / n / seconds));
            role.put("bytes_received_per_peer_per_s", Stats.round(a[3] / n / seconds));
            m.put(e.getKey(), new TreeMap<>(role));
        }
        return m;
    }

    private List<String> trafficRows() {
        List<String> rows = new ArrayList<>();
        for (Map.Entry<PeerAddress, SimNetwork.PeerStats> e : trafficAtEnd.entrySet()) {
            long[] base = trafficAtStart.getOrDefault(e.getKey(), new long[4]);
            SimNetwork.PeerStats s = e.getValue();
            rows.add(e.getKey() + "," + roles.getOrDefault(e.getKey(), "other") + "," + (s.messagesSent() - base[0]) + ","
                    + (s.bytesSent() - base[1]) + "," + (s.messagesReceived() - base[2]) + "," + (s.bytesReceived() - base[3]));
        }
        return rows;
    }

    private Map<String, Object> writes() {
        int lost = 0;
        int unverified = 0;
        int workloadAcked = 0;
        for (Ack a : acks) {
            workloadAcked += a.workload() ? 1 : 0;
            int[] c = finalReads.get(a.key());
            if (c == null || c[2] == 0 && c[1] == 0) {
                unverified++;
            } else if (c[1] > 0) {
                lost++;
            }
        }
        Map<String, Object> m = new TreeMap<>();
        m.put("acknowledged", acks.size());
        m.put("acknowledged_workload_objects", workloadAcked);
        m.put("lost_acknowledged", lost);
        m.put("unverified_read_failed", unverified);
        m.put("probe_writes_failed", probeWritesFailed);
        return m;
    }
}
