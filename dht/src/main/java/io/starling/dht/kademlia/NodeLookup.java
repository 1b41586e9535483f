package io.starling.dht.kademlia;

import io.starling.core.net.Contact;
import io.starling.core.net.NodeId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The iterative Kademlia lookup as a pure state machine. The driver asks {@link #next()} for the
 * contacts to query (at most {@code alpha} in flight), feeds back {@link #onReply} or
 * {@link #onFailure}, and stops when {@link #done()}: the {@code k} closest contacts not known to
 * have failed have all answered. Failed contacts drop out, so the result is the k closest live ones.
 *
 * <p><b>Hops.</b> Every candidate carries the number of sequential query rounds that led to it:
 * contacts from our own routing table have depth 0, a contact first learned from the reply of a
 * candidate with depth d has depth d + 1 (the smallest such depth wins). {@link #hops()} is the
 * depth of the closest node of the result, i.e. how many rounds of the iterative lookup it took
 * until the closest node was found. It does not depend on alpha's timing races, only on the
 * chain of replies.
 */
public final class NodeLookup {
    private enum State { NEW, IN_FLIGHT, ANSWERED, FAILED }

    private static final class Candidate {
        final Contact contact;
        State state = State.NEW;
        int depth;

        Candidate(Contact contact, int depth) {
            this.contact = contact;
            this.depth = depth;
        }
    }

    private final NodeId target;
    private final NodeId self;
    private final int k;
    private final int alpha;
    private final TreeMap<NodeId, Candidate> candidates;
    private int inFlight;
    private int queried;
    private int failed;

    public NodeLookup(NodeId target, NodeId self, int k, int alpha, Collection<Contact> initial) {
        if (k < 1 || alpha < 1) {
            throw new IllegalArgumentException("k and alpha must be >= 1");
        }
        this.target = target;
        this.self = self;
        this.k = k;
        this.alpha = alpha;
        this.candidates = new TreeMap<>(target::compareDistance);
        for (Contact c : initial) {
            add(c, 0);
        }
    }

    public NodeId target() {
        return target;
    }

    private void add(Contact c, int depth) {
        if (c.id().equals(self) || !c.superPeer()) {
            return;
        }
        Candidate existing = candidates.get(c.id());
        if (existing == null) {
            candidates.put(c.id(), new Candidate(c, depth));
        } else if (depth < existing.depth && existing.state == State.NEW) {
            existing.depth = depth;
        }
    }

    /** Contacts to query now; each is marked in flight. Empty when nothing more to ask yet. */
    public List<Contact> next() {
        List<Contact> out = new ArrayList<>();
        if (inFlight >= alpha) {
            return out;
        }
        int considered = 0;
        for (Candidate c : candidates.values()) {
            if (c.state == State.FAILED) {
                continue;
            }
            if (++considered > k || inFlight >= alpha) {
                break;
            }
            if (c.state == State.NEW) {
                c.state = State.IN_FLIGHT;
                inFlight++;
                queried++;
                out.add(c.contact);
            }
        }
        return out;
    }

    /** {@code from} answered with {@code contacts} (closer nodes it knows). */
    public void onReply(NodeId from, List<Contact> contacts) {
        Candidate c = candidates.get(from);
        if (c == null || c.state != State.IN_FLIGHT) {
            return;
        }
        c.state = State.ANSWERED;
        inFlight--;
        for (Contact learned : contacts) {
            add(learned, c.depth + 1);
        }
    }

    /** {@code from} did not answer (timeout, error): it is dropped from the result. */
    public void onFailure(NodeId from) {
        Candidate c = candidates.get(from);
        if (c == null || c.state != State.IN_FLIGHT) {
            return;
        }
        c.state = State.FAILED;
        inFlight--;
        failed++;
    }

    /** True when the k closest non-failed candidates have all answered (or none is left to ask). */
    public boolean done() {
        int considered = 0;
        for (Candidate c : candidates.values()) {
            if (c.state == State.FAILED) {
                continue;
            }
            if (++considered > k) {
                break;
            }
            if (c.state != State.ANSWERED) {
                return false;
            }
        }
        return true;
    }

    /** The closest contacts that answered, nearest first, at most k. */
    public List<Contact> result() {
        List<Contact> out = new ArrayList<>(k);
        for (Candidate c : candidates.values()) {
            if (c.state == State.ANSWERED) {
                out.add(c.contact);
                if (out.size() == k) {
                    break;
                }
            }
        }
        return out;
    }

    /** Rounds until the closest node of the result was found (see class comment); 0 if none. */
    public int hops() {
        for (Map.Entry<NodeId, Candidate> e : candidates.entrySet()) {
            if (e.getValue().state == State.ANSWERED) {
                return e.getValue().depth;
            }
        }
        return 0;
    }

    /** In-flight count matches the candidates' states; self and edge peers never enter. */
    public void checkInvariants() {
        int flying = 0;
        int failedCount = 0;
        for (Map.Entry<NodeId, Candidate> e : candidates.entrySet()) {
            Candidate c = e.getValue();
            if (c.contact.id().equals(self) || !c.contact.superPeer() || !c.contact.id().equals(e.getKey())) {
                throw new IllegalStateException("invalid lookup candidate " + e.getKey().shortHex());
            }
            if (c.state == State.IN_FLIGHT) {
                flying++;
            } else if (c.state == State.FAILED) {
                failedCount++;
            }
        }
        if (flying != inFlight || failedCount != failed || inFlight > alpha) {
            throw new IllegalStateException("lookup bookkeeping broken: inFlight=" + inFlight + " counted=" + flying);
        }
    }

    public int queried() {
        return queried;
    }

    public int failed() {
        return failed;
    }

    public int inFlight() {
        return inFlight;
    }
}
