package bilinear.bench;

import bilinear.engine.text.BpeTokenizer;
import bilinear.engine.text.Corpus;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The language-model side-by-side: trains the reference transformer recipe (2 layers, d_model
 * 256, bilinear MLP 1024, 4 heads, context 256, batch 16) with the engine ({@code ./bilinear lm
 * train}) and with the PyTorch reference ({@code bench/reference/torch_lm.py}) on the same tokens
 * of the King James Bible, for each thread count, and prints training tokens per second (median
 * step), validation bits per byte, whole-command time and peak memory, with the ratios. Run it
 * through {@code bench/compare-lm}.
 */
public final class CompareLm {
    private CompareLm() {
    }

    record Side(double tokensPerSecond, double bitsPerByte, double wallSeconds, double peakMiB) {
    }

    public static void main(String[] args) {
        BenchEnv.main(args, CompareLm::sideBySide);
    }

    private static void sideBySide(String[] args) throws Exception {
        List<Integer> threads = List.of(1, 2);
        int steps = 600;
        String gate = "bilinear";
        Path root = Path.of(".").toAbsolutePath().normalize();
        String python = "/usr/bin/python3";
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--threads" -> { threads = Compare.ints(v); i++; }
                case "--steps" -> { steps = Integer.parseInt(v); i++; }
                case "--gate" -> { gate = v; i++; }
                case "--root" -> { root = Path.of(v).toAbsolutePath().normalize(); i++; }
                case "--python" -> { python = v; i++; }
                case "-h", "--help" -> {
                    System.out.println("usage: bench/compare-lm [--threads 1,2] [--steps 600] [--gate bilinear|reglu|swiglu]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see --help)");
            }
        }
        Path work = Files.createTempDirectory("bilinear-compare-lm");
        Path data = work.resolve("data");
        Files.createDirectories(data);
        int vocab = writeTokens(data);
        String torchProblem = Compare.torchProblem(python);
        boolean torch = torchProblem == null;
        if (!torch) {
            System.out.println("PyTorch reference not available (" + torchProblem + "); " + Compare.INSTALL_HINT);
            System.out.println("running the engine alone.");
        } else {
            System.out.println(Compare.torchSetUp(Compare.torchEnv(1)));
        }
        System.out.printf("King James Bible, %d-token BPE, reference recipe, %s MLP, %d steps%n", vocab, gate, steps);
        System.out.printf("%-7s | %-13s %-13s %-8s | %-10s %-10s | %-9s %-9s | %-9s %-9s%n", "threads", "tok/s engine", "tok/s torch",
                "speedup", "bpb engine", "bpb torch", "wall eng", "wall torch", "MiB eng", "MiB torch");
        for (int t : threads) {
            Side engine = engine(root, work, steps, gate, t);
            Side ref = torch ? torch(root, python, data, steps, gate, t) : null;
            System.out.printf("%-7d | %-13.0f %-13s %-8s | %-10.4f %-10s | %-9.1f %-9s | %-9.0f %-9s%n", t, engine.tokensPerSecond(),
                    ref == null ? "-" : String.format("%.0f", ref.tokensPerSecond()),
                    ref == null ? "-" : String.format("%.2fx", engine.tokensPerSecond() / ref.tokensPerSecond()),
                    engine.bitsPerByte(), ref == null ? "-" : String.format("%.4f", ref.bitsPerByte()),
                    engine.wallSeconds(), ref == null ? "-" : String.format("%.1f", ref.wallSeconds()),
                    engine.peakMiB(), ref == null ? "-" : String.format("%.0f", ref.peakMiB()));
        }
    }

    /** The engine's own corpus split and tokenizer, written as uint16 streams for the reference. */
    static int writeTokens(Path dir) throws IOException {
        Corpus c = Corpus.split("kjv", Corpus.kjvText());
        BpeTokenizer tok = BpeTokenizer.train(c.train(), 4096, false);
        writeU16(dir.resolve("train.u16"), tok.encode(c.train()));
        writeU16(dir.resolve("val.u16"), tok.encode(c.validation()));
        Files.writeString(dir.resolve("meta.json"), "{\"vocab\": " + tok.vocabSize() + ", \"val_bytes\": " + c.validationBytes() + "}");
        return tok.vocabSize();
    }

    static void writeU16(Path p, int[] ids) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(2 * ids.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int id : ids) {
            b.putShort((short) id);
        }
        Files.write(p, b.array());
    }

    static Side engine(Path root, Path work, int steps, String gate, int threads) throws Exception {
        Path out = work.resolve("engine-" + threads + ".safetensors");
        Compare.Run r = Compare.run(root, Map.of(), List.of(root.resolve("bilinear").toString(), "lm", "train", "--steps",
                Integer.toString(steps), "--gate", gate, "--threads", Integer.toString(threads), "--out", out.toString(), "--force", "--json"));
        JsonObject o = JsonParser.parseString(r.stdout()).getAsJsonObject();
        return new Side(o.get("tokens_per_second").getAsDouble(), o.get("validation_bits_per_byte").getAsDouble(), r.wallSeconds(), r.peakMiB());
    }

    static Side torch(Path root, String python, Path data, int steps, String gate, int threads) throws Exception {
        Compare.Run r = Compare.run(root, Compare.torchEnv(threads),
                List.of(python, root.resolve("bench/reference/torch_lm.py").toString(), "--data", data.toString(), "--steps",
                        Integer.toString(steps), "--gate", gate, "--threads", Integer.toString(threads)));
        String last = r.stdout().strip().lines().reduce((a, b) -> b).orElse("{}");
        JsonObject o = JsonParser.parseString(last).getAsJsonObject();
        return new Side(o.get("tokens_per_second").getAsDouble(), o.get("validation_bits_per_byte").getAsDouble(), r.wallSeconds(), r.peakMiB());
    }
}
