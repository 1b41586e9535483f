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
    private final java.util.List<String> fieldErrors;

    public ApiException(int code, String reason, String message, String group, String kind, String name) {
        this(code, reason, message, group, kind, name, java.util.List.of());
    }

    private ApiException(int code, String reason, String message, String group, String kind, String name,
            java.util.List<String> fieldErrors) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
        this.group = group;
        this.kind = kind;
        this.name = name;
        this.fieldErrors = java.util.List.copyOf(fieldErrors);
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
        return invalid(kind, name, java.util.List.of(message));
    }

    /** 422 with one Status cause per error; each error reads "field.path: what is wrong" (kubectl lists them). */
    public static ApiException invalid(String kind, String name, java.util.List<String> fieldErrors) {
        return new ApiException(422, "Invalid", kind + " \"" + name + "\" is invalid: " + String.join(", ", fieldErrors),
                null, kind, name, fieldErrors);
    }

    /** The field errors of a 422 ("field.path: what is wrong"); empty otherwise. */
    public java.util.List<String> fieldErrors() {
        return fieldErrors;
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
