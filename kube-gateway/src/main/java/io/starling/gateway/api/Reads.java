package io.starling.gateway.api;

import io.starling.dht.kube.Resources;

import io.starling.gateway.secrets.SecretSeal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.dht.kube.ResourceType;
import io.starling.gateway.http.ApiRequest;
import io.starling.gateway.http.Reply;
import io.starling.gateway.model.FieldSelector;
import io.starling.gateway.model.LabelSelector;
import io.starling.gateway.model.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** GET of one object and LIST of a collection (all namespaces by fan-out), as JSON or as a Table. */
public final class Reads {
    private final ApiContext ctx;

    public Reads(ApiContext ctx) {
        this.ctx = ctx;
    }

    public CompletableFuture<Reply> get(ApiRequest req, Target t) {
        return ctx.objects().require(t.type(), t.storeNamespace(), t.name()).thenApply(o -> {
            JsonNode sealedTo = o.path("metadata").path("annotations").get(SecretSeal.REDACTED);
            if (t.type() == Resources.SECRETS && sealedTo != null) {
                // this super-peer cannot open the data: say where it can be read rather than serve a Secret without it
                throw new ApiException(503, "ServiceUnavailable", sealedTo.asText());
            }
            if (Tables.wanted(req.accept())) {
                return table(req, t.type(), List.of(o), Json.text(o, "metadata", "resourceVersion"));
            }
            return Reply.json(200, Json.bytes(o));
        });
    }

    public CompletableFuture<Reply> list(ApiRequest req, Target t) {
        return list(req, t, Access.ALL);
    }

    public CompletableFuture<Reply> list(ApiRequest req, Target t, Access access) {
        ListPage.Cursor cursor = ListPage.Cursor.parse(req.param("limit"), req.param("continue"));
        return listFiltered(req, t, access).thenApply(listing -> {
            String rv = Long.toString(listing.revision());
            ListPage page = cursor.page(listing.items());
            if (Tables.wanted(req.accept())) {
                return table(req, t.type(), page.items(), rv, page.continueToken());
            }
            ResourceType rt = t.type();
            ObjectNode list = Json.object();
            list.put("kind", rt.kind() + "List");
            list.put("apiVersion", rt.apiVersion());
            ObjectNode meta = list.putObject("metadata").put("resourceVersion", rv);
            if (page.continueToken() != null) {
                meta.put("continue", page.continueToken());
            }
            list.putArray("items").addAll(page.items());
            return Reply.json(200, Json.bytes(list));
        });
    }

    /** The selected objects of the target collection (400 on a malformed selector). */
    public CompletableFuture<ObjectStore.Listing> listFiltered(ApiRequest req, Target t) {
        return listFiltered(req, t, Access.ALL);
    }

    /** The selected objects the caller may see ({@code access}); an all-namespaces list reads only visible namespaces. */
    public CompletableFuture<ObjectStore.Listing> listFiltered(ApiRequest req, Target t, Access access) {
        Selectors sel = Selectors.of(req, t);
        CompletableFuture<ObjectStore.Listing> all = t.allNamespaces()
                ? ctx.objects().listAll(t.type(), access::seesNamespace) : ctx.objects().list(t.type(), t.storeNamespace());
        return all.thenApply(l -> {
            List<ObjectNode> out = new ArrayList<>();
            for (ObjectNode o : l.items()) {
                if (sel.matches(o) && access.sees(t.type(), o)) {
                    out.add(o);
                }
            }
            return new ObjectStore.Listing(out, l.revision());
        });
    }

    Reply table(ApiRequest req, ResourceType rt, List<ObjectNode> items, String rv) {
        return table(req, rt, items, rv, null);
    }

    private Reply table(ApiRequest req, ResourceType rt, List<ObjectNode> items, String rv, String continueToken) {
        ObjectNode t = Tables.table(rt.kind(), items, rv, Tables.include(req.param("includeObject")), ctx.clock().wallMillis(),
                ctx.viewerCoordinates());
        if (continueToken != null) {
            JsonNode m = t.get("metadata");
            (m instanceof ObjectNode o ? o : t.putObject("metadata")).put("continue", continueToken);
        }
        return Reply.json(200, Json.bytes(t));
    }

    /** Parsed label and field selectors of a request; a single-object URL adds metadata.name. */
    public record Selectors(LabelSelector labels, FieldSelector fields, String name) {
        static Selectors of(ApiRequest req, Target t) {
            try {
                return new Selectors(LabelSelector.parse(req.param("labelSelector")),
                        FieldSelector.parse(req.param("fieldSelector")), t.name());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }

        public boolean matches(JsonNode o) {
            if (o == null) {
                return false;
            }
            if (name != null && !name.equals(o.path("metadata").path("name").asText())) {
                return false;
            }
            return labels.matches(labelsOf(o)) && fields.matches(o);
        }

        static Map<String, String> labelsOf(JsonNode o) {
            Map<String, String> m = new TreeMap<>();
            o.path("metadata").path("labels").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
            return m;
        }
    }
}
