package bilinear.engine.io;

import bilinear.engine.BadInputException;
import bilinear.linalg.Tensor;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format (huggingface.co/docs/safetensors): an 8-byte little-endian header
 * length N, N bytes of UTF-8 JSON ({@code "__metadata__"}: string → string, and per tensor
 * {@code dtype}, {@code shape}, {@code data_offsets} relative to the data buffer), then the raw
 * little-endian tensors, covering the buffer with no holes or overlaps.
 *
 * <p>Reading memory-maps the file (FFM) and copies each tensor out; F32 is read as is, F64, F16
 * and BF16 are converted to float32; any other dtype is refused. Writing is atomic and pads the
 * header with spaces to a multiple of 8 bytes, as the reference implementation does. Every
 * malformation is reported as one line naming the file and what is wrong.
 */
public final class Safetensors {
    private Safetensors() {
    }

    /** Header lengths above this are refused before allocating (a corrupt length field). */
    private static final long MAX_HEADER = 100L << 20;
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Tensors in file order and the metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    private record Entry(String name, String dtype, int[] shape, long begin, long end) {
    }

    public static Contents read(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long size = ch.size();
            if (size < 8) {
                throw bad(path, "truncated: " + size + " bytes, not even a header length");
            }
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long headerLen = file.get(LONG_LE, 0);
            if (headerLen <= 0 || headerLen > MAX_HEADER) {
                throw bad(path, "bad header length " + headerLen + " (not a safetensors file?)");
            }
            if (8 + headerLen > size) {
                throw bad(path, "truncated: header of " + headerLen + " bytes but the file has " + size);
            }
            byte[] headerBytes = file.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE);
            JsonObject header = parseHeader(path, new String(headerBytes, StandardCharsets.UTF_8));
            Map<String, String> metadata = metadata(path, header);
            List<Entry> entries = entries(path, header);
            long dataStart = 8 + headerLen;
            checkLayout(path, entries, size - dataStart);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                tensors.put(e.name, copyOut(file, dataStart, e));
            }
            return new Contents(tensors, metadata);
        } catch (NoSuchFileException e) {
            throw new BadInputException("no such file: " + path);
        } catch (AccessDeniedException e) {
            throw new BadInputException("cannot read " + path + ": permission denied");
        } catch (IOException e) {
            throw new BadInputException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static BadInputException bad(Path path, String what) {
        return new BadInputException(path + ": " + what);
    }

    private static JsonObject parseHeader(Path path, String json) {
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
            JsonElement root = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw bad(path, "bad header: invalid JSON (text after the header object)");
            }
            if (!root.isJsonObject()) {
                throw bad(path, "bad header: the JSON is not an object");
            }
            return root.getAsJsonObject();
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw bad(path, "bad header: invalid JSON (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Map<String, String> metadata(Path path, JsonObject header) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonElement m = header.get("__metadata__");
        if (m == null) {
            return out;
        }
        if (!m.isJsonObject()) {
            throw bad(path, "bad header: __metadata__ is not an object");
        }
        for (Map.Entry<String, JsonElement> e : m.getAsJsonObject().entrySet()) {
            if (!e.getValue().isJsonPrimitive() || !e.getValue().getAsJsonPrimitive().isString()) {
                throw bad(path, "bad header: __metadata__ value '" + e.getKey() + "' is not a string");
            }
            out.put(e.getKey(), e.getValue().getAsString());
        }
        return out;
    }

    private static List<Entry> entries(Path path, JsonObject header) {
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            if (!e.getValue().isJsonObject()) {
                throw bad(path, "bad header: entry '" + name + "' is not an object");
            }
            JsonObject o = e.getValue().getAsJsonObject();
            String dtype = string(path, o, name, "dtype");
            if (dtypeSize(dtype) < 0) {
                throw bad(path, "tensor '" + name + "' has dtype " + dtype
                        + "; model weights must be floating point (F32, F64, F16 or BF16)");
            }
            JsonArray shapeJson = array(path, o, name, "shape");
            int[] shape = new int[shapeJson.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = (int) nonNegative(path, shapeJson.get(i), name, "shape", Integer.MAX_VALUE);
            }
            JsonArray offsets = array(path, o, name, "data_offsets");
            if (offsets.size() != 2) {
                throw bad(path, "bad header: tensor '" + name + "' data_offsets must have two numbers");
            }
            long begin = nonNegative(path, offsets.get(0), name, "data_offsets", Long.MAX_VALUE);
            long end = nonNegative(path, offsets.get(1), name, "data_offsets", Long.MAX_VALUE);
            long numel = 1;
            for (int d : shape) {
                numel = Math.multiplyExact(numel, d);
            }
            if (numel > Integer.MAX_VALUE - 16) {
                throw bad(path, "tensor '" + name + "' with " + numel + " elements is too large");
            }
            if (end < begin || end - begin != numel * dtypeSize(dtype)) {
                throw bad(path, "tensor '" + name + "' of shape " + Arrays.toString(shape) + " and dtype " + dtype
                        + " needs " + numel * dtypeSize(dtype) + " bytes but data_offsets span [" + begin + ", " + end + ")");
            }
            out.add(new Entry(name, dtype, shape, begin, end));
        }
        return out;
    }

    private static String string(Path path, JsonObject o, String name, String field) {
        JsonElement v = o.get(field);
        if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            throw bad(path, "bad header: tensor '" + name + "' has no string '" + field + "'");
        }
        return v.getAsString();
    }

    private static JsonArray array(Path path, JsonObject o, String name, String field) {
        JsonElement v = o.get(field);
        if (v == null || !v.isJsonArray()) {
            throw bad(path, "bad header: tensor '" + name + "' has no array '" + field + "'");
        }
        return v.getAsJsonArray();
    }

    private static long nonNegative(Path path, JsonElement v, String name, String field, long max) {
        try {
            if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
                java.math.BigDecimal d = v.getAsBigDecimal();
                if (d.signum() >= 0 && d.scale() <= 0 && d.compareTo(java.math.BigDecimal.valueOf(max)) <= 0) {
                    return d.longValueExact();
                }
            }
        } catch (ArithmeticException | NumberFormatException ignored) {
            // reported below
        }
        throw bad(path, "bad header: tensor '" + name + "' has an invalid " + field + " value " + v);
    }

    /** Bytes per element, or −1 for dtypes that cannot hold weights. */
    private static int dtypeSize(String dtype) {
        return switch (dtype) {
            case "F32" -> 4;
            case "F64" -> 8;
            case "F16", "BF16" -> 2;
            default -> -1;
        };
    }

    private static void checkLayout(Path path, List<Entry> entries, long dataBytes) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Long.compare(a.begin, b.begin));
        long pos = 0;
        for (Entry e : sorted) {
            if (e.begin < pos) {
                throw bad(path, "bad header: tensor '" + e.name + "' overlaps the previous tensor's bytes");
            }
            if (e.begin > pos) {
                throw bad(path, "bad header: a hole of " + (e.begin - pos) + " bytes before tensor '" + e.name + "'");
            }
            pos = e.end;
        }
        if (pos > dataBytes) {
            throw bad(path, "truncated: the tensors need " + pos + " data bytes but the file holds " + dataBytes);
        }
        if (pos < dataBytes) {
            throw bad(path, (dataBytes - pos) + " unexpected bytes after the last tensor");
        }
    }

    private static Tensor copyOut(MemorySegment file, long dataStart, Entry e) {
        Tensor t = Tensor.zeros(e.shape);
        float[] dst = t.data();
        long at = dataStart + e.begin;
        switch (e.dtype) {
            case "F32" -> MemorySegment.copy(file, FLOAT_LE, at, dst, 0, dst.length);
            case "F64" -> {
                for (int i = 0; i < dst.length; i++) {
                    dst[i] = (float) file.get(DOUBLE_LE, at + 8L * i);
                }
            }
            case "F16" -> {
                for (int i = 0; i < dst.length; i++) {
                    dst[i] = Float.float16ToFloat(file.get(SHORT_LE, at + 2L * i));
                }
            }
            case "BF16" -> {
                for (int i = 0; i < dst.length; i++) {
                    dst[i] = Float.intBitsToFloat((file.get(SHORT_LE, at + 2L * i) & 0xffff) << 16);
                }
            }
            default -> throw new IllegalStateException(e.dtype);
        }
        return t;
    }

    /** Writes F32 tensors (sorted by name, as the reference writer does) and metadata, atomically. */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) {
        byte[] header = header(new TreeMap<>(tensors), metadata);
        AtomicFiles.write(path, ch -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            writeFully(ch, len);
            writeFully(ch, ByteBuffer.wrap(header));
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : new TreeMap<>(tensors).values()) {
                float[] d = t.data();
                for (int i = 0, n = t.size(); i < n; ) {
                    int chunk = Math.min(n - i, buf.capacity() / 4);
                    buf.clear();
                    buf.asFloatBuffer().put(d, i, chunk);
                    buf.limit(chunk * 4);
                    writeFully(ch, buf);
                    i += chunk;
                }
            }
        });
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static byte[] header(Map<String, Tensor> sorted, Map<String, String> metadata) {
        JsonObject h = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject m = new JsonObject();
            metadata.forEach(m::addProperty);
            h.add("__metadata__", m);
        }
        long off = 0;
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            JsonObject o = new JsonObject();
            o.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (int d : e.getValue().shape().dims()) {
                shape.add(d);
            }
            o.add("shape", shape);
            JsonArray offsets = new JsonArray();
            long bytes = 4L * e.getValue().size();
            offsets.add(off);
            offsets.add(off + bytes);
            o.add("data_offsets", offsets);
            off += bytes;
            h.add(e.getKey(), o);
        }
        String json = new GsonBuilder().disableHtmlEscaping().create().toJson(h);
        int pad = (int) ((8 - (8 + json.getBytes(StandardCharsets.UTF_8).length) % 8) % 8);
        return (json + " ".repeat(pad)).getBytes(StandardCharsets.UTF_8);
    }
}
