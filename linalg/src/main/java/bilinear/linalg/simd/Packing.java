package bilinear.linalg.simd;

import bilinear.linalg.Triangle;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies a GEMM operand block into the layout the micro-kernel streams: a panel of {@code width}
 * lines (rows of A, or columns of B) stored p-major, {@code dst[p·width + r] = src[r·rs + p·ps]}
 * for line {@code r < width} and depth {@code p < kc}.
 *
 * <p>The source strides decide the method. When the {@code width} values of one p are contiguous
 * ({@code rs == 1}) the panels are a copy of vector loads and stores ({@link #contiguousPanels}).
 * Otherwise ({@link #panel}) every destination vector is one hardware gather: its lanes come from
 * different lines (and, when lines and vectors do not align, from consecutive p), at offsets that
 * repeat every lcm(width, lanes) values. A scalar transposing copy of the same block cost up to a
 * third of a training-shape product.
 */
final class Packing {
    private Packing() {
    }

    static final VectorSpecies<Float> S = Simd.FLOAT;
    static final int L = S.length();

    /**
     * Gather offsets for a panel of the given width and strides: {@code maps[h][j]} is the source
     * offset of lane j of the h-th vector of a group (see {@link #panel}). Reused across calls
     * with the same shape by the caller.
     */
    static int[][] gatherMaps(int width, int rs, int ps) {
        int[][] maps = new int[lcm(width, L) / L][L];
        fillGatherMaps(maps, width, rs, ps);
        return maps;
    }

    /** Least common multiple (a group of gathers covers this many values: whole lines and whole vectors). */
    static int lcm(int a, int b) {
        int x = a, y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }

    /** Refills {@code maps} (shaped as {@link #gatherMaps} makes them) for new strides. */
    static void fillGatherMaps(int[][] maps, int width, int rs, int ps) {
        for (int h = 0; h < maps.length; h++) {
            for (int j = 0; j < L; j++) {
                int o = h * L + j;           // position within a group: line o % width, depth o / width
                maps[h][j] = (o % width) * rs + (o / width) * ps;
            }
        }
    }

    /**
     * Floats of source rows one pass of {@link #contiguousPanels} reads (16 KB, a third of L1):
     * the depth rows per pass are this over the row length, between 1 and {@link #MAX_DEPTH_GROUP}.
     */
    private static final int GROUP_FLOATS = 4096;
    private static final int MAX_DEPTH_GROUP = 8;

    /**
     * All the panels of a block whose lines are contiguous in {@code src} ({@code rs == 1}: the
     * rows of a transposed A, the columns of an untransposed B): panel {@code t} gets
     * {@code dst[dstOff + t·width·kc + p·width + r] = src[srcOff + p·ps + t·width + r]}, lines at
     * or past {@code lines} zero.
     *
     * <p>Order: groups of depth rows that fit a third of L1 (at most 8), and within a group panel
     * by panel. Row by row, each row's segments go to a different panel (as many store streams as
     * panels); panel by panel over the whole depth, a cold source is read down its columns.
     * Grouped, a few row segments are read front to back while every panel receives consecutive
     * rows: for 588-row blocks of A from a 4096-wide source, 0.45 against 0.65 ns per float, and
     * the language model's k = 4096 weight-gradient products 10–15 % faster. Long rows (a B block
     * 784 or 2048 wide) get small groups: 8 of them would not fit L1 (measured 6 % slower).
     *
     * <p>With a {@link Triangle} structure on the left operand (rows from {@code row0}, depths from
     * {@code pc}), panel t, an MR-row tile of op(A), is packed only over the depths the
     * micro-kernel reads for it ({@code SimdGemm.firstDepth}, {@code SimdGemm.endDepth}).
     */
    static void contiguousPanels(float[] src, int srcOff, int ps, int kc, int width, int lines, float[] dst, int dstOff,
                                 Triangle shape, int row0, int pc) {
        int panels = (lines + width - 1) / width;
        int group = Math.clamp(GROUP_FLOATS / Math.max(1, lines), 1, MAX_DEPTH_GROUP);
        for (int g = 0; g < kc; g += group) {
            int gEnd = Math.min(kc, g + group);
            for (int t = 0; t < panels; t++) {
                int first = t * width, n = Math.min(width, lines - first);
                int lo = Math.clamp(SimdGemm.firstDepth(shape, row0 + first, pc, kc), g, gEnd);
                int hi = Math.clamp(SimdGemm.endDepth(shape, row0 + first + n, pc, kc), g, gEnd);
                int d = dstOff + t * width * kc, s0 = srcOff + first;
                for (int p = lo; p < hi; p++) {
                    int s = s0 + p * ps;
                    // A full line as whole vectors (the common case, inline here: a call per line
                    // costs as much as the copy). When width is not a multiple of L the last vector
                    // overhangs onto the first lanes of depth row p + 1 of this panel, packed later.
                    if (n == width && (width % L == 0 || p + 1 < kc) && s + (width + L - 1) / L * L <= src.length) {
                        for (int r = 0; r < width; r += L) {
                            FloatVector.fromArray(S, src, s + r).intoArray(dst, d + p * width + r);
                        }
                    } else {
                        copyLine(src, s, n, width, dst, d + p * width);
                    }
                }
            }
        }
    }

    /** All the panels of {@link #contiguousPanels} for a plain operand. */
    static void contiguousPanels(float[] src, int srcOff, int ps, int kc, int width, int lines, float[] dst, int dstOff) {
        contiguousPanels(src, srcOff, ps, kc, width, lines, dst, dstOff, Triangle.NONE, 0, 0);
    }

    /** dst[d + r] = src[s + r] for r &lt; n, zero for n ≤ r &lt; width, nothing written past width. */
    private static void copyLine(float[] src, int s, int n, int width, float[] dst, int d) {
        int r = 0;
        for (; r + L <= n; r += L) {
            FloatVector.fromArray(S, src, s + r).intoArray(dst, d + r);
        }
        if (r < n) {
            VectorMask<Float> rest = S.indexInRange(r, n);
            FloatVector.fromArray(S, src, s + r, rest).intoArray(dst, d + r, rest);
        }
        for (int z = n; z < width; z++) {
            dst[d + z] = 0f;
        }
    }

    /**
     * {@code dst[dstOff + p·width + r] = src[srcOff + r·rs + p·ps]} for {@code r < width},
     * {@code p < kc}, by gathers (lines that are not contiguous: {@code rs > 1}; contiguous ones
     * take {@link #contiguousPanels}); every one of the {@code width} lines must exist in {@code src}.
     * {@code maps} are {@link #gatherMaps}{@code (width, rs, ps)}.
     */
    static void panel(float[] src, int srcOff, int rs, int ps, int kc, int width, float[] dst, int dstOff, int[][] maps) {
        // A group of maps.length vectors covers `group` consecutive p: lcm(width, L) values.
        int vectors = maps.length;
        int group = vectors * L / width;
        int p = 0;
        for (; p + group <= kc; p += group) {
            int s = srcOff + p * ps, d = dstOff + p * width;
            for (int h = 0; h < vectors; h++) {
                FloatVector.fromArray(S, src, s, maps[h], 0).intoArray(dst, d + h * L);
            }
        }
        for (; p < kc; p++) {
            for (int r = 0; r < width; r++) {
                dst[dstOff + p * width + r] = src[srcOff + r * rs + p * ps];
            }
        }
    }

    /**
     * One MR-row tile of a block whose rows are contiguous (an untransposed A), stored row by row:
     * {@code dst[dstOff + r·rowStride + p] = src[srcOff + r·ld + p]} for rows {@code r < rows}
     * and depths {@code p0 ≤ p < p1}; rows from {@code rows} to {@code width} are zero over the
     * same depths (an edge tile's rows beyond the operand). Rows of a few hundred floats copy at
     * memory speed with {@link System#arraycopy}.
     */
    static void rowTile(float[] src, int srcOff, int ld, int rows, int width, int p0, int p1, float[] dst, int dstOff,
                        int rowStride) {
        if (p1 <= p0) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, srcOff + r * ld + p0, dst, dstOff + r * rowStride + p0, p1 - p0);
        }
        for (int r = rows; r < width; r++) {
            Arrays.fill(dst, dstOff + r * rowStride + p0, dstOff + r * rowStride + p1, 0f);
        }
    }
}
