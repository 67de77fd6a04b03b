package bilinear.linalg.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM micro-kernels: an {@code MR × NR} tile of C held in vector registers,
 * {@code tile[r, :] = Σ_p ap[aOff + p·MR + r] · bp[bOff + p·NR + :]}, with A packed p-major
 * (MR values per p) and B packed in panels NR = 2 vectors wide. Each step of p loads two B
 * vectors, broadcasts MR values of A and does 2·MR FMAs. {@link #kernelRows} is the same tile
 * over an A tile stored row by row, the layout of an untransposed A.
 *
 * <p>MR is as large as the register file allows, because every step pays MR + 2 loads for 2·MR
 * FMAs: with AVX-512's 32 vector registers, 14 rows (28 accumulators, two B vectors, one
 * broadcast: 31 registers); with 16 registers (AVX2 and narrower), 4 rows. A tile that spills a
 * register runs several times slower. Six rows would fit 16 registers on paper (12 accumulators,
 * two B vectors, one broadcast), but C2's register-pressure scheduler hoists all six broadcasts
 * of a step to its top, needs 20 registers and spills an accumulator: its load-FMA-store chain
 * through the stack then paces the loop at about 14 cycles a step. On a Zen 3 core (AVX2, FMA
 * peak 101 GFLOP/s) the 6-row kernel ran at 39 GFLOP/s and the whole GEMM at 31–39 against
 * OpenBLAS's 75–84; the 4-row kernel (8 accumulators, which just cover two FMA pipes of
 * latency 4, and 14 registers even with every load hoisted) runs at 86–88. Both kernels are
 * written out so that the accumulators are locals C2 keeps in registers; only the one matching
 * this CPU is ever compiled.
 */
final class MicroKernels {
    private MicroKernels() {
    }

    static final VectorSpecies<Float> S = Simd.FLOAT;
    static final int L = S.length();
    /** Rows of a tile: 14 where the CPU has 32 vector registers (AVX-512), else 4. */
    static final int MR = Simd.hasWideRegisterFile() ? 14 : 4;
    /** Columns of a tile: two vectors. */
    static final int NR = 2 * L;
    /**
     * Distance between the rows of an A tile packed row by row ({@link #kernelRows}): the
     * deepest depth block ({@code SimdGemm.KC}), whatever the depth of the block at hand.
     */
    static final int A_ROW_STRIDE = SimdGemm.KC;

    /** {@code tile[r·NR + j] = Σ_p ap[aOff + p·MR + r]·bp[bOff + p·NR + j]} for the MR×NR tile. */
    static void kernel(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile) {
        if (MR == 14) {
            kernel14(kc, ap, aOff, bp, bOff, tile);
        } else {
            kernel4(kc, ap, aOff, bp, bOff, tile);
        }
    }

    /**
     * {@code tile[r·NR + j] = Σ_p ap[aOff + r·A_ROW_STRIDE + p]·bp[bOff + p·NR + j]}: the kernel
     * of {@link #kernel} for an A tile stored row by row (each row's depths contiguous, rows
     * {@link #A_ROW_STRIDE} apart), the layout an untransposed A is packed in by plain row
     * copies. The row offsets are compile-time constants, so each broadcast is one load with a
     * fixed displacement from a single index, like the p-major kernel's.
     */
    static void kernelRows(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile) {
        if (MR == 14) {
            kernel14Rows(kc, ap, aOff, bp, bOff, tile);
        } else {
            kernel4Rows(kc, ap, aOff, bp, bOff, tile);
        }
    }

