package io.starling.gateway.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One metadata.managedFields entry: the fields one manager owns through one kind of operation.
 *
 * @param operation "Apply" or "Update"
 */
record ManagedFieldsEntry(String manager, String operation, String apiVersion, String time, String subresource,
                          FieldSet fields) {
    static final String APPLY = "Apply";
    static final String UPDATE = "Update";

    static ManagedFieldsEntry fromJson(JsonNode n) {
        String subresource = n.path("subresource").asText("");
        return new ManagedFieldsEntry(n.path("manager").asText(""), n.path("operation").asText(UPDATE),
                n.path("apiVersion").asText(""), n.hasNonNull("time") ? n.get("time").asText() : null,
                subresource, FieldSet.fromFieldsV1(n.get("fieldsV1")));
    }

    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("manager", manager);
        n.put("operation", operation);
        n.put("apiVersion", apiVersion);
        if (time != null) {
            n.put("time", time);
        }
        n.put("fieldsType", "FieldsV1");
        n.set("fieldsV1", fields.toFieldsV1());
        if (!subresource.isEmpty()) {
            n.put("subresource", subresource);
        }
        return n;
    }

    /** Same manager and operation (and subresource): the identity of an entry. */
    boolean sameOwner(String otherManager, String otherOperation) {
        return manager.equals(otherManager) && operation.equals(otherOperation) && subresource.isEmpty();
    }

    ManagedFieldsEntry withFields(FieldSet newFields, String newApiVersion, String newTime) {
        return new ManagedFieldsEntry(manager, operation, newApiVersion, newTime, subresource, newFields);
    }

    /** How conflict messages name this manager, as kube-apiserver prints it. */
    String describe() {
        String quoted = '"' + manager + '"';
        if (operation.equals(UPDATE)) {
            return quoted + " using " + apiVersion + (time == null ? "" : " at " + time);
        }
        return quoted;
    }
}
