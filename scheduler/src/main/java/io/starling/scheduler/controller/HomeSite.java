package io.starling.scheduler.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.starling.dht.kube.StarlingLabels;
import java.util.Map;

/**
 * Which objects this site's controllers own: those annotated {@code starling.io/home-site} with
 * this site, plus unannotated ones when this site is the configured default home. Nodes belong to
 * the site in their {@code starling.io/site} label (same default rule).
 */
public final class HomeSite {
    private final ControllerConfig cfg;

    public HomeSite(ControllerConfig cfg) {
        this.cfg = cfg;
    }

    public String site() {
        return cfg.site();
    }

    public boolean isMine(HasMetadata obj) {
        Map<String, String> ann = obj.getMetadata().getAnnotations();
        String home = ann == null ? null : ann.get(StarlingLabels.HOME_SITE);
        return home == null || home.isEmpty() ? cfg.site().equals(cfg.defaultHomeSite()) : cfg.site().equals(home);
    }

    public boolean isMyNode(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        String site = labels == null ? null : labels.get(StarlingLabels.SITE);
        return site == null || site.isEmpty() ? cfg.site().equals(cfg.defaultHomeSite()) : cfg.site().equals(site);
    }
}
