package bilinear.linalg;

/** Seeded test tensors; all randomness in the suite comes from here. */
public final class TestData {
    private TestData() {
    }

    public static Tensor gaussian(long seed, int... dims) {
        Tensor t = Tensor.zeros(dims);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = CounterRng.gaussian(seed, i);
        }
        return t;
    }

    public static Tensor uniform(long seed, float lo, float hi, int... dims) {
        Tensor t = Tensor.zeros(dims);
        int k = CounterRng.key1(seed);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = lo + (hi - lo) * CounterRng.uniform(CounterRng.hash(i, k));
        }
        return t;
    }

    /**
     * Asserts {@code |actual − expected| ≤ tol·max(1, max|expected|)} elementwise and reports the
     * worst element with a hint naming the call.
     */
    public static void assertClose(String call, Tensor expected, Tensor actual, double tol) {
        if (expected.size() != actual.size()) {
            throw new AssertionError(call + ": sizes differ, " + expected.shape() + " vs " + actual.shape());
        }
        double scale = 1;
        for (int i = 0; i < expected.size(); i++) {
            scale = Math.max(scale, Math.abs(expected.data()[i]));
        }
        int worst = -1;
        double worstErr = 0;
        for (int i = 0; i < expected.size(); i++) {
            float e = expected.data()[i], a = actual.data()[i];
            double err = Float.isNaN(e) || Float.isNaN(a) ? (Float.isNaN(e) && Float.isNaN(a) ? 0 : Double.POSITIVE_INFINITY)
                    : Math.abs(e - a);
            if (err > worstErr) {
                worstErr = err;
                worst = i;
            }
        }
        if (worstErr > tol * scale) {
            throw new AssertionError(String.format(
                    "%s: element %d expected %s got %s (error %.3g > %.3g × scale %.3g). Hint: compare against "
                            + "ScalarBackend on this shape; tails and block edges are the usual suspects.",
                    call, worst, expected.data()[worst], actual.data()[worst], worstErr, tol, scale));
        }
    }
}
