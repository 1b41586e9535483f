package io.starling.runtime.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Materializes a pod's volumes under {@code <dataDir>/pods/<uid>/volumes/<name>}: emptyDir (a
 * directory; medium Memory is not a tmpfs here), configMap, secret, downwardAPI and projected
 * (configMap, secret, downwardAPI sources) as files with their modes (defaultMode, per-item mode),
 * and hostPath as the host path itself. Files are rewritten only when their bytes change and
 * removed when their key disappears, so a ConfigMap update reaches a running container. Blocking;
 * runs on the worker executor.
 */
final class VolumeBuilder {
    private static final int DEFAULT_MODE = 0644;

    private VolumeBuilder() {}

    static Path podDir(Path dataDir, String uid) {
        return dataDir.resolve("pods").resolve(uid);
    }

    /** Returns volume name -> host path; throws ConfigException for a missing source. */
    static Map<String, Path> build(Path podDir, PodInputs inputs, EnvResolver.NodeFacts node) throws ConfigException, IOException {
        Pod pod = inputs.pod();
        TreeMap<String, Path> out = new TreeMap<>();
        if (pod.getSpec().getVolumes() == null) {
            return out;
        }
        for (Volume v : pod.getSpec().getVolumes()) {
            Path dir = podDir.resolve("volumes").resolve(safe(v.getName()));
            if (v.getHostPath() != null) {
                out.put(v.getName(), Path.of(v.getHostPath().getPath()));
                continue;
            }
            if (v.getEmptyDir() != null) {
                Files.createDirectories(dir);
            } else if (v.getConfigMap() != null) {
                var src = v.getConfigMap();
                ConfigMap cm = inputs.configMaps().get(src.getName());
                TreeMap<String, FileSpec> files = new TreeMap<>();
                if (cm == null) {
                    if (!Boolean.TRUE.equals(src.getOptional())) {
                        throw new ConfigException("configmap \"" + src.getName() + "\" not found");
                    }
                } else {
                    addKeys(files, EnvResolver.configMapBytes(cm), src.getItems(), mode(src.getDefaultMode()), "configmap " + src.getName());
                }
                sync(dir, files);
            } else if (v.getSecret() != null) {
                var src = v.getSecret();
                Secret s = inputs.secrets().get(src.getSecretName());
                TreeMap<String, FileSpec> files = new TreeMap<>();
                if (s == null) {
                    if (!Boolean.TRUE.equals(src.getOptional())) {
                        throw new ConfigException("secret \"" + src.getSecretName() + "\" not found");
                    }
                } else {
                    addKeys(files, EnvResolver.secretData(s), src.getItems(), mode(src.getDefaultMode()), "secret " + src.getSecretName());
                }
                sync(dir, files);
            } else if (v.getDownwardAPI() != null) {
                TreeMap<String, FileSpec> files = new TreeMap<>();
                addDownward(files, pod, v.getDownwardAPI().getItems(), mode(v.getDownwardAPI().getDefaultMode()), node);
                sync(dir, files);
            } else if (v.getProjected() != null) {
                int defMode = mode(v.getProjected().getDefaultMode());
                TreeMap<String, FileSpec> files = new TreeMap<>();
                for (VolumeProjection p : v.getProjected().getSources() == null ? List.<VolumeProjection>of() : v.getProjected().getSources()) {
                    if (p.getConfigMap() != null) {
                        ConfigMap cm = inputs.configMaps().get(p.getConfigMap().getName());
                        if (cm == null && !Boolean.TRUE.equals(p.getConfigMap().getOptional())) {
                            throw new ConfigException("configmap \"" + p.getConfigMap().getName() + "\" not found");
                        }
                        if (cm != null) {
                            addKeys(files, EnvResolver.configMapBytes(cm), p.getConfigMap().getItems(), defMode, "configmap " + p.getConfigMap().getName());
                        }
                    } else if (p.getSecret() != null) {
                        Secret s = inputs.secrets().get(p.getSecret().getName());
                        if (s == null && !Boolean.TRUE.equals(p.getSecret().getOptional())) {
                            throw new ConfigException("secret \"" + p.getSecret().getName() + "\" not found");
                        }
                        if (s != null) {
                            addKeys(files, EnvResolver.secretData(s), p.getSecret().getItems(), defMode, "secret " + p.getSecret().getName());
                        }
                    } else if (p.getDownwardAPI() != null) {
                        addDownward(files, pod, p.getDownwardAPI().getItems(), defMode, node);
                    }
                    // serviceAccountToken / clusterTrustBundle sources: no token issuer yet, skipped.
                }
                sync(dir, files);
            } else {
                throw new ConfigException("volume \"" + v.getName() + "\": only emptyDir, configMap, secret, downwardAPI, "
                        + "projected and hostPath volumes are supported");
            }
            out.put(v.getName(), dir);
        }
        return out;
    }

    private record FileSpec(byte[] data, int mode) {}

    private static void addKeys(Map<String, FileSpec> files, Map<String, byte[]> data, List<KeyToPath> items, int defMode,
                                String what) throws ConfigException {
        if (items == null || items.isEmpty()) {
            for (Map.Entry<String, byte[]> e : data.entrySet()) {
                files.put(e.getKey(), new FileSpec(e.getValue(), defMode));
            }
            return;
        }
        for (KeyToPath item : items) {
            byte[] v = data.get(item.getKey());
            if (v == null) {
                throw new ConfigException("key \"" + item.getKey() + "\" not found in " + what);
            }
            files.put(checkPath(item.getPath()), new FileSpec(v, item.getMode() == null ? defMode : item.getMode()));
        }
    }

    private static void addDownward(Map<String, FileSpec> files, Pod pod, List<DownwardAPIVolumeFile> items, int defMode,
                                    EnvResolver.NodeFacts node) throws ConfigException {
        if (items == null) {
            return;
        }
        for (DownwardAPIVolumeFile f : items) {
            String value;
            if (f.getFieldRef() != null) {
                value = EnvResolver.fieldRef(pod, f.getFieldRef(), node);
            } else if (f.getResourceFieldRef() != null) {
                var c = EnvResolver.allContainers(pod).stream()
                        .filter(x -> x.getName().equals(f.getResourceFieldRef().getContainerName())).findFirst()
                        .orElseThrow(() -> new ConfigException("downwardAPI: no container " + f.getResourceFieldRef().getContainerName()));
                value = EnvResolver.resourceFieldRef(pod, c, f.getResourceFieldRef(), node);
            } else {
                continue;
            }
            files.put(checkPath(f.getPath()), new FileSpec(value.getBytes(StandardCharsets.UTF_8), f.getMode() == null ? defMode : f.getMode()));
        }
    }

    private static String checkPath(String p) throws ConfigException {
        if (p == null || p.isEmpty() || p.startsWith("/") || Arrays.asList(p.split("/")).contains("..")) {
            throw new ConfigException("invalid volume item path \"" + p + "\"");
        }
        return p;
    }

    /** Makes {@code dir} hold exactly {@code files}. */
    private static void sync(Path dir, Map<String, FileSpec> files) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, FileSpec> e : files.entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            if (!Files.exists(f) || !Arrays.equals(Files.readAllBytes(f), e.getValue().data())) {
                Path tmp = f.resolveSibling("." + f.getFileName() + ".tmp");
                Files.write(tmp, e.getValue().data());
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.setPosixFilePermissions(f, permissions(e.getValue().mode()));
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String rel = dir.relativize(p).toString();
                if (!files.containsKey(rel)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(order[i]);
            }
        }
        return s;
    }

    private static int mode(Integer m) {
        return m == null ? DEFAULT_MODE : m;
    }

    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
