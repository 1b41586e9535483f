package io.starling.runtime.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.Secret;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes a container's environment the way the kubelet does: Service variables first
 * ({@link ServiceEnv}; anything the container sets overrides them), then envFrom (ConfigMap/Secret
 * keys, optional prefix), then env in order, each value expanded for {@code $(VAR)} references to
 * variables defined before it ({@code $$} escapes). valueFrom supports configMapKeyRef,
 * secretKeyRef, fieldRef (metadata.name/namespace/uid, metadata.labels['k'],
 * metadata.annotations['k'], spec.nodeName, spec.serviceAccountName, status.podIP, status.hostIP)
 * and resourceFieldRef (limits/requests cpu/memory with divisor; an unset limit reports node
 * capacity). Pure: all inputs are passed in.
 */
final class EnvResolver {
    private EnvResolver() {}

    /** Node facts fieldRef/resourceFieldRef need. */
    record NodeFacts(String nodeName, String hostIP, String podIP, long cpuMillis, long memoryBytes) {}

    static Map<String, String> resolve(Pod pod, Container c, PodInputs inputs, NodeFacts node) throws ConfigException {
        LinkedHashMap<String, String> env = ServiceEnv.of(pod, inputs.services());
        if (c.getEnvFrom() != null) {
            for (EnvFromSource f : c.getEnvFrom()) {
                String prefix = f.getPrefix() == null ? "" : f.getPrefix();
                if (f.getConfigMapRef() != null) {
                    ConfigMap cm = inputs.configMaps().get(f.getConfigMapRef().getName());
                    if (cm == null) {
                        if (Boolean.TRUE.equals(f.getConfigMapRef().getOptional())) {
                            continue;
                        }
                        throw new ConfigException("configmap \"" + f.getConfigMapRef().getName() + "\" not found");
                    }
                    configMapData(cm).forEach((k, v) -> env.put(prefix + k, v));
                }
                if (f.getSecretRef() != null) {
                    Secret s = inputs.secrets().get(f.getSecretRef().getName());
                    if (s == null) {
                        if (Boolean.TRUE.equals(f.getSecretRef().getOptional())) {
                            continue;
                        }
                        throw new ConfigException("secret \"" + f.getSecretRef().getName() + "\" not found");
                    }
                    secretData(s).forEach((k, v) -> env.put(prefix + k, new String(v, StandardCharsets.UTF_8)));
                }
            }
        }
        if (c.getEnv() != null) {
            for (EnvVar e : c.getEnv()) {
                String value;
                if (e.getValueFrom() != null) {
                    value = valueFrom(pod, c, e.getName(), e.getValueFrom(), inputs, node);
                    if (value == null) {
                        continue;
                    }
                } else {
                    value = expand(e.getValue() == null ? "" : e.getValue(), env);
                }
                env.put(e.getName(), value);
            }
        }
        return env;
    }

    private static String valueFrom(Pod pod, Container c, String var, EnvVarSource src, PodInputs inputs, NodeFacts node)
            throws ConfigException {
        if (src.getConfigMapKeyRef() != null) {
            var ref = src.getConfigMapKeyRef();
            ConfigMap cm = inputs.configMaps().get(ref.getName());
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            if (cm == null) {
                if (optional) {
                    return null;
                }
                throw new ConfigException("configmap \"" + ref.getName() + "\" not found");
            }
            String v = configMapData(cm).get(ref.getKey());
            if (v == null && !optional) {
                throw new ConfigException("couldn't find key " + ref.getKey() + " in ConfigMap " + inputs.namespace() + "/" + ref.getName());
            }
            return v;
        }
        if (src.getSecretKeyRef() != null) {
            var ref = src.getSecretKeyRef();
            Secret s = inputs.secrets().get(ref.getName());
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            if (s == null) {
                if (optional) {
                    return null;
                }
                throw new ConfigException("secret \"" + ref.getName() + "\" not found");
            }
            byte[] v = secretData(s).get(ref.getKey());
            if (v == null) {
                if (optional) {
                    return null;
                }
                throw new ConfigException("couldn't find key " + ref.getKey() + " in Secret " + inputs.namespace() + "/" + ref.getName());
            }
            return new String(v, StandardCharsets.UTF_8);
        }
        if (src.getFieldRef() != null) {
            return fieldRef(pod, src.getFieldRef(), node);
        }
        if (src.getResourceFieldRef() != null) {
            return resourceFieldRef(pod, c, src.getResourceFieldRef(), node);
        }
        throw new ConfigException("env " + var + ": unsupported valueFrom");
    }

