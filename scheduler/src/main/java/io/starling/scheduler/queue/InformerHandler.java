package io.starling.scheduler.queue;

/**
 * Callbacks of a {@link SharedInformer}, run on its event loop after the cache changed. They
 * should only enqueue keys: the reconcile reads the cache itself (level-triggered).
 */
public interface InformerHandler<T> {
    default void onAdd(T obj) {}

    default void onUpdate(T oldObj, T newObj) {}

    default void onDelete(T obj) {}

    /** One handler for all three kinds of change: {@code obj} is the new state, or the last one on delete. */
    static <T> InformerHandler<T> any(java.util.function.Consumer<T> onChange) {
        return new InformerHandler<>() {
            @Override
            public void onAdd(T obj) {
                onChange.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.accept(oldObj);
                if (oldObj != newObj) {
                    onChange.accept(newObj);
                }
            }

            @Override
            public void onDelete(T obj) {
                onChange.accept(obj);
            }
        };
    }
}
