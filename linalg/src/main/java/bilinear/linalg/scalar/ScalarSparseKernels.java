package bilinear.linalg.scalar;

import bilinear.linalg.Tensor;

/** Reference kernels of the top-k activation of sparse autoencoders. */
public final class ScalarSparseKernels {
    private ScalarSparseKernels() {
    }

    public static void checkTopK(Tensor x, int k, Tensor out) {
        if (k < 1 || k > x.cols() || x.size() != out.size()) {
            throw new IllegalArgumentException("topKRows: k = " + k + " for rows of " + x.cols() + ", out " + out.shape());
        }
    }

    /**
     * The k-th largest value of {@code x[o, o + n)} and how many entries equal to it are kept
     * (those with the lowest indices), so that exactly k entries are kept.
     */
    public static float[] threshold(float[] x, int o, int n, int k, float[] scratch) {
        System.arraycopy(x, o, scratch, 0, n);
        float t = select(scratch, n, n - k);
        int above = 0;
        for (int j = 0; j < n; j++) {
            if (x[o + j] > t) {
                above++;
            }
        }
        return new float[] {t, k - above};
    }

    /**
     * The value that would sit at index {@code rank} if {@code a[0, n)} were sorted ascending
     * (quickselect with a median-of-three pivot: linear time on average; reorders {@code a}).
     */
    static float select(float[] a, int n, int rank) {
        int lo = 0, hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            float pivot = median(a[lo], a[mid], a[hi]);
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (rank <= j) {
                hi = j;
            } else if (rank >= i) {
                lo = i;
            } else {
                return a[rank];
            }
        }
        return a[rank];
    }

    private static float median(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    public static void topKRows(Tensor x, int k, Tensor out) {
        checkTopK(x, k, out);
        int rows = x.rows(), n = x.cols();
        float[] in = x.data(), o = out.data(), scratch = new float[n];
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            float[] t = threshold(in, off, n, k, scratch);
            int equalKept = (int) t[1];
            for (int j = 0; j < n; j++) {
                float v = in[off + j];
                boolean keep = v > t[0] || (v == t[0] && equalKept-- > 0);
                o[off + j] = keep && v > 0 ? v : 0f;
            }
        }
    }

    public static void topKBackward(Tensor out, Tensor dOut, float beta, Tensor dx) {
        float[] o = out.data(), g = dOut.data(), d = dx.data();
        for (int i = 0, n = out.size(); i < n; i++) {
            float v = o[i] > 0 ? g[i] : 0f;
            d[i] = beta == 0 ? v : v + beta * d[i];
        }
    }
}
