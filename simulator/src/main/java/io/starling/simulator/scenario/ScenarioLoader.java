package io.starling.simulator.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.starling.scheduler.vivaldi.RttMatrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a scenario YAML file into a checked {@link Plan}. Every problem becomes a
 * {@link ScenarioException} naming the file, and where known the line, and what to fix.
 *
 * <p>A relative RTT-matrix path is looked up next to the scenario file, then in the working
 * directory, then next to each of their parent directories (so {@code ../shared/data/...} written
 * relative to the repository root works from any sub-directory or worktree).
 */
public final class ScenarioLoader {
    static final int MAX_PEERS = 1_000_000;
    static final int MAX_SITES = 20_000;
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ScenarioLoader() {}

    public static Plan load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ScenarioException("scenario file not found: " + file);
        } catch (IOException e) {
            throw new ScenarioException("cannot read scenario " + file + ": " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), dir);
    }

    /** Parses YAML text; {@code baseDir} resolves relative paths (may be null: working directory only). */
    public static Plan parse(String yaml, String source, Path baseDir) {
        Scenario s;
        try {
            s = YAML.readValue(yaml, Scenario.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ScenarioException(source + where(e.getLocation()) + ": unknown field '" + e.getPropertyName()
                    + "' (known: " + e.getKnownPropertyIds() + ")");
        } catch (JsonProcessingException e) {
            throw new ScenarioException(source + where(e.getLocation()) + ": " + e.getOriginalMessage().replace('\n', ' '));
        }
        if (s == null) {
            throw new ScenarioException(source + ": empty scenario");
        }
        return check(s, source, baseDir);
    }

    private static String where(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : " line " + loc.getLineNr() + " column " + loc.getColumnNr();
    }

    static Plan check(Scenario s, String source, Path baseDir) {
        String name = s.name() == null ? "unnamed" : s.name();
        long duration = millis(source, "duration", s.duration(), -1);
        if (duration <= 0) {
            throw new ScenarioException(source + ": 'duration' is required and must be positive (e.g. 10m)");
        }
        long settle = millis(source, "settle", s.settle(), 60_000);
        Scenario.Links l = s.links();
        double lan = nonNegative(source, "links.lanRttMs", l.lanRttMs(), 0.2);
        double wan = nonNegative(source, "links.wanRttMs", l.wanRttMs(), 20);
        double jitter = nonNegative(source, "links.jitterMs", l.jitterMs(), 0);
        double loss = nonNegative(source, "links.loss", l.loss(), 0);
        if (loss >= 1) {
            throw new ScenarioException(source + ": links.loss must be below 1, got " + loss);
        }
        double[][] matrix = null;
        if (l.rttMatrix() != null) {
            matrix = readMatrix(source, l.rttMatrix(), baseDir, l.matrixScale() == null ? 1.0 : l.matrixScale());
        }
        List<Plan.SitePlan> sites = sites(source, s.sites(), lan, matrix);
        double bandwidth = nonNegative(source, "links.bandwidthMbps", l.bandwidthMbps(), 0);
        Plan.LinkPlan links = new Plan.LinkPlan(wan, matrix, l.rttMatrix(), jitter, loss, bandwidth);
        Set<String> siteNames = new TreeSet<>();
        sites.forEach(x -> siteNames.add(x.name()));

        List<Plan.WorkPlan> work = new ArrayList<>();
        int siteTurn = 0;
        for (Scenario.WorkloadItem w : s.workload()) {
            String what = "workload item '" + w.name() + "'";
            if (w.name() == null || !w.name().matches("[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?")) {
                throw new ScenarioException(source + ": every workload item needs a DNS-1123 'name' (lower case, digits, '-'), got " + w.name());
            }
            String kind = w.kind() == null ? "Deployment" : w.kind();
            if (!kind.equals("Deployment") && !kind.equals("Pod")) {
                throw new ScenarioException(source + ": " + what + ": kind must be Deployment or Pod, got " + kind);
            }
            long at = millis(source, what + " at", w.at(), 0);
            int count = w.count() == null ? 1 : w.count();
            int replicas = w.replicas() == null ? 1 : w.replicas();
            if (count < 1 || count > 100_000 || replicas < 0 || replicas > 10_000) {
                throw new ScenarioException(source + ": " + what + ": count must be 1..100000 and replicas 0..10000");
            }
            long interval = millis(source, what + " interval", w.interval(), 1_000);
            String users = w.usersSite() == null ? sites.get(0).name() : w.usersSite();
            if (!users.equals("*") && !siteNames.contains(users)) {
                throw new ScenarioException(source + ": " + what + ": usersSite '" + users + "' is not a site (sites: "
                        + abbreviate(siteNames) + ")");
            }
            for (int i = 0; i < count; i++) {
                String site = users.equals("*") ? sites.get(siteTurn++ % sites.size()).name() : users;
                work.add(new Plan.WorkPlan(at + i * interval, kind, count == 1 ? w.name() : w.name() + "-" + i, replicas, site,
                        w.cpuMillis() == null ? 100 : w.cpuMillis(), w.memoryMiB() == null ? 64 : w.memoryMiB()));
            }
        }
        work.sort((a, b) -> Long.compare(a.atMillis(), b.atMillis()));

        Scenario.Churn c = s.churn();
        Plan.ChurnPlan churn = new Plan.ChurnPlan(
                nonNegative(source, "churn.crashPerPeerHour", c.crashPerPeerHour(), 0) / 3_600_000.0,
                nonNegative(source, "churn.leavePerPeerHour", c.leavePerPeerHour(), 0) / 3_600_000.0,
                nonNegative(source, "churn.joinPerHour", c.joinPerHour(), 0) / 3_600_000.0,
                millis(source, "churn.start", c.start(), 0), millis(source, "churn.end", c.end(), duration));

        List<Plan.PartitionPlan> parts = new ArrayList<>();
        for (Scenario.Partition p : s.partitions()) {
            long at = millis(source, "partition at", p.at(), -1);
            long heal = millis(source, "partition heal", p.heal(), Long.MAX_VALUE);
            if (at < 0 || heal <= at) {
                throw new ScenarioException(source + ": a partition needs 'at' and a later 'heal'");
            }
            if (p.sites() == null || p.sites().isEmpty()) {
                throw new ScenarioException(source + ": a partition needs 'sites' (the side cut from the rest)");
            }
            for (String site : p.sites()) {
                if (!siteNames.contains(site)) {
                    throw new ScenarioException(source + ": partition site '" + site + "' is not a site");
                }
            }
            parts.add(new Plan.PartitionPlan(at, heal, new TreeSet<>(p.sites())));
        }
        List<Plan.CrashPlan> crashes = new ArrayList<>();
        for (Scenario.SuperPeerCrash x : s.superPeerCrashes()) {
            Plan.SitePlan site = sites.stream().filter(sp -> sp.name().equals(x.site())).findFirst().orElseThrow(() ->
                    new ScenarioException(source + ": superPeerCrashes: '" + x.site() + "' is not a site"));
            int index = x.index() == null ? 0 : x.index();
            if (index < 0 || index >= site.superPeers()) {
                throw new ScenarioException(source + ": superPeerCrashes: site " + x.site() + " has " + site.superPeers()
                        + " super-peer(s), no index " + index);
            }
            long at = millis(source, "superPeerCrashes at", x.at(), -1);
            if (at < 0) {
                throw new ScenarioException(source + ": superPeerCrashes entries need 'at'");
            }
            long restart = millis(source, "superPeerCrashes restartAt", x.restartAt(), -1);
            if (restart >= 0 && restart <= at) {
                throw new ScenarioException(source + ": superPeerCrashes restartAt must come after at");
            }
            crashes.add(new Plan.CrashPlan(at, x.site(), index, restart));
        }
        Scenario.Probes pr = s.probes();
        Plan.ProbePlan probes = new Plan.ProbePlan(nonNegative(source, "probes.lookupsPerMinute", pr.lookupsPerMinute(), 30),
                nonNegative(source, "probes.writesPerMinute", pr.writesPerMinute(), 30),
                pr.vivaldiPairs() == null ? 2_000 : Math.max(0, pr.vivaldiPairs()));
        Plan plan = new Plan(name, duration, settle, sites, links, work, churn, parts, crashes, probes);
        if (plan.totalPeers() > MAX_PEERS) {
            throw new ScenarioException(source + ": " + plan.totalPeers() + " peers; at most " + MAX_PEERS + " are supported");
        }
        return plan;
    }

    /** An edge peer's capacity with defaults filled in (4 CPUs, 4 GiB, 110 pods). */
    private static Plan.EdgeCapacity capacity(String source, String site, Scenario.Capacity c) {
        Scenario.Capacity cap = c == null ? new Scenario.Capacity(null, null, null) : c;
        long cpu = cap.cpuMillis() == null ? 4_000 : cap.cpuMillis();
        long mem = cap.memoryMiB() == null ? 4_096 : cap.memoryMiB();
        int pods = cap.pods() == null ? 110 : cap.pods();
        if (cpu <= 0 || mem <= 0 || pods <= 0) {
            throw new ScenarioException(source + ": site " + site + ": capacity values must be positive");
        }
        return new Plan.EdgeCapacity(cpu, mem, pods);
    }

    private static List<Plan.SitePlan> sites(String source, List<Scenario.SiteSpec> specs, double lan, double[][] matrix) {
        if (specs.isEmpty()) {
            throw new ScenarioException(source + ": 'sites' is required (at least one site)");
        }
        List<Plan.SitePlan> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Scenario.SiteSpec g : specs) {
            if (g.name() == null || !g.name().matches("[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?")) {
                throw new ScenarioException(source + ": every site needs a 'name' of lower-case letters, digits and '-', got " + g.name());
            }
            int count = g.count() == null ? 1 : g.count();
            int supers = g.superPeers() == null ? 1 : g.superPeers();
            if (count < 1 || count > MAX_SITES || supers < 1 || supers > 100) {
                throw new ScenarioException(source + ": site " + g.name() + ": count must be 1.." + MAX_SITES + " and superPeers 1..100");
            }
            if (g.edgePeers() != null && g.edgePeersTotal() != null) {
                throw new ScenarioException(source + ": site " + g.name() + ": give edgePeers or edgePeersTotal, not both");
            }
            int total = g.edgePeersTotal() == null ? -1 : g.edgePeersTotal();
            int per = g.edgePeers() == null ? 0 : g.edgePeers();
            if (per < 0 || (total < 0 && g.edgePeersTotal() != null) || per > MAX_PEERS || total > MAX_PEERS) {
                throw new ScenarioException(source + ": site " + g.name() + ": edge peer counts must be 0.." + MAX_PEERS);
            }
            if (g.capacity() != null && g.capacities() != null) {
                throw new ScenarioException(source + ": site " + g.name() + ": give capacity or capacities, not both");
            }
            if (g.capacities() != null && g.capacities().isEmpty()) {
                throw new ScenarioException(source + ": site " + g.name() + ": capacities needs at least one entry");
            }
            List<Plan.EdgeCapacity> mix = new ArrayList<>();
            for (Scenario.Capacity c : g.capacities() == null ? List.<Scenario.Capacity>of() : g.capacities()) {
                mix.add(capacity(source, g.name(), c));
            }
            Plan.EdgeCapacity cap = mix.isEmpty() ? capacity(source, g.name(), g.capacity()) : mix.get(0);
            long cpu = cap.cpuMillis();
            long mem = cap.memoryMiB();
            int pods = cap.pods();
            double siteLan = g.lanRttMs() == null ? lan : nonNegative(source, "site lanRttMs", g.lanRttMs(), lan);
            for (int i = 0; i < count; i++) {
                String n = count == 1 ? g.name() : String.format(Locale.ROOT, "%s-%03d", g.name(), i);
                if (!names.add(n)) {
                    throw new ScenarioException(source + ": duplicate site name " + n);
                }
                int edges = total >= 0 ? total / count + (i < total % count ? 1 : 0) : per;
                int index = g.matrixIndex() != null && count == 1 ? g.matrixIndex() : out.size();
                if (matrix != null && index >= matrix.length) {
                    throw new ScenarioException(source + ": site " + n + " needs row " + index + " of the RTT matrix, which has "
                            + matrix.length + " rows");
                }
                out.add(new Plan.SitePlan(n, supers, edges, cpu, mem, pods, siteLan, index, mix));
            }
        }
        if (out.size() > MAX_SITES) {
            throw new ScenarioException(source + ": more than " + MAX_SITES + " sites");
        }
        return out;
    }

    private static double[][] readMatrix(String source, String path, Path baseDir, double scale) {
        Path found = resolve(path, baseDir);
        if (found == null) {
            throw new ScenarioException(source + ": RTT matrix file not found: " + path
                    + " (looked next to the scenario, in the working directory and their parents)");
        }
        try {
            RttMatrix m = RttMatrix.read(found);
            double[][] out = new double[m.size()][m.size()];
            for (int i = 0; i < m.size(); i++) {
                for (int j = 0; j < m.size(); j++) {
                    out[i][j] = m.rtt(i, j) * scale;
                }
            }
            return out;
        } catch (IOException | IllegalArgumentException e) {
            throw new ScenarioException(source + ": cannot read RTT matrix " + found + ": " + e.getMessage());
        }
    }

    /** The first existing candidate for a relative path; null when there is none. */
    public static Path resolve(String path, Path baseDir) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return Files.isRegularFile(p) ? p : null;
        }
        List<Path> roots = new ArrayList<>();
        if (baseDir != null) {
            roots.add(baseDir.toAbsolutePath());
        }
        roots.add(Path.of("").toAbsolutePath());
        for (Path root : roots) {
            for (Path dir = root; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(p).normalize();
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    static long millis(String source, String field, String value, long dflt) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        Matcher m = DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ScenarioException(source + ": " + field + ": '" + value + "' is not a duration (use e.g. 500ms, 30s, 10m, 1h)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double factor = switch (unit) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        double ms = v * factor;
        if (ms > 365L * 24 * 3_600_000) {
            throw new ScenarioException(source + ": " + field + ": '" + value + "' is longer than a year");
        }
        return Math.round(ms);
    }

    /** Public for the CLI's --duration option. */
    public static long parseDurationMillis(String what, String value) {
        return millis("", what, value, -1);
    }

    private static double nonNegative(String source, String field, Double v, double dflt) {
        if (v == null) {
            return dflt;
        }
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new ScenarioException(source + ": " + field + " must be a non-negative number, got " + v);
        }
        return v;
    }

    private static String abbreviate(Set<String> names) {
        List<String> l = new ArrayList<>(names);
        return l.size() <= 8 ? String.join(", ", l) : String.join(", ", l.subList(0, 8)) + ", ... (" + l.size() + ")";
    }
}
