package bilinear.linalg.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Double-precision GEMM on the Vector API for the eigensolvers, column-major (LAPACK's
 * convention): {@code C[m×n] = alpha·op(A)[m×k]·op(B)[k×n] + beta·C}, element {@code (i, j)} of
 * a matrix at {@code off + i + j·ld}. Single-threaded: the eigensolvers run one matrix per thread.
 *
 * <p>GotoBLAS loop order: column blocks of {@code NC} &gt; depth blocks of {@code KC} (pack B into
 * {@code NR}-column micro-panels, zero-padded) &gt; row blocks of {@code MC} (pack A into
 * {@code MR}-row micro-panels) &gt; B micro-panel (stays in L1) &gt; A micro-panel &gt; micro-kernel.
 * The micro-kernel holds an {@code MR × NR} tile of C in vector registers ({@code MR} = two
 * vectors down a column, {@code NR} = 8 columns with AVX-512's 32 registers, else 4), loads two
 * vectors of A and broadcasts NR elements of B per step of k: 2·NR FMAs per NR + 2 loads. It
 * writes a scratch tile that is then added into C (ragged edges included). A panel is packed
 * with vector copies when its rows are contiguous (A not transposed, B transposed) and element
 * by element otherwise. Products with at most four columns and B not transposed (the Krylov
 * solver's) take {@link SkinnyDoubleGemm}, which reads the operands down their columns.
 */
final class DoubleGemm {
    private DoubleGemm() {
    }

    static final VectorSpecies<Double> S = VectorSpecies.of(double.class, Simd.FLOAT.vectorShape());
    static final int L = S.length();
    static final int MR = 2 * L;
    /**
     * Columns of a tile: 8 where the CPU has 32 vector registers (AVX-512), else 4 (16 registers:
     * 8 accumulators, as in the float kernels, whose {@link MicroKernels} comment says why 12
     * spill). Measured on AVX-512 with 16-row tiles: 8 columns 94 GFLOP/s, 6 87, 10 81, 12 86,
     * 14 53 (more accumulators, no faster).
     */
    static final int NR = Simd.hasWideRegisterFile() ? 8 : 4;
    static final int KC = 256;
    static final int MC = 128;
    static final int NC = 512;

    /** Packing buffers and the edge tile, one set per thread. */
    private static final class Scratch {
        final double[] packedA = new double[MC * KC];
        final double[] packedB = new double[KC * ((NC + NR - 1) / NR) * NR];
        final double[] tile = new double[MR * NR];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                     double beta, double[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0) {
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        if (!transB && n <= SkinnyDoubleGemm.MAX_N) {
            SkinnyDoubleGemm.gemm(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        // β·C is folded into the first depth block's merge (β = 0: C is written, never read).
        Scratch s = SCRATCH.get();
        // With few columns of C each panel of A would be used once or twice: read it in place.
        boolean inPlaceA = !transA && n <= 2 * NR;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, s.packedB);
                if (inPlaceA) {
                    inPlace(m, nc, kc, alpha, pc == 0 ? beta : 1, a, aOff + pc * lda, lda, s, c, cOff + jc * ldc, ldc);
                    continue;
                }
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, s.packedA);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int bp = jr * kc;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            kernel(kc, s.packedA, ir * kc, MR, s.packedB, bp, s.tile);
                            merge(s.tile, mr, nr, alpha, pc == 0 ? beta : 1, c, cOff + (ic + ir) + (jc + jr) * ldc, ldc);
                        }
                    }
                }
            }
        }
    }

    /**
     * One depth block of a product with few columns ({@code nc ≤ 2·NR}): A's rows are read in
     * place, each MR-row strip once, against the (one or two) packed B micro-panels kept in L1.
     * A ragged last strip is packed, zero-padded.
     */
    private static void inPlace(int m, int nc, int kc, double alpha, double beta, double[] a, int aOff, int lda, Scratch s,
                                double[] c, int cOff, int ldc) {
        for (int ir = 0; ir < m; ir += MR) {
            int mr = Math.min(MR, m - ir);
            if (mr < MR) {
                packA(false, a, aOff, lda, ir, mr, 0, kc, s.packedA);
            }
            for (int jr = 0; jr < nc; jr += NR) {
                int nr = Math.min(NR, nc - jr);
                if (mr == MR) {
                    kernel(kc, a, aOff + ir, lda, s.packedB, jr * kc, s.tile);
                } else {
                    kernel(kc, s.packedA, 0, MR, s.packedB, jr * kc, s.tile);
                }
                merge(s.tile, mr, nr, alpha, beta, c, cOff + ir + jr * ldc, ldc);
            }
        }
    }

    /** {@code C(0:mr, 0:nr) = alpha·tile + beta·C}, whole vectors when the tile is full height; C is not read when β = 0. */
    private static void merge(double[] tile, int mr, int nr, double alpha, double beta, double[] c, int cij, int ldc) {
        if (mr == MR) {
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            for (int j = 0; j < nr; j++) {
                int col = cij + j * ldc, t = j * MR;
                DoubleVector lo = DoubleVector.fromArray(S, tile, t).mul(va), hi = DoubleVector.fromArray(S, tile, t + L).mul(va);
                if (beta == 1) {
                    lo = lo.add(DoubleVector.fromArray(S, c, col));
                    hi = hi.add(DoubleVector.fromArray(S, c, col + L));
                } else if (beta != 0) {
                    lo = DoubleVector.fromArray(S, c, col).fma(DoubleVector.broadcast(S, beta), lo);
                    hi = DoubleVector.fromArray(S, c, col + L).fma(DoubleVector.broadcast(S, beta), hi);
                }
                lo.intoArray(c, col);
                hi.intoArray(c, col + L);
            }
        } else {
            for (int j = 0; j < nr; j++) {
                for (int i = 0; i < mr; i++) {
                    int at = cij + i + j * ldc;
                    c[at] = alpha * tile[i + j * MR] + (beta == 0 ? 0 : beta * c[at]);
                }
            }
        }
    }

    /** C = beta·C, C not read when beta = 0 (also {@link SkinnyDoubleGemm}'s first step). */
    static void scaleC(int m, int n, double beta, double[] c, int cOff, int ldc) {
        if (beta == 1) {
            return;
        }
        for (int j = 0; j < n; j++) {
            int col = cOff + j * ldc;
            if (beta == 0) {
                java.util.Arrays.fill(c, col, col + m, 0.0);
            } else {
                for (int i = 0; i < m; i++) {
                    c[col + i] *= beta;
                }
            }
        }
    }

    /**
     * Rows {@code ic … ic+mc} and depth {@code pc … pc+kc} of op(A) into micro-panels of MR rows:
     * panel {@code r} holds, for each p, the MR values of column p, at {@code dst[r·MR·kc + p·MR …]};
     * rows past m are zero.
     */
    private static void packA(boolean transA, double[] a, int aOff, int lda, int ic, int mc, int pc, int kc, double[] dst) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = ir * kc;
            if (!transA && mr == MR) {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (ic + ir) + (pc + p) * lda;
                    DoubleVector.fromArray(S, a, src).intoArray(dst, base + p * MR);
                    DoubleVector.fromArray(S, a, src + L).intoArray(dst, base + p * MR + L);
                }
            } else if (!transA) {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (ic + ir) + (pc + p) * lda, to = base + p * MR;
                    for (int r = 0; r < MR; r++) {
                        dst[to + r] = r < mr ? a[src + r] : 0;
                    }
                }
            } else {
                // op(A)(i, p) = A(p, i): row i of op(A) is contiguous in A's column i. Read the mr
                // rows as parallel streams and write the panel sequentially.
                int src = aOff + pc + (ic + ir) * lda;
                for (int p = 0; p < kc; p++) {
                    int to = base + p * MR;
                    for (int r = 0; r < mr; r++) {
                        dst[to + r] = a[src + p + r * lda];
                    }
                    for (int r = mr; r < MR; r++) {
                        dst[to + r] = 0;
                    }
                }
            }
        }
    }

    /**
     * Depth {@code pc … pc+kc} and columns {@code jc … jc+nc} of op(B) into micro-panels of NR
     * columns: panel {@code q} holds, for each p, the NR values of row p, at
     * {@code dst[q·NR·kc + p·NR …]}; columns past n are zero.
     */
    private static void packB(boolean transB, double[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, double[] dst) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = jr * kc;
            if (transB && nr == NR && NR % L == 0) {
                // op(B)(p, j) = B(j, p): row p of op(B) is contiguous in B's column p.
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (jc + jr) + (pc + p) * ldb;
                    for (int v = 0; v < NR; v += L) {
                        DoubleVector.fromArray(S, b, src + v).intoArray(dst, base + p * NR + v);
                    }
                }
            } else if (transB) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (jc + jr) + (pc + p) * ldb, to = base + p * NR;
                    for (int q = 0; q < NR; q++) {
                        dst[to + q] = q < nr ? b[src + q] : 0;
                    }
                }
            } else if (nr == NR) {
                // op(B)(p, j) = B(p, j): NR columns of B read as parallel streams, the panel
                // written sequentially.
                int src = bOff + pc + (jc + jr) * ldb;
                for (int p = 0; p < kc; p++) {
                    int to = base + p * NR;
                    for (int q = 0; q < NR; q++) {
                        dst[to + q] = b[src + p + q * ldb];
                    }
                }
            } else {
                int src = bOff + pc + (jc + jr) * ldb;
                for (int p = 0; p < kc; p++) {
                    int to = base + p * NR;
                    for (int q = 0; q < NR; q++) {
                        dst[to + q] = q < nr ? b[src + p + q * ldb] : 0;
                    }
                }
            }
        }
    }

    /**
     * {@code tile[i + j·MR] = Σ_p Â[aOff + p·aStride + i]·B̂[p·NR + j]}: the MR×NR product of
     * an A panel (packed, stride MR, or read in place down a column-major A, stride lda) and a
     * packed B micro-panel over depth kc, into a scratch tile (merged into C by the caller, so the
     * kernel touches no C memory and its registers hold nothing but the accumulators).
     */
    static void kernel(int kc, double[] ap, int aOff, int aStride, double[] bp, int bOff, double[] tile) {
        if (NR == 8) {
            kernel8(kc, ap, aOff, aStride, bp, bOff, tile);
        } else {
            kernel4(kc, ap, aOff, aStride, bp, bOff, tile);
        }
    }

    /** The MR×8 kernel; see {@link #kernel}. */
    private static void kernel8(int kc, double[] ap, int aOff, int aStride, double[] bp, int bOff, double[] tile) {
        DoubleVector c0a = DoubleVector.zero(S), c0b = DoubleVector.zero(S);
        DoubleVector c1a = DoubleVector.zero(S), c1b = DoubleVector.zero(S);
        DoubleVector c2a = DoubleVector.zero(S), c2b = DoubleVector.zero(S);
        DoubleVector c3a = DoubleVector.zero(S), c3b = DoubleVector.zero(S);
        DoubleVector c4a = DoubleVector.zero(S), c4b = DoubleVector.zero(S);
        DoubleVector c5a = DoubleVector.zero(S), c5b = DoubleVector.zero(S);
        DoubleVector c6a = DoubleVector.zero(S), c6b = DoubleVector.zero(S);
        DoubleVector c7a = DoubleVector.zero(S), c7b = DoubleVector.zero(S);
        for (int p = 0, ia = aOff, ib = bOff; p < kc; p++, ia += aStride, ib += 8) {
            DoubleVector a0 = DoubleVector.fromArray(S, ap, ia);
            DoubleVector a1 = DoubleVector.fromArray(S, ap, ia + L);
            DoubleVector x;
            x = DoubleVector.broadcast(S, bp[ib]);
            c0a = a0.fma(x, c0a);
            c0b = a1.fma(x, c0b);
            x = DoubleVector.broadcast(S, bp[ib + 1]);
            c1a = a0.fma(x, c1a);
            c1b = a1.fma(x, c1b);
            x = DoubleVector.broadcast(S, bp[ib + 2]);
            c2a = a0.fma(x, c2a);
            c2b = a1.fma(x, c2b);
            x = DoubleVector.broadcast(S, bp[ib + 3]);
            c3a = a0.fma(x, c3a);
            c3b = a1.fma(x, c3b);
            x = DoubleVector.broadcast(S, bp[ib + 4]);
            c4a = a0.fma(x, c4a);
            c4b = a1.fma(x, c4b);
            x = DoubleVector.broadcast(S, bp[ib + 5]);
            c5a = a0.fma(x, c5a);
            c5b = a1.fma(x, c5b);
            x = DoubleVector.broadcast(S, bp[ib + 6]);
            c6a = a0.fma(x, c6a);
            c6b = a1.fma(x, c6b);
            x = DoubleVector.broadcast(S, bp[ib + 7]);
            c7a = a0.fma(x, c7a);
            c7b = a1.fma(x, c7b);
        }
        c0a.intoArray(tile, 0 * L);
        c0b.intoArray(tile, 1 * L);
        c1a.intoArray(tile, 2 * L);
        c1b.intoArray(tile, 3 * L);
        c2a.intoArray(tile, 4 * L);
        c2b.intoArray(tile, 5 * L);
        c3a.intoArray(tile, 6 * L);
        c3b.intoArray(tile, 7 * L);
        c4a.intoArray(tile, 8 * L);
        c4b.intoArray(tile, 9 * L);
        c5a.intoArray(tile, 10 * L);
        c5b.intoArray(tile, 11 * L);
        c6a.intoArray(tile, 12 * L);
        c6b.intoArray(tile, 13 * L);
        c7a.intoArray(tile, 14 * L);
        c7b.intoArray(tile, 15 * L);
    }

    /** The MR×4 kernel; see {@link #kernel}. */
    private static void kernel4(int kc, double[] ap, int aOff, int aStride, double[] bp, int bOff, double[] tile) {
        DoubleVector c0a = DoubleVector.zero(S), c0b = DoubleVector.zero(S);
        DoubleVector c1a = DoubleVector.zero(S), c1b = DoubleVector.zero(S);
        DoubleVector c2a = DoubleVector.zero(S), c2b = DoubleVector.zero(S);
        DoubleVector c3a = DoubleVector.zero(S), c3b = DoubleVector.zero(S);
        for (int p = 0, ia = aOff, ib = bOff; p < kc; p++, ia += aStride, ib += 4) {
            DoubleVector a0 = DoubleVector.fromArray(S, ap, ia);
            DoubleVector a1 = DoubleVector.fromArray(S, ap, ia + L);
            DoubleVector x;
            x = DoubleVector.broadcast(S, bp[ib]);
            c0a = a0.fma(x, c0a);
            c0b = a1.fma(x, c0b);
            x = DoubleVector.broadcast(S, bp[ib + 1]);
            c1a = a0.fma(x, c1a);
            c1b = a1.fma(x, c1b);
            x = DoubleVector.broadcast(S, bp[ib + 2]);
            c2a = a0.fma(x, c2a);
            c2b = a1.fma(x, c2b);
            x = DoubleVector.broadcast(S, bp[ib + 3]);
            c3a = a0.fma(x, c3a);
            c3b = a1.fma(x, c3b);
        }
        c0a.intoArray(tile, 0 * L);
        c0b.intoArray(tile, 1 * L);
        c1a.intoArray(tile, 2 * L);
        c1b.intoArray(tile, 3 * L);
        c2a.intoArray(tile, 4 * L);
        c2b.intoArray(tile, 5 * L);
        c3a.intoArray(tile, 6 * L);
        c3b.intoArray(tile, 7 * L);
    }
}
