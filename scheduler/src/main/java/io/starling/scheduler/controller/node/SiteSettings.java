package io.starling.scheduler.controller.node;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.starling.scheduler.controller.ControllerConfig;
import io.starling.scheduler.queue.SharedInformer;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A site's own node-failure timing, set by operators with kubectl and kept in the store like any
 * object, so each site (also during a partition, on its own copy) decides how fast it gives up on a
 * node: ConfigMap {@code kube-system/starling-settings-<site>} (not starling-site-*: those are the capacity summaries) with keys {@value #NODE_GRACE_PERIOD}
 * and {@value #POD_EVICTION_TIMEOUT} as durations ("5s", "1m30s", "800ms", or plain seconds).
 * Missing or invalid values fall back to the controller's defaults (10 s each), logged once per
 * distinct bad value.
 */
public final class SiteSettings {
    public static final String NAMESPACE = "kube-system";
    public static final String NODE_GRACE_PERIOD = "node-grace-period";
    public static final String POD_EVICTION_TIMEOUT = "pod-eviction-timeout";
    /** A node must miss several lease renewals (every 2.5 s) before it is given up. */
    static final long MIN_NODE_GRACE_MILLIS = 3_000;
    private static final Logger LOG = Logger.getLogger(SiteSettings.class.getName());
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private final SharedInformer<ConfigMap> configMaps;
    private final ControllerConfig defaults;
    private String lastBadValue;

    public SiteSettings(SharedInformer<ConfigMap> kubeSystemConfigMaps, ControllerConfig defaults) {
        this.configMaps = kubeSystemConfigMaps;
        this.defaults = defaults;
    }

    public static String configMapName(String site) {
        return "starling-settings-" + site;
    }

    public long nodeGracePeriodMillis() {
        return Math.max(MIN_NODE_GRACE_MILLIS, value(NODE_GRACE_PERIOD, defaults.nodeGracePeriodMillis()));
    }

    public long podEvictionTimeoutMillis() {
        return value(POD_EVICTION_TIMEOUT, defaults.podEvictionTimeoutMillis());
    }

    private long value(String key, long dflt) {
        ConfigMap cm = configMaps.get(NAMESPACE, configMapName(defaults.site()));
        Map<String, String> data = cm == null ? null : cm.getData();
        String text = data == null ? null : data.get(key);
        if (text == null) {
            return dflt;
        }
        long parsed = parseMillis(text);
        if (parsed < 0) {
            if (!text.equals(lastBadValue)) {
                lastBadValue = text;
                LOG.warning(configMapName(defaults.site()) + ": " + key + " '" + text
                        + "' is not a duration such as 10s, 1m30s or 800ms; using " + dflt + " ms");
            }
            return dflt;
        }
        return parsed;
    }

    /** Go-style duration (units ms, s, m, h, combinable) or whole seconds; -1 when invalid. */
    static long parseMillis(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.matches("\\d{1,9}")) {
            return Long.parseLong(t) * 1000;
        }
        if (t.isEmpty() || t.length() > 32) {
            return -1;
        }
        Matcher m = PART.matcher(t);
        long total = 0;
        int at = 0;
        while (at < t.length()) {
            if (!m.find(at) || m.start() != at) {
                return -1;
            }
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
            at = m.end();
        }
        return total;
    }
}
