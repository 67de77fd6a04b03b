package bilinear.linalg.simd;

import bilinear.linalg.Parallel;
import bilinear.linalg.Triangle;
import java.util.concurrent.atomic.AtomicIntegerArray;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM on the Vector API, GotoBLAS style:
 * {@code C[m×n] = alpha·op(A)[m×k]·op(B)[k×n] + beta·C}, all row-major.
 *
 * <p>Loop order: column blocks of {@code NC} &gt; depth blocks of at most {@code KC}, all of equal
 * depth (pack B into panels {@code NR} wide, zero-padded) &gt; row blocks of {@code MC} (pack A
 * into {@code MR}-row tiles, zero-padded, p-major or row by row; see {@link #packA}) &gt; groups
 * of {@code PANEL_GROUP} B panels &gt; {@code MR}-row A tiles (kept in L1) &gt; the group's
 * {@code NR}-wide B panels &gt; the micro-kernel. Products of depth at most 16
 * with A and B not transposed (the classifier head's backward) take {@link ShallowGemm} instead.
 *
 * <p>The micro-kernel ({@link MicroKernels}) keeps an {@code MR × NR} tile of C in vector
 * registers (MR rows × 2 vectors), broadcasts one element of A per row and does two FMAs per row
 * per step of k. Its tile goes through a scratch buffer and is merged into C with alpha and beta;
 * ragged edge tiles are zero-padded in the packed panels and merged element by element.
 *
 * <p>Triangular products ({@link Triangle}, causal attention) skip whole tiles of C above the
 * diagonal (LOWER_OUTPUT; tiles crossing it are merged with a mask per row) or, per MR-row tile,
 * the depths where op(A) is zero (LOWER_LEFT: p &lt; last row + 1; UPPER_LEFT: p ≥ first row).
 *
 * <p>Threads: C is split into one band of rows per thread; each thread packs its own rows of A,
 * and the packed B is shared ({@link SharedB}): each thread's share of B's columns is packed
 * once, and each thread starts on its own share, so nothing is packed twice. (Splitting C
 * along its longer side with private buffers packed the operand along the other side once
 * per thread: on 2 Zen 5 cores a d=512 training step 35.5 → 34.3 ms, d=256 16.0 → 13.3 ms,
 * medians of 3 alternations.) Products with fewer row tiles than threads, or a B too large to
 * hold packed whole, still take that split. Every element of C is summed in the same order for
 * any thread count.
 */
final class SimdGemm {
    static final VectorSpecies<Float> S = Simd.FLOAT;
    static final int L = S.length();
    static final int MR = MicroKernels.MR;
    static final int NR = MicroKernels.NR;
    /**
     * Deepest depth block. Each block's partial sums go through C once (read, add, write) and each
     * micro-kernel call pays its fixed cost (zeroing, storing and merging its tile) once, so
     * deeper blocks halve that overhead: against 256, on a Zen 5 core (medians of 3 alternations),
     * 1024³ NN 182 → 190 GFLOP/s, 2048×512×784 NT 177 → 183, 512×784×2048 TN 137 → 156,
     * 1024×512×2048 TN 166 → 181. An A tile is then 14 × 512 floats = 28 KB, still in a 48 KB L1
     * beside the B lines in flight; 768 measured the same as 512 within noise.
     */
    static final int KC = 512;
    /**
     * Rows of A packed at once, a multiple of MR: about 588, so each B micro-panel is reused across
     * 42 tiles. The packed block (588 × KC floats, 1.2 MB) is at the size of L2, not inside it;
     * 392-row blocks (800 KB) measured slower on four of five training shapes at KC = 512. Taller
     * blocks read a transposed A in longer contiguous row segments; against 182 rows this made
     * the language model's weight-gradient products (k = 4096) 7–10 % faster.
     */
    static final int MC = 588 / MR * MR;
    static final int NC = 2048;
    /**
     * B panels per pass over the A tiles of a block: each A tile (28 KB) stays in L1 while it
     * meets 4 panels (256 KB of B, from L2), and C is written 4·NR = 128 columns at a time along
     * each row. One panel per pass (B in L1, C written 32 columns at a time, rows 4–16 KB apart)
     * made the products with a wide C 20 % slower: 4096×4096×256 NT (the language model's logits)
     * 119 against 147 GFLOP/s, 4096×2048×256 NT 123 against 147, the other training shapes
     * unchanged; 8 panels per pass was slower on the image model's shapes.
     */
    static final int PANEL_GROUP = 4;
    /** Below this many flops a product runs on the calling thread only. */
    static final long PARALLEL_MIN_FLOPS = 1L << 23;

    /** Columns of C per pass over a block's A tiles (see {@link #PANEL_GROUP}). */
    static final int GROUP_COLUMNS = PANEL_GROUP * NR;
    /**
     * Largest op(B) (floats, k × n rounded up to whole panels) shared by the threads of one
     * product, packed whole; larger ones take the per-thread split.
     */
    static final long SHARED_B_MAX_FLOATS = 1L << 22;

    private final Parallel parallel;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    /** The shared packed B of the product a thread is calling (reused across its calls). */
    private final ThreadLocal<SharedB> sharedB = ThreadLocal.withInitial(SharedB::new);

    SimdGemm(Parallel parallel) {
        this.parallel = parallel;
    }

    /** Per-thread packing buffers, allocated once per thread. */
    private static final class Scratch {
        final float[] packedB = new float[KC * NC];
        final float[] packedA = new float[MC * KC];
        final float[] tile = new float[MR * NR];
        /** Gather offsets of the current B panels (refilled per packing call). */
        final int[][] mapsB = Packing.gatherMaps(NR, 1, 1);
    }

    /**
     * All of op(B), packed once for all the threads of one product: depth block {@code pc}
     * (of depth kc) from {@code pc · width} on, its panel at column j from {@code j · kc} on
     * within that, as {@link #packB} lays out one block. The panel groups of a block are split
     * into one share of consecutive groups per thread; a (depth block, share) is a unit that
     * the first thread to need it claims and packs while later ones wait for it. Packing a
     * whole share at once reads B's rows in long runs: claiming group by group read them 512
     * bytes at a time and was slower than the private buffers. A thread only ever waits on a
     * thread that is running (it claimed the unit), so a product whose parts run one after
     * another (a nested call) simply packs every unit in its first part.
     */
    private static final class SharedB {
        private static final int FREE = 0, PACKING = 1, PACKED = 2;
        float[] panels = new float[0];
        AtomicIntegerArray states = new AtomicIntegerArray(0);
        /** Columns of op(B) rounded up to whole panels. */
        int width;
        int groups;
        int shares;

        SharedB reset(int k, int n, int threads) {
            width = (n + NR - 1) / NR * NR;
            groups = (n + GROUP_COLUMNS - 1) / GROUP_COLUMNS;
            shares = Math.min(threads, groups);
            int units = shares * ((k + depthBlock(k) - 1) / depthBlock(k));
            if (panels.length < k * width) {
                panels = new float[k * width];
            }
            if (states.length() < units) {
                states = new AtomicIntegerArray(units);
            } else {
                for (int u = 0; u < units; u++) {
                    states.set(u, FREE);
                }
            }
            return this;
        }

        /** Makes sure the share holding the group at column jg of the depth block at pc is packed. */
        void ensure(Operands o, Scratch s, int pc, int kc, int jg) {
            int share = shareOf(jg / GROUP_COLUMNS);
            int unit = pc / depthBlock(o.k) * shares + share;
            if (states.get(unit) == PACKED) {
                return;
            }
            if (states.compareAndSet(unit, FREE, PACKING)) {
                int from = firstGroup(share) * GROUP_COLUMNS, to = Math.min(o.n, firstGroup(share + 1) * GROUP_COLUMNS);
                try {
                    packB(o, pc, kc, from, to - from, panels, pc * width + from * kc, s.mapsB);
                } finally {
                    // A volatile write: the panels happen-before any read of PACKED. Set even if
                    // packing threw, so that the other threads finish and the product fails
                    // with that exception instead of hanging.
                    states.set(unit, PACKED);
                }
                return;
            }
            while (states.get(unit) != PACKED) {
                Thread.onSpinWait();
            }
        }

        /** The first panel group of a share: share s holds groups [⌊s·groups/shares⌋, ⌊(s+1)·groups/shares⌋). */
        int firstGroup(int share) {
            return (int) ((long) share * groups / shares);
        }

        /** The share holding group g: the largest s with ⌊s·groups/shares⌋ ≤ g. */
        int shareOf(int g) {
            return (int) (((long) (g + 1) * shares - 1) / groups);
        }
    }

    /**
     * The operands of one product, each with its leading dimension (the distance between its
     * rows as stored: at least op(A)'s k when A is not transposed, its m when it is).
     */
    private record Operands(Triangle shape, boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff, boolean allowParallel) {
        gemm(Triangle.NONE, transA, transB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff, allowParallel);
    }

    /** Densely stored operands: each leading dimension is its matrix's row length. */
    void gemm(Triangle shape, boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff, boolean allowParallel) {
        gemm(shape, transA, transB, m, n, k, alpha, a, aOff, transA ? m : k, b, bOff, transB ? k : n,
                beta, c, cOff, n, allowParallel);
    }

    /**
     * Operands inside larger arrays: A's stored rows {@code lda} apart, B's {@code ldb}, C's
     * {@code ldc} (the eigensolvers' column-major blocks, seen row-major).
     */
    void gemm(Triangle shape, boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
              boolean allowParallel) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0) {
            scaleC(shape, m, n, beta, c, cOff, ldc);
            return;
        }
        long flops = 2L * m * n * k;
        if (!transA && !transB && k <= ShallowGemm.MAX_K && n >= NR && shape == Triangle.NONE) {
            parallel.forRange(m, 1, flops, allowParallel ? PARALLEL_MIN_FLOPS : Long.MAX_VALUE, (from, to) ->
                    ShallowGemm.rows(n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, from, to));
            return;
        }
        Operands o = new Operands(shape, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        int threads = allowParallel && flops >= PARALLEL_MIN_FLOPS ? parallel.threads() : 1;
        int rowTiles = (m + MR - 1) / MR, colTiles = (n + NR - 1) / NR;
        if (threads == 1) {
            region(o, 0, m, 0, n, null);
        } else if (rowTiles >= threads && (long) k * colTiles * NR <= SHARED_B_MAX_FLOATS) {
            SharedB shared = sharedB.get().reset(k, n, threads);
            parallel.forRange(m, MR, flops, 0, (from, to) -> region(o, from, to, 0, n, shared));
        } else if ((m >= n && rowTiles >= threads) || colTiles < threads) {
            // Too few row tiles for a band each, or a B too large to share: split the longer side
            // of C, every thread packing the whole operand along the side it does not split.
            parallel.forRange(m, MR, flops, 0, (from, to) -> region(o, from, to, 0, n, null));
        } else {
            parallel.forRange(n, NR, flops, 0, (from, to) -> region(o, 0, m, from, to, null));
        }
    }

    /** C = beta·C (only the lower triangle for LOWER_OUTPUT). */
    private static void scaleC(Triangle shape, int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0, cols = Math.min(n, shape.endColumn(i)); j < cols; j++) {
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0 ? 0f : beta * c[ci];
            }
        }
    }

    /**
     * The blocked loop over rows [i0, i1) and columns [j0, j1) of C, with B packed per depth
     * block into this thread's buffer, or, given {@code shared} (all columns), taken from it
     * group by group, starting at the share whose place among the shares matches this band's
     * among the rows, so that each thread first packs (and then uses) a share of its own.
     */
    private void region(Operands o, int i0, int i1, int j0, int j1, SharedB shared) {
        Scratch s = scratch.get();
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            int kBlock = depthBlock(o.k);
            int groups = (nc + GROUP_COLUMNS - 1) / GROUP_COLUMNS;
            int band = shared == null ? 0 : (int) Math.round((double) i0 * shared.shares / o.m);
            int firstGroup = shared == null ? 0 : Math.floorMod(shared.firstGroup(band) - jc / GROUP_COLUMNS, groups);
            for (int pc = 0; pc < o.k; pc += kBlock) {
                int kc = Math.min(kBlock, o.k - pc);
                float[] bp = shared == null ? s.packedB : shared.panels;
                int bBlock = shared == null ? 0 : pc * shared.width + jc * kc;
                if (shared == null) {
                    packB(o, pc, kc, jc, nc, bp, 0, s.mapsB);
                }
                float beta = pc == 0 ? o.beta : 1f;
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(o, ic, mc, pc, kc, s.packedA);
                    for (int q = 0; q < groups; q++) {
                        int jg = (firstGroup + q) % groups * GROUP_COLUMNS;
                        int jgEnd = Math.min(nc, jg + GROUP_COLUMNS);
                        if (shared != null) {
                            shared.ensure(o, s, pc, kc, jc + jg);
                        }
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            for (int jr = jg; jr < jgEnd; jr += NR) {
                                tile(o, s, bp, bBlock + jr * kc, ic, ir, mr, jc, jr, Math.min(NR, nc - jr), pc, kc, beta);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * One MR×NR tile of C: rows ic + ir, columns jc + jr of this block, from the packed A tile at
     * ir and the packed B panel at {@code bp[panel]}, merged into C.
     */
    private static void tile(Operands o, Scratch s, float[] bp, int panel, int ic, int ir, int mr, int jc, int jr, int nr,
                             int pc, int kc, float beta) {
        int row0 = ic + ir, col0 = jc + jr;
        if (col0 >= o.shape.endColumn(row0 + mr - 1)) {
            return;  // the whole tile lies above the diagonal of a LOWER_OUTPUT product
        }
        int p0 = firstDepth(o.shape, row0, pc, kc), p1 = endDepth(o.shape, row0 + mr, pc, kc);
        if (p1 <= p0 && beta == 1f) {
            return;  // nothing to add
        }
        int depth = Math.max(0, p1 - p0);
        int cOff = o.cOff + row0 * o.ldc + col0;
        if (o.transA) {
            MicroKernels.kernel(depth, s.packedA, ir * kc + p0 * MR, bp, panel + p0 * NR, s.tile);
        } else {
            MicroKernels.kernelRows(depth, s.packedA, ir * KC + p0, bp, panel + p0 * NR, s.tile);
        }
        if (col0 + nr > o.shape.endColumn(row0)) {
            mergeLowerTile(s.tile, mr, nr, col0 - row0, o.c, cOff, o.ldc, o.alpha, beta);
        } else if (mr == MR && nr == NR) {
            mergeFullTile(s.tile, o.c, cOff, o.ldc, o.alpha, beta);
        } else {
            mergeTile(s.tile, mr, nr, o.c, cOff, o.ldc, o.alpha, beta);
        }
    }

    /**
     * The first depth of the block at {@code pc} (of depth kc) where op(A)'s rows from
     * {@code row0} on can be nonzero; {@link #endDepth} is one past the last for rows before
     * {@code rowEnd}. The micro-kernel runs, and packing copies, only [firstDepth, endDepth).
     */
    static int firstDepth(Triangle shape, int row0, int pc, int kc) {
        return Math.clamp((long) shape.firstDepth(row0) - pc, 0, kc);
    }

    static int endDepth(Triangle shape, int rowEnd, int pc, int kc) {
        return Math.clamp((long) shape.endDepth(rowEnd - 1) - pc, 0, kc);
    }

    /**
     * The depth of one block: at most KC, and the same for every block of {@code k} so that no
     * short last block pays the kernel's fixed cost (zeroing, storing and merging the tile) over
     * a few steps of p: k = 784 runs as 4 × 196 rather than 3 × 256 + 16.
     */
    static int depthBlock(int k) {
        int blocks = (k + KC - 1) / KC;
        return (k + blocks - 1) / blocks;
    }

    /**
     * Packs op(B)[pc:pc+kc, jc:jc+nc] into panels of NR columns from {@code bp[bpOff]} on: panel
     * q holds, for each p, the NR values op(B)[pc+p, jc+q·NR : jc+(q+1)·NR] contiguously (zero
     * beyond column nc).
     */
    private static void packB(Operands o, int pc, int kc, int jc, int nc, float[] bp, int bpOff, int[][] maps) {
        float[] b = o.b;
        int ldb = o.ldb;
        // op(B)[pc + p, jc + j] = b[base + j·rs + p·ps]
        int rs = o.transB ? ldb : 1, ps = o.transB ? 1 : ldb;
        int base = o.bOff + (o.transB ? jc * ldb + pc : pc * ldb + jc);
        if (rs == 1) {
            Packing.contiguousPanels(b, base, ps, kc, NR, nc, bp, bpOff);
            return;
        }
        Packing.fillGatherMaps(maps, NR, rs, ps);
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int dst = bpOff + jr * kc, src = base + jr * rs;
            if (nr == NR) {
                Packing.panel(b, src, rs, ps, kc, NR, bp, dst, maps);
            } else {
                for (int p = 0; p < kc; p++) {
                    for (int j = 0; j < NR; j++) {
                        bp[dst + p * NR + j] = j < nr ? b[src + j * rs + p * ps] : 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs op(A)[ic:ic+mc, pc:pc+kc] as MR-row tiles, tile t from t·MR·KC on (rows past mc
     * are zero), in the layout whose packing is a plain copy:
     * <ul>
     * <li>A transposed (each depth's rows contiguous): p-major, op(A)[ic + t·MR + r, pc + p] at
     *     t·MR·kc + p·MR + r, read by {@link MicroKernels#kernel} as one contiguous stream;
     * <li>A untransposed (each row's depths contiguous): row by row, at
     *     t·MR·KC + r·KC + p, read by {@link MicroKernels#kernelRows}. Gathering such an A
     *     into the p-major layout cost 8–20 % of the products with an untransposed A on a Zen 5
     *     core (one 16-lane gather per 16 floats); the row copies cost a few percent.
     * </ul>
     * Only the depths the micro-kernel reads for a tile are packed ({@link #firstDepth}).
     */
    private static void packA(Operands o, int ic, int mc, int pc, int kc, float[] ap) {
        float[] a = o.a;
        int lda = o.lda;
        if (o.transA) {
            // op(A)[ic + r, pc + p] = a[aOff + (pc + p)·lda + ic + r]
            Packing.contiguousPanels(a, o.aOff + pc * lda + ic, lda, kc, MR, mc, ap, 0, o.shape, ic, pc);
            return;
        }
        for (int t = 0, tiles = (mc + MR - 1) / MR; t < tiles; t++) {
            int row0 = ic + t * MR, rows = Math.min(MR, mc - t * MR);
            int p0 = firstDepth(o.shape, row0, pc, kc), p1 = endDepth(o.shape, row0 + rows, pc, kc);
            Packing.rowTile(a, o.aOff + row0 * lda + pc, lda, rows, MR, p0, p1, ap, t * MR * KC, KC);
        }
    }

    private static void mergeTile(float[] tile, int mr, int nr, float[] c, int cOff, int ldc, float alpha, float beta) {
        for (int r = 0; r < mr; r++) {
            for (int j = 0; j < nr; j++) {
                int ci = cOff + r * ldc + j;
                float v = alpha * tile[r * NR + j];
                c[ci] = beta == 0 ? v : v + beta * c[ci];
            }
        }
    }

    /**
     * {@link #mergeTile} for a tile crossing the diagonal of a LOWER_OUTPUT product: row r merges
     * only its columns j with {@code shift + j ≤ r} ({@code shift} = first column − first row),
     * through masked vector loads and stores.
     */
    private static void mergeLowerTile(float[] tile, int mr, int nr, int shift, float[] c, int cOff, int ldc,
                                       float alpha, float beta) {
        for (int r = 0; r < mr; r++) {
            int count = Math.min(nr, r - shift + 1);
            for (int j = 0; j < count; j += L) {
                VectorMask<Float> lanes = S.indexInRange(j, count);
                int ci = cOff + r * ldc + j;
                FloatVector v = FloatVector.fromArray(S, tile, r * NR + j).mul(alpha);
                if (beta != 0) {
                    v = v.add(FloatVector.fromArray(S, c, ci, lanes).mul(beta));
                }
                v.intoArray(c, ci, lanes);
            }
        }
    }

    /** C[tile] = alpha·tile + beta·C[tile] for a full MR×NR tile, one row of two vectors at a time. */
    private static void mergeFullTile(float[] tile, float[] c, int cOff, int ldc, float alpha, float beta) {
        for (int r = 0; r < MR; r++) {
            int ci = cOff + r * ldc, ti = r * NR;
            FloatVector lo = FloatVector.fromArray(S, tile, ti), hi = FloatVector.fromArray(S, tile, ti + L);
            if (alpha != 1) {
                lo = lo.mul(alpha);
                hi = hi.mul(alpha);
            }
            if (beta != 0) {
                lo = lo.add(FloatVector.fromArray(S, c, ci).mul(beta));
                hi = hi.add(FloatVector.fromArray(S, c, ci + L).mul(beta));
            }
            lo.intoArray(c, ci);
            hi.intoArray(c, ci + L);
        }
    }
}
