package io.starling.gateway.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldValidatorTest {
    private static final ObjectMapper M = new ObjectMapper();

    @Test
    void reportsUnknownFieldsWithKubernetesPaths() throws Exception {
        String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"labels\":{\"any\":\"thing\"},\"nam\":1},"
                + "\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"i\",\"resources\":{\"limits\":{\"cpu\":\"1\"}}},"
                + "{\"name\":\"b\",\"imagee\":\"i\",\"ports\":[{\"containerPort\":80,\"protocl\":\"TCP\"}]}]},\"extra\":{}}";
        assertEquals(List.of("metadata.nam", "spec.containers[1].imagee", "spec.containers[1].ports[0].protocl", "extra"),
                FieldValidator.unknownFields(M.readTree(pod), Pod.class));
    }

    @Test
    void knownFieldsPass() throws Exception {
        String d = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\",\"annotations\":{\"a\":\"b\"}},"
                + "\"spec\":{\"replicas\":1,\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":\"25%\"}},"
                + "\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"env\":[{\"name\":\"X\",\"valueFrom\":{\"fieldRef\":"
                + "{\"fieldPath\":\"metadata.name\"}}}]}],\"tolerations\":[{\"key\":\"k\",\"operator\":\"Exists\"}]}}},"
                + "\"status\":{\"replicas\":1}}";
        assertEquals(List.of(), FieldValidator.unknownFields(M.readTree(d), Deployment.class));
    }
}
