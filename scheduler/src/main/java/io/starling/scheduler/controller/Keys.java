package io.starling.scheduler.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Work-queue keys: {@code namespace/name}, or {@code name} for cluster-scoped objects. */
public final class Keys {
    private Keys() {}

    public static String of(HasMetadata obj) {
        return of(obj.getMetadata().getNamespace(), obj.getMetadata().getName());
    }

    public static String of(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    public static String namespace(String key) {
        int i = key.indexOf('/');
        return i < 0 ? "" : key.substring(0, i);
    }

    public static String name(String key) {
        int i = key.indexOf('/');
        return i < 0 ? key : key.substring(i + 1);
    }
}
