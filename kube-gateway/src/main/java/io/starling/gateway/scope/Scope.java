package io.starling.gateway.scope;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.ArrayList;
import java.util.List;

/**
 * The Scope object (cluster-scoped, {@code scopes.starling.io/v1alpha1}): the namespaces a tenant
 * owns, its members, and the sites its pods may run on. Bearer tokens are stored only as SHA-256
 * hashes (lower-case hex), so reading the store never yields a usable credential.
 */
@Group(Scope.GROUP)
@Version(Scope.VERSION)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec"})
@JsonDeserialize(using = JsonDeserializer.None.class) // not fabric8's by-kind dispatch of KubernetesResource
public final class Scope implements HasMetadata {
    public static final String GROUP = "scopes.starling.io";
    public static final String VERSION = "v1alpha1";
    public static final String KIND = "Scope";

    private String apiVersion = GROUP + "/" + VERSION;
    private String kind = KIND;
    private ObjectMeta metadata;
    private Spec spec;

    @Override
    public ObjectMeta getMetadata() {
        return metadata;
    }

    @Override
    public void setMetadata(ObjectMeta metadata) {
        this.metadata = metadata;
    }

    @Override
    public String getApiVersion() {
        return apiVersion;
    }

    @Override
    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    @Override
    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public Spec getSpec() {
        return spec;
    }

    public void setSpec(Spec spec) {
        this.spec = spec;
    }

    /** What a scope owns and who may use it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Spec {
        private List<String> namespaces = new ArrayList<>();
        private List<Member> members = new ArrayList<>();
        private List<String> sites = new ArrayList<>();

        public List<String> getNamespaces() {
            return namespaces;
        }

        public void setNamespaces(List<String> namespaces) {
            this.namespaces = namespaces == null ? new ArrayList<>() : namespaces;
        }

        public List<Member> getMembers() {
            return members;
        }

        public void setMembers(List<Member> members) {
            this.members = members == null ? new ArrayList<>() : members;
        }

        /** Sites whose nodes the scope's pods may run on; empty = every site. */
        public List<String> getSites() {
            return sites;
        }

        public void setSites(List<String> sites) {
            this.sites = sites == null ? new ArrayList<>() : sites;
        }
    }

    /** A user of the scope: {@code role} is "owner" or "member"; {@code tokenHashes} are SHA-256 hex of its bearer tokens. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Member {
        private String user;
        private String role;
        private List<String> tokenHashes = new ArrayList<>();

        public String getUser() {
            return user;
        }

        public void setUser(String user) {
            this.user = user;
        }

        public String getRole() {
            return role;
        }

        public void setRole(String role) {
            this.role = role;
        }

        public List<String> getTokenHashes() {
            return tokenHashes;
        }

        public void setTokenHashes(List<String> tokenHashes) {
            this.tokenHashes = tokenHashes == null ? new ArrayList<>() : tokenHashes;
        }
    }
}
