package bilinear.linalg.eigen;

import java.lang.ref.SoftReference;

/**
 * Scratch arrays of one thread's eigensolves, kept between calls: a 512×512 decomposition needs
 * four {@code n²} work arrays (8 MB), and allocating them afresh each time (zeroing and, on a
 * growing heap, page faults) cost about a tenth of the solve. Held through a soft reference, so
 * the memory goes back under pressure, and only for {@code n ≤ } {@value #MAX_KEPT}.
 *
 * <p>Arrays handed out are not zeroed; every user overwrites what it reads.
 */
final class Workspace {
    /** Largest size whose arrays are kept between calls (four arrays of 8 MB each at 1024). */
    static final int MAX_KEPT = 1024;

    private static final ThreadLocal<SoftReference<Workspace>> CACHE = new ThreadLocal<>();

    /** The Householder reduction's working copy of the matrix. */
    final double[] matrix;
    /** The eigenvectors being built (tridiagonal, then back-transformed). */
    final double[] vectors;
    /** Divide and conquer's packed columns and secular eigenvectors. */
    final double[] packed;
    final double[] secular;

    /** The single-precision solver's arrays, allocated on its first use. */
    private Single single;

    private Workspace(int n) {
        int nn = n * n;
        matrix = new double[nn];
        vectors = new double[nn];
        packed = new double[nn];
        secular = new double[nn];
    }

    /**
     * The single-precision solver's {@code n²} float arrays: the reduction's working matrix, the
     * eigenvectors being back-transformed, and divide and conquer's float copies of its packed
     * columns and secular eigenvectors.
     */
    static final class Single {
        final float[] matrix, vectors, packed, secular;

        private Single(int nn) {
            matrix = new float[nn];
            vectors = new float[nn];
            packed = new float[nn];
            secular = new float[nn];
        }
    }

    Single single() {
        if (single == null) {
            single = new Single(matrix.length);
        }
        return single;
    }

    /** A workspace with room for an {@code n × n} problem, this thread's cached one when it is large enough. */
    static Workspace forSize(int n) {
        if (n > MAX_KEPT) {
            return new Workspace(n);
        }
        SoftReference<Workspace> ref = CACHE.get();
        Workspace w = ref == null ? null : ref.get();
        if (w == null || w.matrix.length < n * n) {
            w = new Workspace(n);
            CACHE.set(new SoftReference<>(w));
        }
        return w;
    }
}
