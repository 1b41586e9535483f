package io.starling.runtime.containerd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestImageTest {
    @TempDir
    Path dir;

    /** Reads a ustar stream into name -> (type, data or link target), checking header checksums. */
    static Map<String, String[]> entries(byte[] tar) throws IOException {
        Map<String, String[]> out = new TreeMap<>();
        ByteArrayInputStream in = new ByteArrayInputStream(tar);
        byte[] h = new byte[512];
        while (in.readNBytes(h, 0, 512) == 512 && h[0] != 0) {
            long sum = 0;
            for (int i = 0; i < 512; i++) {
                sum += (i >= 148 && i < 156) ? ' ' : h[i] & 0xff;
            }
            long stored = Long.parseLong(new String(h, 148, 6, StandardCharsets.US_ASCII).trim(), 8);
            assertEquals(stored, sum, "header checksum");
            String name = new String(h, 0, 100, StandardCharsets.US_ASCII).replace("\0", "");
            long size = Long.parseLong(new String(h, 124, 11, StandardCharsets.US_ASCII), 8);
            char type = (char) h[156];
            byte[] data = in.readNBytes((int) size);
            in.skipNBytes((512 - size % 512) % 512);
            String link = new String(h, 157, 100, StandardCharsets.US_ASCII).replace("\0", "");
            out.put(name, new String[] {String.valueOf(type), type == '2' ? link : new String(data, StandardCharsets.ISO_8859_1)});
        }
        return out;
    }

    @Test
    void buildsAnOciLayoutWithBothImagesSharingOneLayer() throws Exception {
        Path fakeBusybox = dir.resolve("busybox");
        Files.writeString(fakeBusybox, "#!/bin/true\n");
        Path out = TestImage.build(fakeBusybox, dir.resolve("img.tar"));
        byte[] tar = Files.readAllBytes(out);
        assertArrayEquals(tar, Files.readAllBytes(TestImage.build(fakeBusybox, dir.resolve("again.tar"))), "reproducible");

        Map<String, String[]> files = entries(tar);
        ObjectMapper json = new ObjectMapper();
        JsonNode index = json.readTree(files.get("index.json")[1]);
        assertEquals(2, index.get("manifests").size());
        assertEquals(TestImage.BUSYBOX, index.get("manifests").get(0).get("annotations").get("io.containerd.image.name").asText());
        assertEquals(TestImage.PAUSE, index.get("manifests").get(1).get("annotations").get("io.containerd.image.name").asText());
        for (JsonNode m : index.get("manifests")) {
            String manifestText = files.get("blobs/sha256/" + m.get("digest").asText().substring(7))[1];
            assertEquals(m.get("digest").asText(), TestImage.sha256(manifestText.getBytes(StandardCharsets.ISO_8859_1)));
            JsonNode manifest = json.readTree(manifestText);
            String layerDigest = manifest.get("layers").get(0).get("digest").asText();
            byte[] layer = files.get("blobs/sha256/" + layerDigest.substring(7))[1].getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(layerDigest, TestImage.sha256(layer), "layer digest");
            JsonNode config = json.readTree(files.get("blobs/sha256/" + manifest.get("config").get("digest").asText().substring(7))[1]);
            assertEquals(layerDigest, config.get("rootfs").get("diff_ids").get(0).asText());
            Map<String, String[]> rootfs = entries(layer);
            assertEquals("busybox", rootfs.get("bin/sh")[1]);
            assertEquals("#!/bin/true\n", rootfs.get("bin/busybox")[1]);
            assertTrue(rootfs.containsKey("tmp/"));
        }
        JsonNode pauseManifest = json.readTree(files.get("blobs/sha256/" + index.get("manifests").get(1).get("digest").asText().substring(7))[1]);
        JsonNode pauseConfig = json.readTree(files.get("blobs/sha256/" + pauseManifest.get("config").get("digest").asText().substring(7))[1]);
        assertEquals("[\"sleep\",\"2147483647\"]", pauseConfig.get("config").get("Cmd").toString(), "the sandbox image keeps running");
    }
}
