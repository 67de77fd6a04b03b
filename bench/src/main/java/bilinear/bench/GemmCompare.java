package bilinear.bench;

import bilinear.linalg.Backend;
import bilinear.linalg.Backends;
import bilinear.linalg.simd.FmaPeak;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sgemm side-by-side: for each thread count, the Vector API FMA peak, then rounds that
 * alternate the engine's GEMM (a loop over {@link Backend#gemm}, in this JVM) and PyTorch's
 * {@code torch.mm} on OpenBLAS ({@code bench/reference/torch_gemm.py}, set up as
 * {@link Compare#torchEnv} does) on the same products, timed the same way: the median of
 * {@code --repeat} runs of about 0.5 s each. Prints GFLOP/s (the median over rounds, with their
 * range), the ratio and each side's share of the FMA peak. Run it through {@code bench/compare-gemm}.
 */
public final class GemmCompare {
    /** 1024³ and the five big products of a d = 512 and a d = 256 Fashion-MNIST training step. */
    static final List<String> SHAPES = List.of("1024x1024x1024:NN",
            "2048x512x784:NT", "2048x1024x512:NT", "2048x512x1024:NN", "1024x512x2048:TN", "512x784x2048:TN",
            "2048x256x784:NT", "2048x512x256:NT", "2048x256x512:NN", "512x256x2048:TN", "256x784x2048:TN");
    private static final long RUN_NANOS = 500_000_000L;

    private GemmCompare() {
    }

    public static void main(String[] args) {
        BenchEnv.main(args, GemmCompare::sideBySide);
    }

    private static void sideBySide(String[] args) throws Exception {
        List<Integer> threads = List.of(1, 2);
        int rounds = 2, repeat = 5;
        Path root = Path.of(".").toAbsolutePath().normalize();
        String python = "/usr/bin/python3";
        List<String> shapes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--threads" -> { threads = Compare.ints(v); i++; }
                case "--rounds" -> { rounds = Integer.parseInt(v); i++; }
                case "--repeat" -> { repeat = Integer.parseInt(v); i++; }
                case "--root" -> { root = Path.of(v).toAbsolutePath().normalize(); i++; }
                case "--python" -> { python = v; i++; }
                case "-h", "--help" -> {
                    System.out.println("usage: bench/compare-gemm [--threads 1,2] [--rounds 2] [--repeat 5] [m×n×k:TT ...]");
                    return;
                }
                default -> {
                    if (args[i].startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + args[i] + " (see --help)");
                    }
                    shapes.add(args[i]);
                }
            }
        }
        if (shapes.isEmpty()) {
            shapes.addAll(SHAPES);
        }
        List<GemmProduct> products = new ArrayList<>();
        for (String s : shapes) {
            products.add(GemmProduct.parse(s));
        }
        String torchProblem = Compare.torchProblem(python);
        if (torchProblem != null) {
            System.out.println("PyTorch reference not available (" + torchProblem + "); " + Compare.INSTALL_HINT);
            System.out.println("running the engine alone.");
        } else {
            System.out.println(Compare.torchSetUp(Compare.torchEnv(1)));
        }
        System.out.println("CPU " + BenchEnv.cpu() + "; JDK " + System.getProperty("java.version"));
        for (int t : threads) {
            Backend be = Backends.create(Backends.Kind.SIMD, t).backend();
            double peak = FmaPeak.gflops(t, 5);
            Map<String, List<Double>> ours = new LinkedHashMap<>(), theirs = new HashMap<>();
            for (int r = 0; r < rounds; r++) {
                for (GemmProduct p : products) {
                    ours.computeIfAbsent(p.name(), x -> new ArrayList<>()).add(engineRate(be, p, repeat, r == 0));
                }
                if (torchProblem == null) {
                    torchRates(root, python, t, repeat, shapes)
                            .forEach((shape, rate) -> theirs.computeIfAbsent(shape, x -> new ArrayList<>()).add(rate));
                }
            }
            print(be.describe(), t, rounds, repeat, peak, ours, theirs);
        }
        System.exit(0);  // the backend's pool threads
    }

    /** GFLOP/s: the median of {@code repeat} runs of about 0.5 s, after a warm-up (1 s on the first round). */
    private static double engineRate(Backend be, GemmProduct p, int repeat, boolean firstRound) {
        rate(be, p, firstRound ? 2 * RUN_NANOS : RUN_NANOS / 5);
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            rates.add(rate(be, p, RUN_NANOS));
        }
        return Compare.median(rates);
    }

    private static double rate(Backend be, GemmProduct p, long nanos) {
        long t0 = System.nanoTime(), elapsed;
        int calls = 0;
        do {
            p.run(be);
            calls++;
            elapsed = System.nanoTime() - t0;
        } while (elapsed < nanos);
        return p.flops() * calls / elapsed;
    }

    /** torch_gemm.py's medians by shape; its lines read "shape   rate GFLOP/s (min-max), t threads". */
    private static Map<String, Double> torchRates(Path root, String python, int threads, int repeat, List<String> shapes)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(python, root.resolve("bench/reference/torch_gemm.py").toString(),
                "--threads", "" + threads, "--repeat", "" + repeat));
        cmd.addAll(shapes);
        Map<String, Double> rates = new HashMap<>();
        for (String line : Compare.run(root, Compare.torchEnv(threads), cmd).stdout().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[2].equals("GFLOP/s")) {
                rates.put(f[0], Double.parseDouble(f[1]));
            }
        }
        return rates;
    }

    private static void print(String backend, int threads, int rounds, int repeat, double peak,
                              Map<String, List<Double>> ours, Map<String, List<Double>> theirs) {
        System.out.printf("%n%s; FMA peak (Vector API, %d thread%s, best of 5) %.1f GFLOP/s%n", backend, threads,
                threads == 1 ? "" : "s", peak);
        System.out.printf("sgemm GFLOP/s, medians of %d rounds (each the median of %d runs of ~0.5 s), range over rounds%n",
                rounds, repeat);
        System.out.printf("%-20s | %-22s %-22s %-8s | %-8s %-8s%n", "product", "engine", "OpenBLAS (torch.mm)",
                "ratio", "engine", "OpenBLAS");
        for (Map.Entry<String, List<Double>> e : ours.entrySet()) {
            double mine = Compare.median(e.getValue());
            List<Double> other = theirs.get(e.getKey());
            double yard = other == null ? Double.NaN : Compare.median(other);
            System.out.printf("%-20s | %-22s %-22s %-8s | %-8s %-8s%n", e.getKey(), withRange(mine, e.getValue()),
                    other == null ? "-" : withRange(yard, other), other == null ? "-" : String.format("%.2f×", mine / yard),
                    String.format("%.0f %%", 100 * mine / peak), other == null ? "-" : String.format("%.0f %%", 100 * yard / peak));
        }
        System.out.println("ratio = engine ÷ OpenBLAS; the last two columns are shares of the FMA peak above.");
    }

    private static String withRange(double median, List<Double> values) {
        double lo = values.stream().mapToDouble(Double::doubleValue).min().orElse(median);
        double hi = values.stream().mapToDouble(Double::doubleValue).max().orElse(median);
        return String.format("%.1f (%.1f–%.1f)", median, lo, hi);
    }
}
