package bilinear.linalg;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * Decides whether the Vector API backend is safe to use on this JVM. A Vector API kernel that is
 * not compiled by C2 into vector instructions runs 10–700× slower than plain scalar Java, so the
 * gate checks, in order: the incubator module is present, C2 is active, FMA instructions are
 * enabled, the preferred vector width is at least 128 bits, and finally a self-check that times
 * a small vector GEMM against the scalar one and compares their results.
 */
public final class SimdGate {
    private SimdGate() {
    }

    /** Why the static checks reject SIMD, or empty when they pass (the self-check is separate). */
    public static Optional<String> staticRejection() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return Optional.of("the jdk.incubator.vector module is not loaded (run with --add-modules jdk.incubator.vector)");
        }
        if (System.getProperty("java.vm.info", "").contains("interpreted mode")) {
            return Optional.of("the JIT is disabled (-Xint)");
        }
        Optional<String> useCompiler = vmOption("UseCompiler");
        if (useCompiler.isPresent() && useCompiler.get().equals("false")) {
            return Optional.of("the JIT is disabled (-XX:-UseCompiler)");
        }
        Optional<String> tiered = vmOption("TieredCompilation");
        Optional<String> stopAt = vmOption("TieredStopAtLevel");
        if (tiered.orElse("true").equals("true") && stopAt.isPresent() && Integer.parseInt(stopAt.get()) < 4) {
            return Optional.of("C2 is off (-XX:TieredStopAtLevel=" + stopAt.get() + "); C1 cannot compile vector code");
        }
        if (vmOption("UseFMA").orElse("true").equals("false")) {
            return Optional.of("FMA instructions are disabled or absent (UseFMA=false)");
        }
        int bits = preferredVectorBits();
        if (bits < 128) {
            return Optional.of("the preferred vector width is " + bits + " bits (< 128)");
        }
        return Optional.empty();
    }

    /** The CPU's preferred vector width as the Vector API reports it; 0 if unavailable. */
    public static int preferredVectorBits() {
        try {
            Class<?> simd = Class.forName("bilinear.linalg.simd.Simd");
            return (int) simd.getMethod("preferredBits").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return 0;
        }
    }

    /** A HotSpot flag's value, if this is HotSpot and the flag exists. */
    public static Optional<String> vmOption(String name) {
        try {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            VMOption o = bean == null ? null : bean.getVMOption(name);
            return o == null ? Optional.empty() : Optional.of(o.getValue());
        } catch (IllegalArgumentException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** Result of the timing self-check. */
    public record SelfCheck(boolean passed, double simdMicros, double scalarMicros, String detail) {
    }

    /**
     * Races a 64×64×64 GEMM on {@code simd} against {@code scalar} (both single-threaded) for at
     * most {@code budgetMillis}; passes as soon as the vector one is at least twice as fast and
     * agrees with the reference. Takes as long as C2 needs to compile the vector GEMM: 30–100 ms
     * on an idle machine, up to a second on a busy two-core one. {@code alongside} runs a round
     * between races, outside the timings: a training command's kernel warm-up uses that wait, so
     * that its kernels reach C2's queue while the GEMM's compile is still in it.
     */
    public static SelfCheck selfCheck(Backend simd, Backend scalar, long budgetMillis, Backend.WarmUpRounds alongside) {
        int n = 64;
        Tensor a = Tensor.zeros(n, n), b = Tensor.zeros(n, n), c1 = Tensor.zeros(n, n), c2 = Tensor.zeros(n, n);
        for (int i = 0; i < n * n; i++) {
            a.data()[i] = CounterRng.gaussian(1, i);
            b.data()[i] = CounterRng.gaussian(2, i);
        }
        long deadline = System.nanoTime() + budgetMillis * 1_000_000L;
        long bestSimd = Long.MAX_VALUE, bestScalar = Long.MAX_VALUE;
        for (int iter = 1; ; iter++) {
            long t0 = System.nanoTime();
            simd.gemm(false, true, 1f, a, b, 0f, c1);
            long t1 = System.nanoTime();
            scalar.gemm(false, true, 1f, a, b, 0f, c2);
            long t2 = System.nanoTime();
            alongside.round();
            bestSimd = Math.min(bestSimd, t1 - t0);
            bestScalar = Math.min(bestScalar, t2 - t1);
            boolean fast = iter >= 3 && 2 * bestSimd < bestScalar;
            if (fast || t2 > deadline) {
                double maxErr = 0;
                for (int i = 0; i < n * n; i++) {
                    maxErr = Math.max(maxErr, Math.abs(c1.data()[i] - c2.data()[i]));
                }
                double us = bestSimd / 1e3, usScalar = bestScalar / 1e3;
                if (maxErr > 1e-3) {
                    return new SelfCheck(false, us, usScalar, "vector GEMM disagrees with scalar (max error " + maxErr + ")");
                }
                return fast
                        ? new SelfCheck(true, us, usScalar, String.format("self-check: vector GEMM %.0f µs vs scalar %.0f µs", us, usScalar))
                        : new SelfCheck(false, us, usScalar, String.format(
                        "self-check: vector GEMM %.0f µs is not faster than scalar %.0f µs (Vector API not compiled to vector code?)",
                        us, usScalar));
            }
        }
    }
}
