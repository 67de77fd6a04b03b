package bilinear.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The side-by-side comparison: trains the Fashion-MNIST classifier with the engine
 * ({@code ./bilinear train --recipe paper}) and with the PyTorch reference
 * ({@code bench/reference/torch_bilinear.py}, the same recipe) for each hidden width and thread
 * count, and prints seconds per epoch, whole-command wall time, peak memory and test accuracy of
 * both, with the ratios. Run it through {@code bench/compare}.
 *
 * <p>Seconds per epoch are the median over epochs 2.. (the first includes JIT or allocator
 * warm-up) of the training steps only; the whole command is the wall time of the process (start,
 * data load, every epoch, evaluation); peak memory is the process's maximum resident set, from
 * {@code /usr/bin/time}, as is the CPU time of the whole command (user + system, every thread,
 * JIT compilation included): on a machine shared with other work the wall times of both sides
 * stretch, and the CPU time is then the steadier measure of the work each side did. With
 * {@code --repeat R} every figure is the median of R runs and the spread (min–max) is printed.
 */
public final class Compare {
    private Compare() {
    }

    static final String INSTALL_HINT = "install it with: apt-get install python3-torch python3-numpy libopenblas0-openmp libtcmalloc-minimal4";

    /**
     * One process run: its stdout, wall seconds, CPU seconds (user + system, all threads) and peak
     * resident memory in MiB (NaN when unknown).
     */
    record Run(String stdout, double wallSeconds, double cpuSeconds, double peakMiB) {
    }

    /** The figures of one side for one configuration. */
    record Figures(double epochSeconds, double wallSeconds, double cpuSeconds, double peakMiB, double accuracy) {
    }

    public static void main(String[] args) {
        BenchEnv.main(args, Compare::sideBySide);
    }

