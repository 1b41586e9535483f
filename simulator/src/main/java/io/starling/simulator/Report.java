package io.starling.simulator;

import java.util.List;
import java.util.Map;

/** report.md: the headline figures of a run, with links to the plots and tables. */
final class Report {
    private Report() {}

    static String markdown(SimulationResult r, List<String> plots) {
        StringBuilder b = new StringBuilder();
        b.append("# Simulation: ").append(r.get("scenario", "name")).append("\n\n");
        b.append("Seed ").append(r.get("scenario", "seed")).append(", ").append(r.get("scenario", "sites")).append(" sites, ")
                .append(r.get("scenario", "super_peers")).append(" super-peers, ").append(r.get("scenario", "edge_peers_at_start"))
                .append(" edge peers at start (").append(r.get("scenario", "edge_peers_total")).append(" over the run), ")
                .append(r.get("scenario", "duration_s")).append(" s of workload + ").append(r.get("scenario", "settle_s"))
                .append(" s settle, all in virtual time. The run executed ").append(r.get("run", "events"))
                .append(" events (").append(r.get("run", "event_failures")).append(" failed).\n\n");
        b.append("## Pods\n\n");
        b.append("| metric | value |\n|---|---|\n");
        row(b, "pods seen / live / scheduled / running", r.get("pods", "seen") + " / " + r.get("pods", "live") + " / "
                + r.get("pods", "scheduled") + " / " + r.get("pods", "running"));
        row(b, "share of pods on a node in the users' site", r.get("pods", "locality_users_site"));
        for (String phase : List.of("create_to_scheduled_ms", "scheduled_to_running_ms", "running_to_observed_ms", "create_to_observed_ms")) {
            row(b, phase.replace('_', ' ') + " (p50 / p99 / max)", triple(r.get("pods", "startup_latency", phase)));
        }
        b.append("\nCreated and scheduled are the times of the writes (their HLC resourceVersions); running is when the ")
                .append("simulated runtime started the container; observed is when a watch at the users' site saw it Running.\n\n");
        b.append("## DHT, coordinates, traffic\n\n| metric | value |\n|---|---|\n");
        row(b, "lookups (count, success)", r.get("dht_lookups", "count") + ", " + r.get("dht_lookups", "success"));
        row(b, "lookup hops (p50 / p99 / max)", triple(r.get("dht_lookups", "hops")));
        row(b, "lookup latency ms (p50 / p99 / max)", triple(r.get("dht_lookups", "latency_ms")));
        row(b, "Vivaldi relative error, all pairs (p50 / p99 / max)", triple(r.get("vivaldi", "relative_error_all_pairs")));
        row(b, "Vivaldi relative error, inter-site pairs (p50 / p99 / max)", triple(r.get("vivaldi", "relative_error_inter_site_pairs")));
        Object traffic = r.get("traffic");
        if (traffic instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> role) {
                    row(b, e.getKey() + " peers: messages / bytes sent per peer per s",
                            role.get("messages_sent_per_peer_per_s") + " / " + role.get("bytes_sent_per_peer_per_s"));
                }
            }
        }
        b.append("\n## Safety\n\n| metric | value |\n|---|---|\n");
        row(b, "acknowledged writes", r.get("writes", "acknowledged"));
        row(b, "lost acknowledged writes (must be 0)", r.get("writes", "lost_acknowledged"));
        row(b, "unverified (final read failed)", r.get("writes", "unverified_read_failed"));
        row(b, "convergence after heal (s)", r.get("convergence_after_heal_s"));
        b.append("\n## Files\n\n");
        for (String p : plots) {
            b.append("![").append(p).append("](").append(p).append(")\n\n");
        }
        for (String t : r.tables().keySet()) {
            b.append("- [").append(t).append("](").append(t).append(")\n");
        }
        b.append("- [summary.json](summary.json)\n");
        return b.toString();
    }

    private static void row(StringBuilder b, String k, Object v) {
        b.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    private static String triple(Object o) {
        if (o instanceof Map<?, ?> m && m.get("p50") != null) {
            return m.get("p50") + " / " + m.get("p99") + " / " + m.get("max");
        }
        return "n/a";
    }
}
