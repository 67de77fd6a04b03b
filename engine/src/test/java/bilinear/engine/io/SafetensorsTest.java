package bilinear.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.engine.BadInputException;
import bilinear.engine.TestSupport;
import bilinear.linalg.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    /** A file laid out by hand from the spec, independent of the writer under test. */
    static byte[] handMade(String headerJson, byte[] data) {
        byte[] h = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    @Test
    void roundTripKeepsShapesValuesAndMetadata() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("b", TestSupport.gaussian(1, 1f, 3, 5));
        t.put("a", TestSupport.gaussian(2, 1f, 7));
        t.put("scalar", Tensor.zeros(1));
        Path p = dir.resolve("x.safetensors");
        Safetensors.write(p, t, Map.of("note", "ünïcode <ok> = fine"));
        Safetensors.Contents c = Safetensors.read(p);
        assertEquals(Map.of("note", "ünïcode <ok> = fine"), c.metadata());
        for (String k : t.keySet()) {
            assertEquals(t.get(k).shape(), c.tensors().get(k).shape());
            assertArrayEquals(t.get(k).data(), c.tensors().get(k).data());
        }
    }

    @Test
    void readsAHandMadeFileWithOtherFloatTypes() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(4 + 8 + 2 + 2).order(ByteOrder.LITTLE_ENDIAN);
        data.putFloat(1.5f).putDouble(-2.25).putShort(Float.floatToFloat16(0.5f)).putShort((short) (Float.floatToIntBits(3f) >>> 16));
        String header = "{\"f\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[4,12]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[12,14]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[14,16]}}";
        Path p = dir.resolve("hand.safetensors");
        Files.write(p, handMade(header, data.array()));
        Map<String, Tensor> t = Safetensors.read(p).tensors();
        assertEquals(1.5f, t.get("f").data()[0]);
        assertEquals(-2.25f, t.get("d").data()[0]);
        assertEquals(0.5f, t.get("h").data()[0]);
        assertEquals(3f, t.get("b").data()[0]);
    }

    @Test
    void eachMalformationHasItsOwnMessage() throws IOException {
        String ok = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        byte[] good = handMade(ok, floats(1, 2));
        expect("empty", new byte[3], "truncated");
        expect("cut", Arrays.copyOf(good, good.length - 2), "truncated");
        expect("cutheader", Arrays.copyOf(good, 20), "truncated");
        expect("emptyheader", handMade("{}", new byte[0]), null);
        byte[] huge = good.clone();
        huge[7] = 0x7f;
        expect("badlen", huge, "bad header length");
        expect("json", handMade("{\"w\":{\"dtype\":", floats(1, 2)), "invalid JSON");
        expect("notobject", handMade("[1,2]", new byte[0]), "not an object");
        expect("dtype", handMade(ok.replace("F32", "I32"), floats(1, 2)), "dtype I32");
        expect("span", handMade(ok.replace("[2]", "[3]"), floats(1, 2)), "needs 12 bytes");
        expect("neg", handMade(ok.replace("[2]", "[-2]"), floats(1, 2)), "invalid shape");
        expect("trailing", handMade(ok, floats(1, 2, 3)), "unexpected bytes");
        expect("overlap", handMade("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", floats(1, 2)), "overlaps");
        expect("meta", handMade("{\"__metadata__\":{\"k\":3}}", new byte[0]), "not a string");
        BadInputException none = assertThrows(BadInputException.class, () -> Safetensors.read(dir.resolve("nope")));
        assertTrue(none.getMessage().startsWith("no such file"), none.getMessage());
    }

    private void expect(String name, byte[] bytes, String fragment) throws IOException {
        Path p = dir.resolve(name + ".safetensors");
        Files.write(p, bytes);
        if (fragment == null) {
            Safetensors.read(p);  // a valid (empty) file
            return;
        }
        BadInputException e = assertThrows(BadInputException.class, () -> Safetensors.read(p), name);
        assertTrue(e.getMessage().contains(fragment), name + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(p.toString()), "names the file: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path p = dir.resolve("m.safetensors");
        Safetensors.write(p, Map.of("w", TestSupport.gaussian(3, 1f, 4)), Map.of());
        byte[] before = Files.readAllBytes(p);
        assertThrows(RuntimeException.class, () -> AtomicFiles.write(p, ch -> {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            throw new IOException("disk full (simulated)");
        }));
        assertArrayEquals(before, Files.readAllBytes(p));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }
}