    private static void sideBySide(String[] args) throws Exception {
        List<Integer> hidden = List.of(256, 512);
        List<Integer> threads = List.of(1, 2);
        int epochs = 10, repeat = 1;
        String noise = "0.5", wd = "1.0";   // the paper recipe; --noise 0 --wd 0.5 is the peers' default run
        Path root = Path.of(".").toAbsolutePath().normalize();
        String python = "/usr/bin/python3";
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--hidden" -> { hidden = ints(v); i++; }
                case "--threads" -> { threads = ints(v); i++; }
                case "--epochs" -> { epochs = Integer.parseInt(v); i++; }
                case "--repeat" -> { repeat = Integer.parseInt(v); i++; }
                case "--noise" -> { noise = "" + Double.parseDouble(v); i++; }
                case "--wd" -> { wd = "" + Double.parseDouble(v); i++; }
                case "--root" -> { root = Path.of(v).toAbsolutePath().normalize(); i++; }
                case "--python" -> { python = v; i++; }
                case "-h", "--help" -> {
                    System.out.println("usage: bench/compare [--hidden 256,512] [--threads 1,2] [--epochs 10] [--repeat 1]"
                            + " [--noise 0.5] [--wd 1.0] [--python /usr/bin/python3]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see --help)");
            }
        }
        if (epochs < 2) {
            throw new IllegalArgumentException("--epochs must be at least 2 (the first epoch is warm-up)");
        }
        String torchProblem = torchProblem(python);
        if (torchProblem != null) {
            System.out.println("PyTorch reference not available (" + torchProblem + "); " + INSTALL_HINT);
            System.out.println("running the engine alone.");
        } else {
            System.out.println(torchSetUp(torchEnv(1)));
        }
        Path work = Files.createTempDirectory("bilinear-compare");
        System.out.printf("Fashion-MNIST, recipe paper (batch 2048, AdamW, wd %s, input noise %s, cosine), %d epochs, %d run%s each%n",
                wd, noise, epochs, repeat, repeat == 1 ? "" : "s");
        System.out.printf("%-5s %-7s | %-22s %-22s %-7s | %-22s %-22s %-6s | %-8s %-8s %-6s | %-9s %-9s | %-6s %-6s%n",
                "d", "threads", "s/epoch engine", "s/epoch torch", "speedup", "whole cmd engine", "whole cmd torch",
                "ratio", "cpu s", "cpu s", "ratio", "peak MiB", "peak MiB", "acc", "acc");
        for (int d : hidden) {
            for (int t : threads) {
                List<Figures> ours = new ArrayList<>(), theirs = new ArrayList<>();
                for (int r = 0; r < repeat; r++) {
                    ours.add(engine(root, work, d, t, epochs, noise, wd));
                    if (torchProblem == null) {
                        theirs.add(torch(root, python, d, t, epochs, noise, wd));
                    }
                }
                print(d, t, ours, theirs);
            }
        }
        System.out.println("speedup = torch s/epoch ÷ engine s/epoch; ratio = torch ÷ engine for the whole command's wall"
                + " time and for its CPU time (above 1: the engine is faster). cpu s, peak MiB: engine | torch.");
    }

    private static Figures engine(Path root, Path work, int d, int t, int epochs, String noise, String wd)
            throws IOException, InterruptedException {
        Run run = run(root, Map.of(), List.of(root.resolve("bilinear").toString(), "train", "--dataset", "fashion-mnist",
                "--recipe", "paper", "--hidden", "" + d, "--epochs", "" + epochs, "--threads", "" + t, "--json",
                "--noise", noise, "--wd", wd,
                "--out", work.resolve("model-" + d + "-" + t + ".safetensors").toString(), "--force"));
        JsonObject o = JsonParser.parseString(run.stdout()).getAsJsonObject();
        JsonArray history = o.getAsJsonArray("history");
        List<Double> seconds = new ArrayList<>();
        for (int e = 1; e < history.size(); e++) {
            seconds.add(history.get(e).getAsJsonObject().get("trainSeconds").getAsDouble());
        }
        return new Figures(median(seconds), run.wallSeconds(), run.cpuSeconds(), run.peakMiB(),
                o.get("test_accuracy").getAsDouble());
    }

    private static Figures torch(Path root, String python, int d, int t, int epochs, String noise, String wd)
            throws IOException, InterruptedException {
        Run run = run(root, torchEnv(t), List.of(python, root.resolve("bench/reference/torch_bilinear.py").toString(),
                "--d", "" + d, "--epochs", "" + epochs, "--threads", "" + t, "--noise", noise, "--wd", wd));
        JsonObject summary = null;
        for (String line : run.stdout().split("\n")) {
            if (line.startsWith("{\"summary\"")) {
                summary = JsonParser.parseString(line).getAsJsonObject().getAsJsonObject("summary");
            }
        }
        if (summary == null) {
            throw new IllegalStateException("the PyTorch reference printed no summary:\n" + run.stdout());
        }
        return new Figures(summary.get("median_train_seconds").getAsDouble(), run.wallSeconds(), run.cpuSeconds(),
                run.peakMiB(), summary.get("test_accuracy").getAsDouble());
    }

    /**
     * The fair set-up for PyTorch on a CPU: its BLAS threads pinned to the thread count, the
     * OpenMP build of OpenBLAS when Debian has it, and OpenBLAS's AVX-512 kernels on CPUs that
     * have AVX-512 (without the last two PyTorch runs 2–30× slower and the comparison flatters us).
     * The kernels are chosen here even when the environment names others: an inherited
     * {@code OPENBLAS_CORETYPE=Haswell} (some machine images set it) halves OpenBLAS's sgemm on an
     * AVX-512 core, which once made this harness report PyTorch 1.75× slower than it is.
     *
     * <p>PyTorch runs on tcmalloc when Debian's is installed, as PyTorch's CPU tuning advice has
     * it. Under glibc's malloc every tensor over 32 MB (the language model's 4096 × 4096 logits
     * and their gradient) is a fresh mmap that is faulted in page by page each step and unmapped
     * after: on the Zen 5 machine a third of PyTorch's time went to the kernel and the language
     * model trained at 2,750 tokens/s on one thread against 5,400 on tcmalloc.
     */
    static Map<String, String> torchEnv(int threads) throws IOException {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("OMP_NUM_THREADS", "" + threads);
        env.put("OPENBLAS_NUM_THREADS", "" + threads);
        Path openmp = Path.of(OPENMP_OPENBLAS);
        if (Files.isDirectory(openmp)) {
            String old = System.getenv("LD_LIBRARY_PATH");
            env.put("LD_LIBRARY_PATH", openmp + (old == null || old.isEmpty() ? "" : ":" + old));
        }
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo) && Files.readString(cpuinfo).contains(" avx512f")) {
            env.put("OPENBLAS_CORETYPE", "SkylakeX");
        }
        if (Files.isReadable(Path.of(TCMALLOC))) {
            String old = System.getenv("LD_PRELOAD");
            env.put("LD_PRELOAD", TCMALLOC + (old == null || old.isEmpty() ? "" : ":" + old));
        }
        return env;
    }

    static final String OPENMP_OPENBLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp";
    /** Debian's tcmalloc (package libtcmalloc-minimal4). */
    static final String TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4";

    /** One line naming the BLAS set-up the reference runs with, for the report's header. */
    static String torchSetUp(Map<String, String> env) {
        String inherited = System.getenv("OPENBLAS_CORETYPE");
        String coretype = env.getOrDefault("OPENBLAS_CORETYPE", inherited == null ? "auto-detected" : inherited);
        String note = inherited != null && !inherited.equals(coretype) ? " (the inherited " + inherited + " overridden)" : "";
        return "PyTorch set-up: OpenBLAS " + (env.containsKey("LD_LIBRARY_PATH") ? "OpenMP build" : "default build")
                + ", OPENBLAS_CORETYPE=" + coretype + note + ", OMP_NUM_THREADS = threads, "
                + (env.containsKey("LD_PRELOAD") ? "tcmalloc"
                        : "glibc malloc (slow for large tensors here; apt-get install libtcmalloc-minimal4)");
    }

    /** Why the reference cannot run, or null when python with torch and numpy is there. */
    static String torchProblem(String python) {
        if (!Files.isExecutable(Path.of(python))) {
            return python + " not found";
        }
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch, numpy").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? null : "torch or numpy missing for " + python + ": " + out.strip().lines()
                    .reduce((a, b) -> b).orElse("");
        } catch (IOException | InterruptedException e) {
            return "cannot run " + python + ": " + e.getMessage();
        }
    }

    /** Runs a command (under /usr/bin/time for its peak memory when that exists), failing loudly. */
    static Run run(Path dir, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        Path time = Path.of("/usr/bin/time");
        Path timeOut = Files.createTempFile("bilinear-time", ".txt");
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(time)) {
            cmd.addAll(List.of(time.toString(), "-f", "%M %U %S", "-o", timeOut.toString()));
        }
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        double wall = (System.nanoTime() - t0) / 1e9;
        if (rc != 0) {
            throw new IllegalStateException("command failed with exit code " + rc + ": " + String.join(" ", command));
        }
        double peak = Double.NaN, cpu = Double.NaN;
        String timed = Files.readString(timeOut).strip();
        Files.deleteIfExists(timeOut);
        if (!timed.isEmpty()) {
            String[] f = timed.lines().reduce((a, b) -> b).orElse("").trim().split("\\s+");
            peak = Double.parseDouble(f[0]) / 1024;
            cpu = Double.parseDouble(f[1]) + Double.parseDouble(f[2]);
        }
        return new Run(out, wall, cpu, peak);
    }

    private static void print(int d, int t, List<Figures> ours, List<Figures> theirs) {
        Figures o = medians(ours);
        String epochT = "n/a", wallT = "n/a", speedup = "", ratio = "", cpuT = "n/a", cpuRatio = "", peakT = "n/a", accT = "n/a";
        if (!theirs.isEmpty()) {
            Figures p = medians(theirs);
            epochT = spread(p.epochSeconds(), theirs.stream().map(Figures::epochSeconds).toList());
            wallT = spread(p.wallSeconds(), theirs.stream().map(Figures::wallSeconds).toList());
            speedup = String.format("%.2f×", p.epochSeconds() / o.epochSeconds());
            ratio = String.format("%.2f×", p.wallSeconds() / o.wallSeconds());
            cpuT = String.format("%.1f", p.cpuSeconds());
            cpuRatio = String.format("%.2f×", p.cpuSeconds() / o.cpuSeconds());
            peakT = String.format("%.0f", p.peakMiB());
            accT = String.format("%.4f", p.accuracy());
        }
        System.out.printf("%-5d %-7d | %-22s %-22s %-7s | %-22s %-22s %-6s | %-8.1f %-8s %-6s | %-9.0f %-9s | %-6.4f %-6s%n", d, t,
                spread(o.epochSeconds(), ours.stream().map(Figures::epochSeconds).toList()), epochT, speedup,
                spread(o.wallSeconds(), ours.stream().map(Figures::wallSeconds).toList()), wallT, ratio,
                o.cpuSeconds(), cpuT, cpuRatio, o.peakMiB(), peakT, o.accuracy(), accT);
    }

    private static Figures medians(List<Figures> runs) {
        return new Figures(median(runs.stream().map(Figures::epochSeconds).toList()),
                median(runs.stream().map(Figures::wallSeconds).toList()),
                median(runs.stream().map(Figures::cpuSeconds).toList()),
                median(runs.stream().map(Figures::peakMiB).toList()),
                median(runs.stream().map(Figures::accuracy).toList()));
    }

    /** "median" or "median (min–max)" with three decimals. */
    private static String spread(double median, List<Double> values) {
        if (values.size() < 2) {
            return String.format("%.3f", median);
        }
        return String.format("%.3f (%.3f–%.3f)", median, Collections.min(values), Collections.max(values));
    }

    static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int n = v.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }
}
