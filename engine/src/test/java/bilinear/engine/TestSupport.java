package bilinear.engine;

import bilinear.linalg.Backend;
import bilinear.linalg.CounterRng;
import bilinear.linalg.Parallel;
import bilinear.linalg.Tensor;
import bilinear.linalg.scalar.ScalarBackend;
import java.nio.file.Path;
import java.util.List;

/** Backends, seeded data and fixture paths shared by the engine tests. */
public final class TestSupport {
    private TestSupport() {
    }

    private static final Parallel ONE = new Parallel(1);
    private static final Parallel TWO = new Parallel(2);

    public static Backend scalar() {
        return new ScalarBackend(ONE);
    }

    public static Backend simd(int threads) {
        try {
            return (Backend) Class.forName("bilinear.linalg.simd.SimdBackend").getConstructor(Parallel.class)
                    .newInstance(threads == 1 ? ONE : TWO);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the SIMD backend must load in tests", e);
        }
    }

    /** The reference and the fast path, both checked by every gradient test. */
    public static List<Backend> all() {
        return List.of(scalar(), simd(2));
    }

    public static Tensor gaussian(long seed, float scale, int... dims) {
        Tensor t = Tensor.zeros(dims);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = scale * CounterRng.gaussian(seed, i);
        }
        return t;
    }

    /** The golden fixtures made by src/fixtures/make_fixtures.py (tests run in the module directory). */
    public static Path fixture(String name) {
        return Path.of("..", "src", "fixtures", name);
    }
}
