package io.starling.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.gateway.http.Reply;

/** meta/v1 Status bodies. */
public final class Statuses {
    private Statuses() {}

    public static ObjectNode failure(ApiException e) {
        ObjectNode s = Json.object();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure");
        s.put("message", e.getMessage());
        s.put("reason", e.reason());
        if (e.kind() != null || e.name() != null) {
            ObjectNode d = s.putObject("details");
            if (e.name() != null) {
                d.put("name", e.name());
            }
            if (e.group() != null && !e.group().isEmpty()) {
                d.put("group", e.group());
            }
            if (e.kind() != null) {
                d.put("kind", e.kind());
            }
            for (String err : e.fieldErrors()) {
                int colon = err.indexOf(": ");
                String what = colon < 0 ? err : err.substring(colon + 2);
                ObjectNode c = d.withArray("causes").addObject();
                c.put("reason", what.startsWith("Required value") ? "FieldValueRequired"
                        : what.startsWith("Unsupported value") ? "FieldValueNotSupported" : "FieldValueInvalid");
                c.put("message", what);
                if (colon >= 0) {
                    c.put("field", err.substring(0, colon));
                }
            }
        }
        s.put("code", e.code());
        return s;
    }

    public static ObjectNode success(String group, String kind, String name, String uid) {
        ObjectNode s = Json.object();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Success");
        ObjectNode d = s.putObject("details");
        d.put("name", name);
        if (group != null && !group.isEmpty()) {
            d.put("group", group);
        }
        d.put("kind", kind);
        if (uid != null) {
            d.put("uid", uid);
        }
        return s;
    }

    public static Reply.Full reply(ApiException e) {
        return Reply.json(e.code(), Json.bytes(failure(e)));
    }
}
