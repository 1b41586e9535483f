package io.starling.gateway.api;

/**
 * A request the API refuses; becomes a meta/v1 Status with {@code code} and {@code reason}.
 * {@code kind}/{@code name} fill Status.details as kube-apiserver does (kind is the resource plural).
 */
public final class ApiException extends RuntimeException {
    private final int code;
    private final String reason;
    private final String kind;
    private final String name;
    private final String group;

    public ApiException(int code, String reason, String message, String group, String kind, String name) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
        this.group = group;
        this.kind = kind;
        this.name = name;
    }

    public ApiException(int code, String reason, String message) {
        this(code, reason, message, null, null, null);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message);
    }

    public static ApiException notFound(String group, String resource, String name) {
        String what = group == null || group.isEmpty() ? resource : resource + "." + group;
        return new ApiException(404, "NotFound", what + " \"" + name + "\" not found", group, resource, name);
    }

    public static ApiException invalid(String kind, String name, String message) {
        return new ApiException(422, "Invalid", kind + " \"" + name + "\" is invalid: " + message, null, kind, name);
    }

    public static ApiException methodNotAllowed(String message) {
        return new ApiException(405, "MethodNotAllowed", message);
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public String group() {
        return group;
    }
}
