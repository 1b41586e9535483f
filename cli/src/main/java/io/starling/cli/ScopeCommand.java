package io.starling.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.core.net.PeerAddress;
import io.starling.core.random.SecureRandomSource;
import io.starling.core.security.ClusterCa;
import io.starling.core.security.PeerCredentials;
import io.starling.core.time.SystemClock;
import io.starling.gateway.scope.ScopeResource;
import io.starling.gateway.scope.Tokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code starling scope create|grant|share|revoke|list}: tenancy administration. Scopes are
 * {@code scopes.starling.io/v1alpha1} objects written through a super-peer's API as a cluster
 * administrator; every super-peer enforces them as soon as the change reaches it.
 */
@Command(name = "scope", mixinStandardHelpOptions = true,
        description = "Manage scopes (tenants): their namespaces, members and sites.",
        subcommands = {ScopeCommand.Create.class, ScopeCommand.Grant.class, ScopeCommand.Share.class,
                ScopeCommand.Revoke.class, ScopeCommand.ListScopes.class})
final class ScopeCommand implements Runnable {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    private static final Pattern SITE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final int TOKEN_BYTES = 32;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where to reach the API and with which operator credentials. */
    static final class Target {
        @Option(names = "--server", description = "HOST:PORT of a super-peer's API; repeat to list every super-peer in "
                + "printed kubeconfigs (default: the super-peers of the local 'starling up' cluster)")
        List<String> servers = new ArrayList<>();

        @Option(names = "--credentials", description = "credentials dir holding the cluster CA key (default: the local cluster's admin/)")
        Path credentials;

        ClusterCa ca() {
            Path dir = credentials != null ? credentials : AdminClient.defaultCredentials();
            if (!PeerCredentials.existIn(dir)) {
                throw new IllegalArgumentException("no credentials in " + dir + " (use --credentials DIR)");
            }
            return PeerCredentials.load(dir).clusterCa(SystemClock.INSTANCE).orElseThrow(() ->
                    new IllegalArgumentException(dir + " holds no cluster CA key; use a super-peer's or the admin credentials"));
        }

        /** Context name -> HOST:PORT, in the order given. */
        Map<String, String> servers() {
            List<String> list = servers.isEmpty() ? localClusterServers() : servers;
            if (list.isEmpty()) {
                throw new IllegalArgumentException("no API server known: give --server HOST:PORT");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (String s : list) {
                PeerAddress a = PeerAddress.parse(s);
                out.put("starling-" + a.host() + "-" + a.port(), a.toString());
            }
            return out;
        }

        ScopeApi api() {
            return new ScopeApi(ca(), servers().values().iterator().next());
        }

        private static List<String> localClusterServers() {
            Path kubeconfig = UpCommand.defaultDataDir().resolve("kubeconfig");
            List<String> out = new ArrayList<>();
            if (!Files.isRegularFile(kubeconfig)) {
                return out;
            }
            try {
                for (String line : Files.readAllLines(kubeconfig, StandardCharsets.UTF_8)) {
                    String l = line.trim();
                    if (l.startsWith("server: https://")) {
                        out.add(l.substring("server: https://".length()));
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + kubeconfig + ": " + e.getMessage());
            }
            return out;
        }
    }

    static String requireName(String what, String value, Pattern p) {
        if (value == null || !p.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid " + what + " '" + value + "'");
        }
        return value;
    }

    static ArrayNode array(ObjectNode scope, String field) {
        ObjectNode spec = scope.has("spec") && scope.get("spec").isObject() ? (ObjectNode) scope.get("spec") : scope.putObject("spec");
        return spec.has(field) && spec.get(field).isArray() ? (ArrayNode) spec.get(field) : spec.putArray(field);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isObject() ? n.path("user").asText() + "(" + n.path("role").asText() + ")" : n.asText()));
        return out;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a scope owning namespaces (created when missing).")
    static final class Create implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--namespace", description = "a namespace the scope owns (repeatable)")
        List<String> namespaces = new ArrayList<>();

        @Mixin
        Target target;

        @Override
        public Integer call() {
            requireName("scope name", name, DNS_LABEL);
            namespaces.forEach(n -> requireName("namespace", n, DNS_LABEL));
            ScopeApi api = target.api();
            for (JsonNode other : api.list()) {
                for (JsonNode ns : other.path("spec").path("namespaces")) {
                    if (namespaces.contains(ns.asText())) {
                        throw new IllegalArgumentException("namespace '" + ns.asText() + "' already belongs to scope '"
                                + other.path("metadata").path("name").asText() + "'");
                    }
                }
            }
            ObjectNode scope = JsonNodeFactory.instance.objectNode();
            scope.put("apiVersion", ScopeResource.TYPE.apiVersion()).put("kind", ScopeResource.TYPE.kind());
            scope.putObject("metadata").put("name", name);
            ObjectNode spec = scope.putObject("spec");
            namespaces.stream().distinct().forEach(spec.putArray("namespaces")::add);
            spec.putArray("members");
            spec.putArray("sites");
            api.create(scope);
            for (String ns : namespaces) {
                api.ensureNamespace(ns);
            }
            System.out.println("scope/" + name + " created");
            return 0;
        }
    }

    @Command(name = "grant", mixinStandardHelpOptions = true,
            description = "Make a user owner or member of a scope and print a kubeconfig for that user.")
    static final class Grant implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--user", required = true)
        String user;

