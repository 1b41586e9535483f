package io.starling.gateway.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Guards the recursive patch algorithms against hostile nesting: a tree deeper than
 * {@link #MAX_DEPTH} levels is rejected with 400 before any recursion starts. The check itself is
 * iterative, so it cannot overflow the stack it protects.
 */
final class JsonDepth {
    /** Kubernetes objects nest a few dozen levels at most; this leaves room for custom resources. */
    static final int MAX_DEPTH = 256;

    private JsonDepth() {}

    static void require(JsonNode root, String what) {
        if (root == null || !root.isContainerNode()) {
            return;
        }
        Deque<JsonNode> nodes = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        while (!nodes.isEmpty()) {
            JsonNode node = nodes.pop();
            int depth = depths.pop();
            if (depth > MAX_DEPTH) {
                throw new PatchException(400, "BadRequest", what + " nests deeper than " + MAX_DEPTH + " levels");
            }
            for (JsonNode child : node) {
                if (child.isContainerNode()) {
                    nodes.push(child);
                    depths.push(depth + 1);
                }
            }
        }
    }
}