    /** The 14×NR kernel over an A tile stored row by row; see {@link #kernelRows}. */
    private static void kernel14Rows(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile) {
        FloatVector c0a = FloatVector.zero(S), c0b = FloatVector.zero(S);
        FloatVector c1a = FloatVector.zero(S), c1b = FloatVector.zero(S);
        FloatVector c2a = FloatVector.zero(S), c2b = FloatVector.zero(S);
        FloatVector c3a = FloatVector.zero(S), c3b = FloatVector.zero(S);
        FloatVector c4a = FloatVector.zero(S), c4b = FloatVector.zero(S);
        FloatVector c5a = FloatVector.zero(S), c5b = FloatVector.zero(S);
        FloatVector c6a = FloatVector.zero(S), c6b = FloatVector.zero(S);
        FloatVector c7a = FloatVector.zero(S), c7b = FloatVector.zero(S);
        FloatVector c8a = FloatVector.zero(S), c8b = FloatVector.zero(S);
        FloatVector c9a = FloatVector.zero(S), c9b = FloatVector.zero(S);
        FloatVector c10a = FloatVector.zero(S), c10b = FloatVector.zero(S);
        FloatVector c11a = FloatVector.zero(S), c11b = FloatVector.zero(S);
        FloatVector c12a = FloatVector.zero(S), c12b = FloatVector.zero(S);
        FloatVector c13a = FloatVector.zero(S), c13b = FloatVector.zero(S);
        for (int p = 0, ia = aOff, ib = bOff; p < kc; p++, ia++, ib += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, ib);
            FloatVector b1 = FloatVector.fromArray(S, bp, ib + L);
            FloatVector x;
            x = FloatVector.broadcast(S, ap[ia]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(S, ap[ia + A_ROW_STRIDE]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(S, ap[ia + 2 * A_ROW_STRIDE]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(S, ap[ia + 3 * A_ROW_STRIDE]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(S, ap[ia + 4 * A_ROW_STRIDE]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(S, ap[ia + 5 * A_ROW_STRIDE]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
            x = FloatVector.broadcast(S, ap[ia + 6 * A_ROW_STRIDE]);
            c6a = x.fma(b0, c6a);
            c6b = x.fma(b1, c6b);
            x = FloatVector.broadcast(S, ap[ia + 7 * A_ROW_STRIDE]);
            c7a = x.fma(b0, c7a);
            c7b = x.fma(b1, c7b);
            x = FloatVector.broadcast(S, ap[ia + 8 * A_ROW_STRIDE]);
            c8a = x.fma(b0, c8a);
            c8b = x.fma(b1, c8b);
            x = FloatVector.broadcast(S, ap[ia + 9 * A_ROW_STRIDE]);
            c9a = x.fma(b0, c9a);
            c9b = x.fma(b1, c9b);
            x = FloatVector.broadcast(S, ap[ia + 10 * A_ROW_STRIDE]);
            c10a = x.fma(b0, c10a);
            c10b = x.fma(b1, c10b);
            x = FloatVector.broadcast(S, ap[ia + 11 * A_ROW_STRIDE]);
            c11a = x.fma(b0, c11a);
            c11b = x.fma(b1, c11b);
            x = FloatVector.broadcast(S, ap[ia + 12 * A_ROW_STRIDE]);
            c12a = x.fma(b0, c12a);
            c12b = x.fma(b1, c12b);
            x = FloatVector.broadcast(S, ap[ia + 13 * A_ROW_STRIDE]);
            c13a = x.fma(b0, c13a);
            c13b = x.fma(b1, c13b);
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
        c8a.intoArray(tile, 16 * L);
        c8b.intoArray(tile, 17 * L);
        c9a.intoArray(tile, 18 * L);
        c9b.intoArray(tile, 19 * L);
        c10a.intoArray(tile, 20 * L);
        c10b.intoArray(tile, 21 * L);
        c11a.intoArray(tile, 22 * L);
        c11b.intoArray(tile, 23 * L);
        c12a.intoArray(tile, 24 * L);
        c12b.intoArray(tile, 25 * L);
        c13a.intoArray(tile, 26 * L);
        c13b.intoArray(tile, 27 * L);
    }

    /** The 4×NR kernel over an A tile stored row by row; see {@link #kernelRows}. */
    private static void kernel4Rows(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile) {
        FloatVector c0a = FloatVector.zero(S), c0b = FloatVector.zero(S);
        FloatVector c1a = FloatVector.zero(S), c1b = FloatVector.zero(S);
        FloatVector c2a = FloatVector.zero(S), c2b = FloatVector.zero(S);
        FloatVector c3a = FloatVector.zero(S), c3b = FloatVector.zero(S);
        for (int p = 0, ia = aOff, ib = bOff; p < kc; p++, ia++, ib += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, ib);
            FloatVector b1 = FloatVector.fromArray(S, bp, ib + L);
            FloatVector x;
            x = FloatVector.broadcast(S, ap[ia]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(S, ap[ia + A_ROW_STRIDE]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(S, ap[ia + 2 * A_ROW_STRIDE]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(S, ap[ia + 3 * A_ROW_STRIDE]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
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

    /** The 14×NR kernel; see {@link #kernel}. */
    private static void kernel14(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile) {
        FloatVector c0a = FloatVector.zero(S), c0b = FloatVector.zero(S);
        FloatVector c1a = FloatVector.zero(S), c1b = FloatVector.zero(S);
        FloatVector c2a = FloatVector.zero(S), c2b = FloatVector.zero(S);
        FloatVector c3a = FloatVector.zero(S), c3b = FloatVector.zero(S);
        FloatVector c4a = FloatVector.zero(S), c4b = FloatVector.zero(S);
        FloatVector c5a = FloatVector.zero(S), c5b = FloatVector.zero(S);
        FloatVector c6a = FloatVector.zero(S), c6b = FloatVector.zero(S);
        FloatVector c7a = FloatVector.zero(S), c7b = FloatVector.zero(S);
        FloatVector c8a = FloatVector.zero(S), c8b = FloatVector.zero(S);
        FloatVector c9a = FloatVector.zero(S), c9b = FloatVector.zero(S);
        FloatVector c10a = FloatVector.zero(S), c10b = FloatVector.zero(S);
        FloatVector c11a = FloatVector.zero(S), c11b = FloatVector.zero(S);
        FloatVector c12a = FloatVector.zero(S), c12b = FloatVector.zero(S);
        FloatVector c13a = FloatVector.zero(S), c13b = FloatVector.zero(S);
        for (int p = 0, ia = aOff, ib = bOff; p < kc; p++, ia += 14, ib += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, ib);
            FloatVector b1 = FloatVector.fromArray(S, bp, ib + L);
            FloatVector x;
            x = FloatVector.broadcast(S, ap[ia]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(S, ap[ia + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(S, ap[ia + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(S, ap[ia + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(S, ap[ia + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(S, ap[ia + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
            x = FloatVector.broadcast(S, ap[ia + 6]);
            c6a = x.fma(b0, c6a);
            c6b = x.fma(b1, c6b);
            x = FloatVector.broadcast(S, ap[ia + 7]);
            c7a = x.fma(b0, c7a);
            c7b = x.fma(b1, c7b);
            x = FloatVector.broadcast(S, ap[ia + 8]);
            c8a = x.fma(b0, c8a);
            c8b = x.fma(b1, c8b);
            x = FloatVector.broadcast(S, ap[ia + 9]);
            c9a = x.fma(b0, c9a);
            c9b = x.fma(b1, c9b);
            x = FloatVector.broadcast(S, ap[ia + 10]);
            c10a = x.fma(b0, c10a);
            c10b = x.fma(b1, c10b);
            x = FloatVector.broadcast(S, ap[ia + 11]);
            c11a = x.fma(b0, c11a);
            c11b = x.fma(b1, c11b);
            x = FloatVector.broadcast(S, ap[ia + 12]);
            c12a = x.fma(b0, c12a);
            c12b = x.fma(b1, c12b);
            x = FloatVector.broadcast(S, ap[ia + 13]);
            c13a = x.fma(b0, c13a);
            c13b = x.fma(b1, c13b);
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
        c8a.intoArray(tile, 16 * L);
        c8b.intoArray(tile, 17 * L);
        c9a.intoArray(tile, 18 * L);
        c9b.intoArray(tile, 19 * L);
        c10a.intoArray(tile, 20 * L);
        c10b.intoArray(tile, 21 * L);
        c11a.intoArray(tile, 22 * L);
        c11b.intoArray(tile, 23 * L);
        c12a.intoArray(tile, 24 * L);
        c12b.intoArray(tile, 25 * L);
        c13a.intoArray(tile, 26 * L);
        c13b.intoArray(tile, 27 * L);
    }

    /** The 4×NR kernel; see {@link #kernel}. */
    private static void kernel4(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile) {
        FloatVector c0a = FloatVector.zero(S), c0b = FloatVector.zero(S);
        FloatVector c1a = FloatVector.zero(S), c1b = FloatVector.zero(S);
        FloatVector c2a = FloatVector.zero(S), c2b = FloatVector.zero(S);
        FloatVector c3a = FloatVector.zero(S), c3b = FloatVector.zero(S);
        for (int p = 0, ia = aOff, ib = bOff; p < kc; p++, ia += 4, ib += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, ib);
            FloatVector b1 = FloatVector.fromArray(S, bp, ib + L);
            FloatVector x;
            x = FloatVector.broadcast(S, ap[ia]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(S, ap[ia + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(S, ap[ia + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(S, ap[ia + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
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
