package bilinear.linalg.simd;

import bilinear.linalg.eigen.DoubleKernels;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DoubleKernels} on the Vector API, with double lanes as wide as the float species
 * ({@link Simd#FLOAT}'s shape): {@link DoubleGemm} for products, and vector loops for the
 * memory-bound symmetric matrix-vector product, dot and axpy. Loaded reflectively by
 * {@link DoubleKernels#best()} so nothing outside this package links against the Vector API.
 */
public final class SimdDoubleKernels implements DoubleKernels {
    static final VectorSpecies<Double> S = DoubleGemm.S;
    static final int L = S.length();
    /** Lane indices 0, 1, …, L−1 as doubles (the weights of the error bound). */
    private static final DoubleVector IOTA = DoubleVector.zero(S).addIndex(1);

    public SimdDoubleKernels() {
    }

    /**
     * The lanes of v added in a fixed order (pairwise). {@code reduceLanes(ADD)} leaves the order
     * unspecified, and interpreted and compiled code do sum in different orders, so a result would
     * depend on how warm the JIT was; lane extracts and scalar adds are the same in every tier.
     */
    static double sum(DoubleVector v) {
        return switch (L) {
            case 8 -> ((v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3))) + ((v.lane(4) + v.lane(5)) + (v.lane(6) + v.lane(7)));
            case 4 -> (v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3));
            case 2 -> v.lane(0) + v.lane(1);
            default -> {
                double[] lanes = v.toArray();
                double s = 0;
                for (double x : lanes) {
                    s += x;
                }
                yield s;
            }
        };
    }

    @Override
    public String name() {
        return "simd-" + S.vectorBitSize();
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                     double beta, double[] c, int cOff, int ldc) {
        DoubleGemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * {@code y = A·x}, A symmetric with its lower triangle stored. Four columns of the lower
     * triangle at a time: their small triangle on top is done element by element, then every row
     * below contributes to y(i) through four FMAs and to the four y(j)'s through running vector
     * sums. Each stored entry is loaded once, y once per four columns. (Eight columns at a time
     * measured 40% slower.)
     */
    @Override
    public void symvLower(int n, double[] a, int aOff, int lda, double[] x, int xOff, double[] y, int yOff) {
        java.util.Arrays.fill(y, yOff, yOff + n, 0.0);
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            symv4(j, n, a, aOff, lda, x, xOff, y, yOff);
        }
        for (; j < n; j++) {
            int col = aOff + j * lda;
            double xj = x[xOff + j];
            double t = a[col + j] * xj;
            for (int i = j + 1; i < n; i++) {
                y[yOff + i] += a[col + i] * xj;
                t += a[col + i] * x[xOff + i];
            }
            y[yOff + j] += t;
        }
    }

    /** Columns j … j+3 (see {@link #symvLower}). */
    private static void symv4(int j, int n, double[] a, int aOff, int lda, double[] x, int xOff, double[] y, int yOff) {
        int c0 = aOff + j * lda, c1 = c0 + lda, c2 = c1 + lda, c3 = c2 + lda;
        double x0 = x[xOff + j], x1 = x[xOff + j + 1], x2 = x[xOff + j + 2], x3 = x[xOff + j + 3];
        // The 4×4 diagonal block, lower part.
        double t0 = a[c0 + j] * x0 + a[c0 + j + 1] * x1 + a[c0 + j + 2] * x2 + a[c0 + j + 3] * x3;
        double t1 = a[c0 + j + 1] * x0 + a[c1 + j + 1] * x1 + a[c1 + j + 2] * x2 + a[c1 + j + 3] * x3;
        double t2 = a[c0 + j + 2] * x0 + a[c1 + j + 2] * x1 + a[c2 + j + 2] * x2 + a[c2 + j + 3] * x3;
        double t3 = a[c0 + j + 3] * x0 + a[c1 + j + 3] * x1 + a[c2 + j + 3] * x2 + a[c3 + j + 3] * x3;
        int i = j + 4;
        DoubleVector s0 = DoubleVector.zero(S), s1 = DoubleVector.zero(S), s2 = DoubleVector.zero(S), s3 = DoubleVector.zero(S);
        DoubleVector bx0 = DoubleVector.broadcast(S, x0), bx1 = DoubleVector.broadcast(S, x1);
        DoubleVector bx2 = DoubleVector.broadcast(S, x2), bx3 = DoubleVector.broadcast(S, x3);
        for (int bound = i + S.loopBound(n - i); i < bound; i += L) {
            DoubleVector a0 = DoubleVector.fromArray(S, a, c0 + i), a1 = DoubleVector.fromArray(S, a, c1 + i);
            DoubleVector a2 = DoubleVector.fromArray(S, a, c2 + i), a3 = DoubleVector.fromArray(S, a, c3 + i);
            DoubleVector xi = DoubleVector.fromArray(S, x, xOff + i);
            DoubleVector yi = DoubleVector.fromArray(S, y, yOff + i);
            yi = a0.fma(bx0, yi);
            yi = a1.fma(bx1, yi);
            yi = a2.fma(bx2, yi);
            yi = a3.fma(bx3, yi);
            yi.intoArray(y, yOff + i);
            s0 = a0.fma(xi, s0);
            s1 = a1.fma(xi, s1);
            s2 = a2.fma(xi, s2);
            s3 = a3.fma(xi, s3);
        }
        for (; i < n; i++) {
            double xi = x[xOff + i];
            y[yOff + i] += a[c0 + i] * x0 + a[c1 + i] * x1 + a[c2 + i] * x2 + a[c3 + i] * x3;
            t0 += a[c0 + i] * xi;
            t1 += a[c1 + i] * xi;
            t2 += a[c2 + i] * xi;
            t3 += a[c3 + i] * xi;
        }
        y[yOff + j] += t0 + sum(s0);
        y[yOff + j + 1] += t1 + sum(s1);
        y[yOff + j + 2] += t2 + sum(s2);
        y[yOff + j + 3] += t3 + sum(s3);
    }

    /** Four columns at a time: y is loaded and stored once per four columns. */
    @Override
    public void gemvN(int m, int n, double alpha, double[] a, int aOff, int lda, double[] x, int xOff, double[] y, int yOff) {
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int c0 = aOff + j * lda, c1 = c0 + lda, c2 = c1 + lda, c3 = c2 + lda;
            double x0 = alpha * x[xOff + j], x1 = alpha * x[xOff + j + 1], x2 = alpha * x[xOff + j + 2], x3 = alpha * x[xOff + j + 3];
            DoubleVector b0 = DoubleVector.broadcast(S, x0), b1 = DoubleVector.broadcast(S, x1);
            DoubleVector b2 = DoubleVector.broadcast(S, x2), b3 = DoubleVector.broadcast(S, x3);
            int i = 0;
            for (int bound = S.loopBound(m); i < bound; i += L) {
                DoubleVector yi = DoubleVector.fromArray(S, y, yOff + i);
                yi = DoubleVector.fromArray(S, a, c0 + i).fma(b0, yi);
                yi = DoubleVector.fromArray(S, a, c1 + i).fma(b1, yi);
                yi = DoubleVector.fromArray(S, a, c2 + i).fma(b2, yi);
                yi = DoubleVector.fromArray(S, a, c3 + i).fma(b3, yi);
                yi.intoArray(y, yOff + i);
            }
            for (; i < m; i++) {
                y[yOff + i] += a[c0 + i] * x0 + a[c1 + i] * x1 + a[c2 + i] * x2 + a[c3 + i] * x3;
            }
        }
        for (; j < n; j++) {
            axpy(m, alpha * x[xOff + j], a, aOff + j * lda, y, yOff);
        }
    }

    /** Four columns at a time: x is loaded once per four dot products. */
    @Override
    public void gemvT(int m, int n, double[] a, int aOff, int lda, double[] x, int xOff, double[] y, int yOff) {
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int c0 = aOff + j * lda, c1 = c0 + lda, c2 = c1 + lda, c3 = c2 + lda;
            DoubleVector s0 = DoubleVector.zero(S), s1 = DoubleVector.zero(S), s2 = DoubleVector.zero(S), s3 = DoubleVector.zero(S);
            int i = 0;
            for (int bound = S.loopBound(m); i < bound; i += L) {
                DoubleVector xi = DoubleVector.fromArray(S, x, xOff + i);
                s0 = DoubleVector.fromArray(S, a, c0 + i).fma(xi, s0);
                s1 = DoubleVector.fromArray(S, a, c1 + i).fma(xi, s1);
                s2 = DoubleVector.fromArray(S, a, c2 + i).fma(xi, s2);
                s3 = DoubleVector.fromArray(S, a, c3 + i).fma(xi, s3);
            }
            double t0 = sum(s0), t1 = sum(s1);
            double t2 = sum(s2), t3 = sum(s3);
            for (; i < m; i++) {
                double xi = x[xOff + i];
                t0 += a[c0 + i] * xi;
                t1 += a[c1 + i] * xi;
                t2 += a[c2 + i] * xi;
                t3 += a[c3 + i] * xi;
            }
            y[yOff + j] = t0;
            y[yOff + j + 1] = t1;
            y[yOff + j + 2] = t2;
            y[yOff + j + 3] = t3;
        }
        for (; j < n; j++) {
            y[yOff + j] = dot(m, a, aOff + j * lda, x, xOff);
        }
    }

    @Override
    public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
        int i = 0;
        DoubleVector s0 = DoubleVector.zero(S), s1 = DoubleVector.zero(S);
        for (int bound = 2 * L * (n / (2 * L)); i < bound; i += 2 * L) {
            s0 = DoubleVector.fromArray(S, x, xOff + i).fma(DoubleVector.fromArray(S, y, yOff + i), s0);
            s1 = DoubleVector.fromArray(S, x, xOff + i + L).fma(DoubleVector.fromArray(S, y, yOff + i + L), s1);
        }
        double s = sum(s0.add(s1));
        for (; i < n; i++) {
            s += x[xOff + i] * y[yOff + i];
        }
        return s;
    }

    @Override
    public void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
        int i = 0;
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, x, xOff + i).fma(va, DoubleVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scaleByQuotients(int n, double c, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff) {
        int i = 0;
        DoubleVector vc = DoubleVector.broadcast(S, c);
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector q = DoubleVector.fromArray(S, x, xOff + i).div(DoubleVector.fromArray(S, y, yOff + i).sub(vc));
            DoubleVector.fromArray(S, z, zOff + i).mul(q).intoArray(z, zOff + i);
        }
        for (; i < n; i++) {
            z[zOff + i] *= x[xOff + i] / (y[yOff + i] - c);
        }
    }

    @Override
    public void divide(int n, double[] x, int xOff, double[] y, int yOff, double[] out, int outOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, x, xOff + i).div(DoubleVector.fromArray(S, y, yOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = x[xOff + i] / y[yOff + i];
        }
    }

    @Override
    public void secularSums(int k, int origin, double eta, double[] z, double[] delta, int off, double[] out) {
        if (eta != 0) {
            DoubleVector ve = DoubleVector.broadcast(S, eta);
            int j = 0;
            for (int bound = S.loopBound(k); j < bound; j += L) {
                DoubleVector.fromArray(S, delta, off + j).sub(ve).intoArray(delta, off + j);
            }
            for (; j < k; j++) {
                delta[off + j] -= eta;
            }
        }
        sideSums(0, origin, origin, -1, z, delta, off, out, 0);
        sideSums(origin + 1, k, origin, 1, z, delta, off, out, 3);
    }

    /** Sums over {@code j ∈ [from, to)} with weights {@code sign·(j − origin)}; the tail is a masked vector. */
    private static void sideSums(int from, int to, int origin, int sign, double[] z, double[] delta, int off, double[] out, int at) {
        DoubleVector terms = DoubleVector.zero(S), dsum = DoubleVector.zero(S), err = DoubleVector.zero(S);
        int j = from;
        for (int bound = from + S.loopBound(to - from); j < bound; j += L) {
            DoubleVector zj = DoubleVector.fromArray(S, z, j);
            DoubleVector t = zj.div(DoubleVector.fromArray(S, delta, off + j));
            DoubleVector term = zj.mul(t);
            terms = terms.add(term);
            dsum = t.fma(t, dsum);
            err = term.abs().fma(IOTA.add(j - origin).mul(sign), err);
        }
        if (j < to) {
            VectorMask<Double> m = S.indexInRange(0, to - j);
            DoubleVector zj = DoubleVector.fromArray(S, z, j, m);
            DoubleVector t = zj.div(DoubleVector.fromArray(S, delta, off + j, m).blend(1.0, m.not()));
            DoubleVector term = zj.mul(t);
            terms = terms.add(term);
            dsum = t.fma(t, dsum);
            err = term.abs().fma(IOTA.add(j - origin).mul(sign), err);
        }
        out[at] = sum(terms);
        out[at + 1] = sum(dsum);
        out[at + 2] = sum(err);
    }
}
