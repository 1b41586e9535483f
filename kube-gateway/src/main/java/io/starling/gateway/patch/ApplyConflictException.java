package io.starling.gateway.patch;

import java.util.List;

/**
 * 409 Conflict from server-side apply: fields the applier would change are owned by other managers.
 * {@link #causes()} are the Status details.causes kube-apiserver returns (type FieldManagerConflict).
 */
public final class ApplyConflictException extends PatchException {
    /** One conflicting field: {@code field} as ".spec.replicas", {@code message} as "conflict with \"mgr\"". */
    public record Cause(String field, String message) {}

    private final List<Cause> causes;

    public ApplyConflictException(String message, List<Cause> causes) {
        super(409, "Conflict", message);
        this.causes = List.copyOf(causes);
    }

    /** Status cause type for every entry of {@link #causes()}. */
    public static final String CAUSE_TYPE = "FieldManagerConflict";

    public List<Cause> causes() {
        return causes;
    }
}
