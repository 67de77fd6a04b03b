package bilinear.linalg.simd;

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
     * All the panels of a block whose lines are contiguous in {@code src} ({@code rs == 1}: the
     * rows of a transposed A, the columns of an untransposed B): panel {@code t} gets
     * {@code dst[dstOff + t·width·kc + p·width + r] = src[srcOff + p·ps + t·width + r]}, lines at
     * or past {@code lines} zero. Walks the source one depth row at a time, so each row segment is
     * read once, front to back; panel by panel it would touch kc rows (often kc pages) per panel.
     */
    static void contiguousPanels(float[] src, int srcOff, int ps, int kc, int width, int lines, float[] dst, int dstOff) {
        int panels = (lines + width - 1) / width;
        for (int p = 0; p < kc; p++) {
            contiguousRow(src, srcOff + p * ps, p, kc, width, lines, 0, panels, dst, dstOff);
        }
    }

    /**
     * Depth row {@code p} of panels [{@code from}, {@code to}) of {@link #contiguousPanels}, whose
     * source row starts at {@code s}: a triangular product packs only the panels that need it.
     */
    static void contiguousRow(float[] src, int s, int p, int kc, int width, int lines, int from, int to,
                              float[] dst, int dstOff) {
        for (int t = from; t < to; t++) {
            int first = t * width, n = Math.min(width, lines - first);
            int d = dstOff + t * width * kc + p * width;
            int r = 0;
            for (; r + L <= n; r += L) {
                FloatVector.fromArray(S, src, s + first + r).intoArray(dst, d + r);
            }
            if (r < n) {
                VectorMask<Float> rest = S.indexInRange(r, n);
                FloatVector.fromArray(S, src, s + first + r, rest).intoArray(dst, d + r, rest);
            }
            for (int z = n; z < width; z++) {
                dst[d + z] = 0f;
            }
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
}
