package io.starling.dht.store;

/** Compare-and-set condition of a write (how the API turns a stale resourceVersion into 409). */
public record Precondition(Kind kind, long revision) {
    public enum Kind { NONE, MUST_NOT_EXIST, REVISION_EQUALS, MUST_EXIST }

    public static final Precondition NONE = new Precondition(Kind.NONE, 0);
    public static final Precondition MUST_NOT_EXIST = new Precondition(Kind.MUST_NOT_EXIST, 0);
    public static final Precondition MUST_EXIST = new Precondition(Kind.MUST_EXIST, 0);

    public static Precondition revisionEquals(long revision) {
        return new Precondition(Kind.REVISION_EQUALS, revision);
    }

    /** Whether a write may proceed given the current live record ({@code null} if absent or deleted). */
    public boolean admits(Versioned current) {
        boolean live = current != null && !current.deleted();
        return switch (kind) {
            case NONE -> true;
            case MUST_NOT_EXIST -> !live;
            case MUST_EXIST -> live;
            case REVISION_EQUALS -> live && current.revision() == revision;
        };
    }
}
