package io.starling.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * One page of a list ({@code limit} and {@code continue}): items ordered by namespace and name, at
 * most {@code limit} of them, and a token naming the last one when more follow. kubectl asks for
 * pages of 500; clients listing big collections often (informers, the api-latency bench) ask for
 * less, and without paging every such list parsed and encoded the whole collection.
 *
 * <p>Unlike kube-apiserver, which serves every page from the first page's revision out of etcd's
 * history, a next page is read from the current state: objects created or deleted in between may
 * appear or be missed, as if the list were a snapshot of the moment each page was read.
 *
 * @param continueToken {@code null} on the last page
 */
record ListPage(List<ObjectNode> items, String continueToken) {
    /** Largest page a client may ask for; bigger limits are served as this. */
    static final int MAX_LIMIT = 10_000;
    private static final char SEP = '\u0000';

    /**
     * Where a page starts and how long it is, parsed before the store is read.
     *
     * @param max 0 = no limit
     * @param after key of the last item of the previous page, {@code null} = from the start
     */
    record Cursor(int max, String after) {
        /**
         * @param limit the {@code limit} parameter ({@code null}, blank or 0 = everything)
         * @param continueToken the {@code continue} parameter ({@code null} or blank = from the start)
         * @throws ApiException 400 on a malformed limit or token
         */
        static Cursor parse(String limit, String continueToken) {
            return new Cursor(parseLimit(limit),
                    continueToken == null || continueToken.isBlank() ? null : decode(continueToken));
        }

        ListPage page(List<ObjectNode> all) {
            return ListPage.of(all, max, after);
        }
    }

    private static ListPage of(List<ObjectNode> all, int max, String after) {
        if (max == 0 && after == null) {
            return new ListPage(all, null);
        }
        List<ObjectNode> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(ListPage::key));
        List<ObjectNode> page = new ArrayList<>();
        String token = null;
        for (ObjectNode o : sorted) {
            String k = key(o);
            if (after != null && k.compareTo(after) <= 0) {
                continue;
            }
            if (max > 0 && page.size() == max) {
                token = encode(key(page.get(page.size() - 1)));
                break;
            }
            page.add(o);
        }
        return new ListPage(page, token);
    }

    private static int parseLimit(String limit) {
        if (limit == null || limit.isBlank()) {
            return 0;
        }
        try {
            long n = Long.parseLong(limit.trim());
            if (n < 0) {
                throw ApiException.badRequest("limit must not be negative: " + limit);
            }
            return (int) Math.min(n, MAX_LIMIT);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit must be a number: " + limit);
        }
    }

    private static String key(ObjectNode o) {
        return o.path("metadata").path("namespace").asText("") + SEP + o.path("metadata").path("name").asText("");
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        String key;
        try {
            key = new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed continue token");
        }
        if (key.indexOf(SEP) < 0) {
            throw ApiException.badRequest("malformed continue token");
        }
        return key;
    }
}
