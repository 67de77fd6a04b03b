package bilinear.linalg.eigen;

/**
 * {@link DoubleKernels} as plain Java loops: the reference the Vector API kernels are tested
 * against, and the path taken when the Vector API cannot run fast. Inner loops walk contiguous
 * columns ({@code y += a·x} shapes), which C2 vectorises on its own; reductions keep four partial
 * sums so they are not one long dependency chain.
 */
final class PlainDoubleKernels implements DoubleKernels {
    static final PlainDoubleKernels INSTANCE = new PlainDoubleKernels();

    private PlainDoubleKernels() {
    }

    @Override
    public String name() {
        return "plain";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                     double beta, double[] c, int cOff, int ldc) {
        for (int j = 0; j < n; j++) {
            int cj = cOff + j * ldc;
            if (beta == 0) {
                java.util.Arrays.fill(c, cj, cj + m, 0.0);
            } else if (beta != 1) {
                for (int i = 0; i < m; i++) {
                    c[cj + i] *= beta;
                }
            }
        }
        if (m == 0 || n == 0 || k == 0 || alpha == 0) {
            return;
        }
        if (!transA) {
            // C(:, j) += Σ_p A(:, p)·(alpha·op(B)(p, j)): axpys down contiguous columns of A and C.
            for (int j = 0; j < n; j++) {
                int cj = cOff + j * ldc;
                for (int p = 0; p < k; p++) {
                    double bpj = alpha * (transB ? b[bOff + j + p * ldb] : b[bOff + p + j * ldb]);
                    if (bpj != 0) {
                        axpy(m, bpj, a, aOff + p * lda, c, cj);
                    }
                }
            }
        } else if (!transB) {
            // C(i, j) += alpha·A(:, i)·B(:, j): both columns contiguous.
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    c[cOff + i + j * ldc] += alpha * dot(k, a, aOff + i * lda, b, bOff + j * ldb);
                }
            }
        } else {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a[aOff + p + i * lda] * b[bOff + j + p * ldb];
                    }
                    c[cOff + i + j * ldc] += alpha * s;
                }
            }
        }
    }

    @Override
    public void symvLower(int n, double[] a, int aOff, int lda, double[] x, int xOff, double[] y, int yOff) {
        java.util.Arrays.fill(y, yOff, yOff + n, 0.0);
        // Column j of the lower triangle, A(j+1.., j), contributes A(i, j)·x(j) to y(i) and
        // A(i, j)·x(i) to y(j): each stored entry is read once for both halves of the product.
        for (int j = 0; j < n; j++) {
            int col = aOff + j * lda;
            double xj = x[xOff + j];
            double t = a[col + j] * xj;
            int len = n - j - 1;
            if (len > 0) {
                axpy(len, xj, a, col + j + 1, y, yOff + j + 1);
                t += dot(len, a, col + j + 1, x, xOff + j + 1);
            }
            y[yOff + j] += t;
        }
    }

    @Override
    public void gemvN(int m, int n, double alpha, double[] a, int aOff, int lda, double[] x, int xOff, double[] y, int yOff) {
        for (int j = 0; j < n; j++) {
            double s = alpha * x[xOff + j];
            if (s != 0) {
                axpy(m, s, a, aOff + j * lda, y, yOff);
            }
        }
    }

    @Override
    public void gemvT(int m, int n, double[] a, int aOff, int lda, double[] x, int xOff, double[] y, int yOff) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] = dot(m, a, aOff + j * lda, x, xOff);
        }
    }

    @Override
    public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += x[xOff + i] * y[yOff + i];
            s1 += x[xOff + i + 1] * y[yOff + i + 1];
            s2 += x[xOff + i + 2] * y[yOff + i + 2];
            s3 += x[xOff + i + 3] * y[yOff + i + 3];
        }
        for (; i < n; i++) {
            s0 += x[xOff + i] * y[yOff + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scaleByQuotients(int n, double c, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff) {
        for (int i = 0; i < n; i++) {
            z[zOff + i] *= x[xOff + i] / (y[yOff + i] - c);
        }
    }

    @Override
    public void divide(int n, double[] x, int xOff, double[] y, int yOff, double[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] / y[yOff + i];
        }
    }

    @Override
    public void secularSums(int k, int origin, double eta, double[] z, double[] delta, int off, double[] out) {
        if (eta != 0) {
            for (int j = 0; j < k; j++) {
                delta[off + j] -= eta;
            }
        }
        double psi = 0, dpsi = 0, err = 0;
        for (int j = 0; j < origin; j++) {
            double t = z[j] / delta[off + j];
            psi += z[j] * t;
            dpsi += t * t;
            err += Math.abs(z[j] * t) * (origin - j);
        }
        out[0] = psi;
        out[1] = dpsi;
        out[2] = err;
        double phi = 0, dphi = 0;
        err = 0;
        for (int j = origin + 1; j < k; j++) {
            double t = z[j] / delta[off + j];
            phi += z[j] * t;
            dphi += t * t;
            err += Math.abs(z[j] * t) * (j - origin);
        }
        out[3] = phi;
        out[4] = dphi;
        out[5] = err;
    }
}
