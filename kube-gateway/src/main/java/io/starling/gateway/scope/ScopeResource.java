package io.starling.gateway.scope;

import io.starling.dht.kube.ResourceType;
import io.starling.dht.store.CollectionKey;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where Scope objects live: a cluster-scoped collection of the default store scope, so every
 * super-peer reads and watches the same objects like any other resource.
 */
public final class ScopeResource {
    private ScopeResource() {}

    public static final ResourceType TYPE = new ResourceType(Scope.GROUP, Scope.VERSION, Scope.KIND, "scopes", false,
            List.of(), Scope.class);

    public static final String OWNER = "owner";
    public static final String MEMBER = "member";

    /** The group whose members are cluster administrators (the kubeconfig of {@code starling up}). */
    public static final String ADMIN_GROUP = "system:masters";

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Field errors of a Scope spec (kube's "path: reason" style); empty when valid. */
    public static List<String> check(JsonNode spec) {
        List<String> errs = new ArrayList<>();
        JsonNode members = spec.path("members");
        for (int i = 0; i < members.size(); i++) {
            JsonNode m = members.get(i);
            String p = "spec.members[" + i + "]";
            if (m.path("user").asText("").isEmpty()) {
                errs.add(p + ".user: Required value");
            }
            String role = m.path("role").asText("");
            if (!role.equals(OWNER) && !role.equals(MEMBER)) {
                errs.add(p + ".role: Unsupported value: \"" + role + "\": supported values: \"owner\", \"member\"");
            }
            JsonNode hashes = m.path("tokenHashes");
            for (int j = 0; j < hashes.size(); j++) {
                if (!HEX_SHA256.matcher(hashes.get(j).asText("")).matches()) {
                    errs.add(p + ".tokenHashes[" + j + "]: Invalid value: must be the SHA-256 of the token, 64 lower-case hex digits");
                }
            }
        }
        return errs;
    }

    public static CollectionKey collection() {
        return TYPE.collection(CollectionKey.DEFAULT_SCOPE, "");
    }
}
