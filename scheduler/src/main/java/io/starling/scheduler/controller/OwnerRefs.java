package io.starling.scheduler.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Optional;

/** Owner references: who controls an object, and the reference a controller puts on what it creates. */
public final class OwnerRefs {
    private OwnerRefs() {}

    public static Optional<OwnerReference> controllerOf(HasMetadata obj) {
        List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
        if (refs == null) {
            return Optional.empty();
        }
        return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
    }

    public static boolean isControlledBy(HasMetadata obj, HasMetadata owner) {
        return controllerOf(obj).map(r -> r.getUid() != null && r.getUid().equals(owner.getMetadata().getUid())).orElse(false);
    }

    /** The controller reference ({@code controller: true, blockOwnerDeletion: true}) to {@code owner}. */
    public static OwnerReference controllerRef(HasMetadata owner, String apiVersion, String kind) {
        OwnerReference ref = new OwnerReference();
        ref.setApiVersion(apiVersion);
        ref.setKind(kind);
        ref.setName(owner.getMetadata().getName());
        ref.setUid(owner.getMetadata().getUid());
        ref.setController(true);
        ref.setBlockOwnerDeletion(true);
        return ref;
    }
}