    static String fieldRef(Pod pod, ObjectFieldSelector sel, NodeFacts node) throws ConfigException {
        String path = sel.getFieldPath();
        var meta = pod.getMetadata();
        if (path.startsWith("metadata.labels['") && path.endsWith("']")) {
            String k = path.substring("metadata.labels['".length(), path.length() - 2);
            return meta.getLabels() == null ? "" : meta.getLabels().getOrDefault(k, "");
        }
        if (path.startsWith("metadata.annotations['") && path.endsWith("']")) {
            String k = path.substring("metadata.annotations['".length(), path.length() - 2);
            return meta.getAnnotations() == null ? "" : meta.getAnnotations().getOrDefault(k, "");
        }
        return switch (path) {
            case "metadata.name" -> meta.getName();
            case "metadata.namespace" -> meta.getNamespace();
            case "metadata.uid" -> meta.getUid();
            case "metadata.labels" -> formatMap(meta.getLabels());
            case "metadata.annotations" -> formatMap(meta.getAnnotations());
            case "spec.nodeName" -> node.nodeName();
            case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName() == null ? "default" : pod.getSpec().getServiceAccountName();
            case "status.podIP", "status.podIPs" -> node.podIP();
            case "status.hostIP", "status.hostIPs" -> node.hostIP();
            default -> throw new ConfigException("unsupported fieldRef " + path);
        };
    }

    /** key="value" lines, sorted, like the downward API file format. */
    static String formatMap(Map<String, String> m) {
        if (m == null) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        new TreeMap<>(m).forEach((k, v) -> lines.add(k + "=\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\""));
        return String.join("\n", lines);
    }

    static String resourceFieldRef(Pod pod, Container c, ResourceFieldSelector sel, NodeFacts node) throws ConfigException {
        Container target = c;
        if (sel.getContainerName() != null && !sel.getContainerName().isEmpty()) {
            target = allContainers(pod).stream().filter(x -> x.getName().equals(sel.getContainerName())).findFirst()
                    .orElseThrow(() -> new ConfigException("resourceFieldRef: no container " + sel.getContainerName()));
        }
        String res = sel.getResource();
        boolean cpu = res.endsWith(".cpu");
        Quantity q = null;
        if (target.getResources() != null) {
            Map<String, Quantity> m = res.startsWith("limits.") ? target.getResources().getLimits() : target.getResources().getRequests();
            if (m != null) {
                q = m.get(cpu ? "cpu" : res.substring(res.indexOf('.') + 1));
            }
        }
        BigDecimal amount;
        if (q != null) {
            amount = Quantity.getAmountInBytes(q);
        } else if (res.startsWith("limits.")) {
            amount = cpu ? BigDecimal.valueOf(node.cpuMillis()).movePointLeft(3) : BigDecimal.valueOf(node.memoryBytes());
        } else {
            amount = BigDecimal.ZERO;
        }
        BigDecimal divisor = sel.getDivisor() == null ? BigDecimal.ONE : Quantity.getAmountInBytes(sel.getDivisor());
        if (divisor.signum() == 0) {
            throw new ConfigException("resourceFieldRef divisor must not be 0");
        }
        // The kubelet rounds up to the next integer (a cpu limit of 500m with divisor 1 reads as 1).
        return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }

    static List<Container> allContainers(Pod pod) {
        List<Container> all = new ArrayList<>();
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        if (pod.getSpec().getContainers() != null) {
            all.addAll(pod.getSpec().getContainers());
        }
        return all;
    }

    /** Expands $(VAR) with already defined variables; unknown references stay as written, $$ -> $. */
    static String expand(String s, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (ch == '$' && i + 1 < s.length()) {
                char next = s.charAt(i + 1);
                if (next == '$') {
                    out.append('$');
                    i += 2;
                    continue;
                }
                if (next == '(') {
                    int close = s.indexOf(')', i + 2);
                    if (close > 0) {
                        String name = s.substring(i + 2, close);
                        String v = env.get(name);
                        out.append(v != null ? v : s, v != null ? 0 : i, v != null ? v.length() : close + 1);
                        i = close + 1;
                        continue;
                    }
                }
            }
            out.append(ch);
            i++;
        }
        return out.toString();
    }

    static Map<String, String> configMapData(ConfigMap cm) {
        TreeMap<String, String> m = new TreeMap<>();
        if (cm.getData() != null) {
            m.putAll(cm.getData());
        }
        if (cm.getBinaryData() != null) {
            cm.getBinaryData().forEach((k, v) -> m.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return m;
    }

    static Map<String, byte[]> configMapBytes(ConfigMap cm) {
        TreeMap<String, byte[]> m = new TreeMap<>();
        if (cm.getData() != null) {
            cm.getData().forEach((k, v) -> m.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        if (cm.getBinaryData() != null) {
            cm.getBinaryData().forEach((k, v) -> m.put(k, Base64.getDecoder().decode(v)));
        }
        return m;
    }

    /** Secret data decoded (data is base64; stringData, if a writer left it, is plain). */
    static Map<String, byte[]> secretData(Secret s) {
        TreeMap<String, byte[]> m = new TreeMap<>();
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> {
                try {
                    m.put(k, Base64.getDecoder().decode(v));
                } catch (IllegalArgumentException e) {
                    m.put(k, v.getBytes(StandardCharsets.UTF_8));
                }
            });
        }
        if (s.getStringData() != null) {
            s.getStringData().forEach((k, v) -> m.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        return m;
    }
}
