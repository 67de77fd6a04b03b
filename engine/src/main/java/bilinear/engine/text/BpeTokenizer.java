package bilinear.engine.text;

import bilinear.engine.BadInputException;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte-level BPE (GPT-2 style). Ids 0–255 are single bytes; merge number i makes id 256 + i from
 * a pair of ids. Text is first cut into pre-tokens (a word with its leading space, a number, a run
 * of punctuation, whitespace) and merges never cross them.
 *
 * <p>Encoding a pre-token repeatedly merges, everywhere left to right without overlap, the
 * adjacent pair with the lowest merge number — which gives the same segmentation as replaying the
 * training merges in order. The JSON file format ({@code merges}, {@code tokens}, {@code lowercase})
 * is shared with the reference tokenizer script, so either side can read the other's.
 */
public final class BpeTokenizer {
    /** The ASCII version of GPT-2's pre-tokenization pattern. */
    public static final String PRETOKENIZE = " ?[A-Za-z]+| ?[0-9]+| ?[^\\sA-Za-z0-9]+|\\s+(?!\\S)|\\s+";
    private static final Pattern PATTERN = Pattern.compile(PRETOKENIZE);

    private final int[][] merges;
    private final Map<Long, Integer> rank = new HashMap<>();
    private final byte[][] vocab;
    private final boolean lowercase;
    private final Map<String, int[]> cache = new HashMap<>();

    public BpeTokenizer(int[][] merges, boolean lowercase) {
        this.merges = merges;
        this.lowercase = lowercase;
        this.vocab = new byte[256 + merges.length][];
        for (int i = 0; i < 256; i++) {
            vocab[i] = new byte[] {(byte) i};
        }
        for (int i = 0; i < merges.length; i++) {
            int a = merges[i][0], b = merges[i][1];
            if (a < 0 || b < 0 || a >= 256 + i || b >= 256 + i) {
                throw new BadInputException("tokenizer merge " + i + " refers to an id not yet defined: " + Arrays.toString(merges[i]));
            }
            vocab[256 + i] = concat(vocab[a], vocab[b]);
            rank.put(pair(a, b), i);
        }
    }

    private static long pair(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public int vocabSize() {
        return vocab.length;
    }

    public boolean lowercase() {
        return lowercase;
    }

    /** The text's pre-tokens (after lowercasing when the tokenizer does). */
    public static List<String> pretokenize(String text, boolean lowercase) {
        String t = lowercase ? text.toLowerCase(Locale.ROOT) : text;
        List<String> out = new ArrayList<>();
        Matcher m = PATTERN.matcher(t);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** Trains merges until the vocabulary has {@code vocabSize} ids. */
    public static BpeTokenizer train(String text, int vocabSize, boolean lowercase) {
        if (vocabSize < 256 || vocabSize > 65536) {
            throw new BadInputException("--vocab must be between 256 and 65536, got " + vocabSize);
        }
        return new BpeTokenizer(BpeTrainer.merges(pretokenize(text, lowercase), vocabSize - 256), lowercase);
    }

    /** Ids of one pre-token. */
    int[] encodeWord(String word) {
        int[] cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        int[] w = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            w[i] = bytes[i] & 0xff;
        }
        int n = w.length;
        while (n > 1) {
            int best = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < n; i++) {
                Integer r = rank.get(pair(w[i], w[i + 1]));
                if (r != null && r < best) {
                    best = r;
                }
            }
            if (best == Integer.MAX_VALUE) {
                break;
            }
            n = BpeTrainer.mergeInPlace(w, n, merges[best][0], merges[best][1], 256 + best);
        }
        int[] out = Arrays.copyOf(w, n);
        cache.put(word, out);
        return out;
    }

    public int[] encode(String text) {
        IntList out = new IntList(text.length() / 3 + 16);
        for (String word : pretokenize(text, lowercase)) {
            out.addAll(encodeWord(word));
        }
        return out.toArray();
    }

    public String decode(int[] ids, int from, int to) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            if (ids[i] < 0 || ids[i] >= vocab.length) {
                throw new IllegalArgumentException("token id " + ids[i] + " outside the vocabulary");
            }
            bytes.writeBytes(vocab[ids[i]]);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    public String decode(int[] ids) {
        return decode(ids, 0, ids.length);
    }

    /** The bytes of one token as text (invalid UTF-8 shown with replacement characters). */
    public String token(int id) {
        return new String(vocab[id], StandardCharsets.UTF_8);
    }

    public void save(Path path) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "byte-level BPE");
        o.addProperty("vocab_size", vocab.length);
        o.addProperty("lowercase", lowercase);
        o.addProperty("pretokenize_regex", PRETOKENIZE);
        o.addProperty("byte_ids", "id i < 256 is the single byte i");
        JsonArray m = new JsonArray();
        for (int[] p : merges) {
            JsonArray a = new JsonArray();
            a.add(p[0]);
            a.add(p[1]);
            m.add(a);
        }
        o.add("merges", m);
        JsonArray tokens = new JsonArray();
        for (byte[] t : vocab) {
            tokens.add(new String(t, StandardCharsets.ISO_8859_1));
        }
        o.add("tokens", tokens);
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        byte[] json = gson.toJson(o).getBytes(StandardCharsets.UTF_8);
        bilinear.engine.io.AtomicFiles.write(path, ch -> {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(json);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        });
    }

    public static BpeTokenizer load(Path path) {
        try {
            JsonElement root = JsonParser.parseString(Files.readString(path, StandardCharsets.UTF_8));
            JsonObject o = root.getAsJsonObject();
            JsonArray m = o.getAsJsonArray("merges");
            if (m == null) {
                throw new BadInputException(path + ": not a tokenizer file (no \"merges\")");
            }
            int[][] merges = new int[m.size()][2];
            for (int i = 0; i < merges.length; i++) {
                JsonArray p = m.get(i).getAsJsonArray();
                merges[i][0] = p.get(0).getAsInt();
                merges[i][1] = p.get(1).getAsInt();
            }
            boolean lower = o.has("lowercase") && o.get("lowercase").getAsBoolean();
            return new BpeTokenizer(merges, lower);
        } catch (NoSuchFileException e) {
            throw new BadInputException("no such tokenizer file: " + path);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + path + ": " + e.getMessage());
        } catch (JsonParseException | IllegalStateException | ClassCastException | IndexOutOfBoundsException
                 | UnsupportedOperationException | NullPointerException e) {
            throw new BadInputException(path + ": not a valid tokenizer file (" + e.getMessage() + ")");
        }
    }

    /** A growable int array. */
    static final class IntList {
        private int[] a;
        private int n;

        IntList(int capacity) {
            a = new int[Math.max(16, capacity)];
        }

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        void addAll(int[] vs) {
            if (n + vs.length > a.length) {
                a = Arrays.copyOf(a, Math.max(a.length * 2, n + vs.length));
            }
            System.arraycopy(vs, 0, a, n, vs.length);
            n += vs.length;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
