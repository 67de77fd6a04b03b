package bilinear.linalg;

import bilinear.linalg.scalar.ScalarBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chooses and builds a backend. {@code auto} picks the fastest backend that passes its checks and
 * says why it rejected the others; naming a backend that cannot run here is an error, never a
 * silent downgrade.
 */
public final class Backends {
    private Backends() {
    }

    /** The backend kinds a user can ask for. */
    public enum Kind {
        AUTO, SCALAR, SIMD, CUDA;

        public static Kind parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown backend '" + s + "' (expected auto, scalar, simd or cuda)");
            }
        }
    }

    /** The backend built, and one line per backend saying why it was taken or passed over. */
    public record Choice(Backend backend, List<String> log) {
        public String summary() {
            return String.join("; ", log);
        }
    }

    /** The longest the SIMD self-check may take before it gives up on the vector path. */
    static final long SELF_CHECK_BUDGET_MS = 3000;

    public static Choice create(Kind kind, int threads) throws BackendUnavailableException {
        return create(kind, threads, false);
    }

    /**
     * As {@link #create(Kind, int)}; with {@code forTraining} the SIMD self-check also runs the
     * backend's {@linkplain Backend#trainingWarmUp() training warm-up} while it waits for the JIT,
     * which takes the self-check a little longer and the first training step much less.
     */
    public static Choice create(Kind kind, int threads, boolean forTraining) throws BackendUnavailableException {
        Parallel parallel = new Parallel(threads);
        List<String> log = new ArrayList<>();
        switch (kind) {
            case SCALAR -> {
                log.add("backend scalar (as asked)");
                return new Choice(new ScalarBackend(parallel), log);
            }
            case CUDA -> {
                parallel.close();
                throw new BackendUnavailableException("backend cuda is not available: this build has no CUDA backend yet");
            }
            case SIMD -> {
                SimdProbe probe = probeSimd(parallel, forTraining);
                if (probe.backend() == null) {
                    parallel.close();
                    throw new BackendUnavailableException("backend simd is not available: " + probe.detail());
                }
                log.add("backend " + probe.backend().describe() + " (as asked; " + probe.detail() + ")");
                return new Choice(probe.backend(), log);
            }
            default -> {
                log.add("cuda rejected: no CUDA backend in this build");
                SimdProbe probe = probeSimd(parallel, forTraining);
                if (probe.backend() != null) {
                    log.add("chose " + probe.backend().describe() + " (" + probe.detail() + ")");
                    return new Choice(probe.backend(), log);
                }
                log.add("simd rejected: " + probe.detail());
                ScalarBackend scalar = new ScalarBackend(parallel);
                log.add("chose " + scalar.describe());
                return new Choice(scalar, log);
            }
        }
    }

    /** The SIMD backend when it passed every check (detail: the self-check), else null and why not. */
    private record SimdProbe(Backend backend, String detail) {
    }

    private static SimdProbe probeSimd(Parallel parallel, boolean forTraining) {
        var rejection = SimdGate.staticRejection();
        if (rejection.isPresent()) {
            return new SimdProbe(null, rejection.get());
        }
        try (Parallel one = new Parallel(1)) {
            Backend simdOne = newSimd(one);
            // The self-check passes as soon as C2 has compiled the vector GEMM (30–100 ms on an idle
            // machine). The budget only runs out when it never gets faster; it is generous because
            // on a busy machine the JIT's compiler threads wait for a core and a short budget
            // rejected a healthy SIMD path.
            Backend.WarmUpRounds alongside = forTraining ? simdOne.trainingWarmUp() : Backend.WarmUpRounds.NONE;
            SimdGate.SelfCheck check = SimdGate.selfCheck(simdOne, new ScalarBackend(one), SELF_CHECK_BUDGET_MS, alongside);
            return check.passed() ? new SimdProbe(newSimd(parallel), check.detail()) : new SimdProbe(null, check.detail());
        } catch (ReflectiveOperationException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new SimdProbe(null, "the vector kernels failed to load: " + cause);
        }
    }

    /** Loaded reflectively so this class never links against jdk.incubator.vector. */
    private static Backend newSimd(Parallel parallel) throws ReflectiveOperationException {
        return (Backend) Class.forName("bilinear.linalg.simd.SimdBackend")
                .getConstructor(Parallel.class).newInstance(parallel);
    }
}