        @Option(names = "--role", description = "owner or member (default member)")
        String role = ScopeResource.MEMBER;

        @Option(names = "--token", description = "authenticate with a new bearer token instead of a client certificate")
        boolean token;

        @Option(names = {"-o", "--output"}, description = "write the kubeconfig to FILE (default: stdout)")
        Path output;

        @Mixin
        Target target;

        @Override
        public Integer call() throws IOException {
            requireName("user", user, USER);
            if (!role.equals(ScopeResource.OWNER) && !role.equals(ScopeResource.MEMBER)) {
                throw new IllegalArgumentException("--role must be owner or member, got '" + role + "'");
            }
            ClusterCa ca = target.ca();
            Map<String, String> servers = target.servers();
            String secret = token ? Base64.getUrlEncoder().withoutPadding().encodeToString(SecureRandomSource.bytes(TOKEN_BYTES)) : null;
            new ScopeApi(ca, servers.values().iterator().next()).update(name, s -> {
                ArrayNode members = array(s, "members");
                ObjectNode m = null;
                for (JsonNode n : members) {
                    if (n.path("user").asText().equals(user)) {
                        m = (ObjectNode) n;
                    }
                }
                if (m == null) {
                    m = members.addObject().put("user", user);
                }
                m.put("role", role);
                if (secret != null) {
                    (m.has("tokenHashes") && m.get("tokenHashes").isArray() ? (ArrayNode) m.get("tokenHashes")
                            : m.putArray("tokenHashes")).add(Tokens.sha256Hex(secret));
                }
                return s;
            });
            String kubeconfig = secret != null ? Kubeconfig.renderToken(ca, user, secret, servers)
                    : Kubeconfig.render(ca, user, List.of(), servers);
            if (output != null) {
                writeOwnerOnly(output, kubeconfig);
                System.out.println("kubeconfig for " + user + " written to " + output);
            } else {
                System.out.print(kubeconfig);
            }
            return 0;
        }
    }

    /** The kubeconfig holds a private key or token: readable by its owner only. */
    static void writeOwnerOnly(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file);
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    @Command(name = "share", mixinStandardHelpOptions = true, description = "Let a scope's pods run on the nodes of a site.")
    static final class Share implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--site", required = true)
        String site;

        @Mixin
        Target target;

        @Override
        public Integer call() {
            requireName("site", site, SITE);
            target.api().update(name, s -> {
                ArrayNode sites = array(s, "sites");
                if (!texts(sites).contains(site)) {
                    sites.add(site);
                }
                return s;
            });
            System.out.println("scope/" + name + " shared with site " + site);
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = {"Remove a user (and all its tokens) from a scope; every super-peer refuses it once the change reaches it.",
                    "With --site: stop sharing a site (its nodes take no new pods of the scope; its super-peers lose their "
                            + "wraps of the scope key and stop opening the scope's Secrets; keys are not rotated)."})
    static final class Revoke implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        Who who;

        static final class Who {
            @Option(names = "--user", required = true)
            String user;

            @Option(names = "--site", required = true)
            String site;
        }

        @Mixin
        Target target;

        @Override
        public Integer call() {
            if (who.site != null) {
                return revokeSite(who.site);
            }
            String user = who.user;
            requireName("user", user, USER);
            target.api().update(name, s -> {
                ArrayNode members = array(s, "members");
                boolean found = false;
                for (int i = members.size() - 1; i >= 0; i--) {
                    if (members.get(i).path("user").asText().equals(user)) {
                        members.remove(i);
                        found = true;
                    }
                }
                if (!found) {
                    throw new IllegalArgumentException("user '" + user + "' is not a member of scope '" + name + "'");
                }
                return s;
            });
            System.out.println("user " + user + " revoked from scope/" + name);
            return 0;
        }

        private Integer revokeSite(String site) {
            requireName("site", site, SITE);
            target.api().update(name, s -> {
                ArrayNode sites = array(s, "sites");
                List<String> now = texts(sites);
                if (!now.contains(site)) {
                    throw new IllegalArgumentException("scope '" + name + "' is not shared with site '" + site + "'");
                }
                if (now.size() == 1) {
                    // an empty list means every site: removing the last one would widen the scope, not narrow it
                    throw new IllegalArgumentException("site '" + site + "' is the only site of scope '" + name
                            + "'; share another site first (an empty list means every site)");
                }
                sites.remove(now.indexOf(site));
                return s;
            });
            System.out.println("scope/" + name + " no longer shared with site " + site);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List scopes with their namespaces, members and sites.")
    static final class ListScopes implements Callable<Integer> {
        @Mixin
        Target target;

        @Override
        public Integer call() {
            List<JsonNode> scopes = target.api().list();
            System.out.printf("%-20s %-30s %-40s %s%n", "NAME", "NAMESPACES", "MEMBERS", "SITES");
            for (JsonNode s : scopes) {
                JsonNode spec = s.path("spec");
                System.out.printf("%-20s %-30s %-40s %s%n", s.path("metadata").path("name").asText(),
                        orAll(texts(spec.path("namespaces")), "-"), orAll(texts(spec.path("members")), "-"),
                        orAll(texts(spec.path("sites")), "<all>"));
            }
            return 0;
        }

        private static String orAll(List<String> v, String empty) {
            return v.isEmpty() ? empty : String.join(",", v);
        }
    }
}
