package bilinear.linalg.simd;

import bilinear.linalg.CounterRng;
import bilinear.linalg.Gate;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API loops over index ranges {@code [from, to)}; the scalar tail of each loop repeats the
 * reference formula of {@link bilinear.linalg.scalar.ScalarBackend}. {@link SimdBackend} splits
 * work between threads and calls these.
 */
final class SimdKernels {
    private SimdKernels() {
    }

    static final VectorSpecies<Float> S = Simd.FLOAT;
    static final VectorSpecies<Integer> SI = Simd.INT;
    static final int L = S.length();

    static void axpby(float alpha, float[] x, float beta, float[] y, int from, int to) {
        int i = from;
        int bound = from + S.loopBound(to - from);
        if (beta == 0) {
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, x, i).mul(alpha).intoArray(y, i);
            }
        } else {
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, x, i).mul(alpha)
                        .add(FloatVector.fromArray(S, y, i).mul(beta)).intoArray(y, i);
            }
        }
        for (; i < to; i++) {
            y[i] = beta == 0 ? alpha * x[i] : alpha * x[i] + beta * y[i];
        }
    }

    /** out[o + i] = a[o + i] + b[bOff + i] for i in [0, n). */
    static void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, aOff + i).add(FloatVector.fromArray(S, b, bOff + i))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] + b[bOff + i];
        }
    }

    // ------------------------------------------------------------------ gates

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);
    private static final float GELU_C = 0.044715f;

    /** σ(l) lane-wise. */
    static FloatVector gate(Gate gate, FloatVector l) {
        return switch (gate) {
            case NONE -> l;
            case RELU -> l.max(0f);
            case SILU -> l.mul(VectorMath.sigmoid(l));
            case GELU -> geluTanh(l).add(1f).mul(l).mul(0.5f);
        };
    }

    /** tanh(√(2/π)·(l + 0.044715·l³)). */
    private static FloatVector geluTanh(FloatVector l) {
        return VectorMath.tanh(l.mul(l).mul(GELU_C).add(1f).mul(l).mul(SQRT_2_OVER_PI));
    }

    /** σ'(l) lane-wise. */
    static FloatVector gateDerivative(Gate gate, FloatVector l) {
        return switch (gate) {
            case NONE -> FloatVector.broadcast(S, 1f);
            case RELU -> FloatVector.zero(S).blend(1f, l.compare(VectorOperators.GT, 0f));
            case SILU -> {
                FloatVector s = VectorMath.sigmoid(l);
                yield FloatVector.broadcast(S, 1f).sub(s).mul(l).add(1f).mul(s);
            }
            case GELU -> {
                FloatVector t = geluTanh(l);
                FloatVector du = l.mul(l).mul(3 * GELU_C).add(1f).mul(SQRT_2_OVER_PI);
                FloatVector oneMinusT2 = FloatVector.broadcast(S, 1f).sub(t.mul(t));
                yield t.add(1f).mul(0.5f).add(l.mul(0.5f).mul(oneMinusT2).mul(du));
            }
        };
    }

    /** GLU forward for rows [from, to): out[b, j] = σ(z[b, j])·z[b, h + j]. */
    static void glu(Gate gate, float[] z, float[] out, int h, int from, int to) {
        for (int b = from; b < to; b++) {
            int zl = b * 2 * h, zr = zl + h, o = b * h;
            int j = 0;
            for (int bound = S.loopBound(h); j < bound; j += L) {
                FloatVector l = FloatVector.fromArray(S, z, zl + j);
                FloatVector r = FloatVector.fromArray(S, z, zr + j);
                gate(gate, l).mul(r).intoArray(out, o + j);
            }
            for (; j < h; j++) {
                out[o + j] = (float) (gate.apply(z[zl + j]) * z[zr + j]);
            }
        }
    }

    /** GLU backward for rows [from, to); see {@link bilinear.linalg.Backend#gluBackward}. */
    static void gluBackward(Gate gate, float[] z, float[] g, float beta, float[] dz, int h, int from, int to) {
        if (gate == Gate.NONE && beta == 0) {
            bilinearBackward(z, g, dz, h, from, to);
            return;
        }
        for (int b = from; b < to; b++) {
            int zl = b * 2 * h, zr = zl + h, o = b * h;
            int j = 0;
            for (int bound = S.loopBound(h); j < bound; j += L) {
                FloatVector l = FloatVector.fromArray(S, z, zl + j);
                FloatVector r = FloatVector.fromArray(S, z, zr + j);
                FloatVector go = FloatVector.fromArray(S, g, o + j);
                FloatVector dl = go.mul(r).mul(gateDerivative(gate, l));
                FloatVector dr = go.mul(gate(gate, l));
                if (beta != 0) {
                    dl = dl.add(FloatVector.fromArray(S, dz, zl + j).mul(beta));
                    dr = dr.add(FloatVector.fromArray(S, dz, zr + j).mul(beta));
                }
                dl.intoArray(dz, zl + j);
                dr.intoArray(dz, zr + j);
            }
            for (; j < h; j++) {
                double l = z[zl + j], r = z[zr + j], go = g[o + j];
                float dl = (float) (go * r * gate.derivative(l));
                float dr = (float) (go * gate.apply(l));
                dz[zl + j] = beta == 0 ? dl : dl + beta * dz[zl + j];
                dz[zr + j] = beta == 0 ? dr : dr + beta * dz[zr + j];
            }
        }
    }

    /**
     * The bilinear case of {@link #gluBackward} with beta = 0, the one every training step of a
     * bilinear model runs: dz_left = g ⊙ r, dz_right = g ⊙ l. Kept free of the gate dispatch so
     * that C2 compiles it to a plain streaming loop (the general loop ran at a third of memory
     * speed).
     */
    private static void bilinearBackward(float[] z, float[] g, float[] dz, int h, int from, int to) {
        for (int b = from; b < to; b++) {
            int zl = b * 2 * h, zr = zl + h, o = b * h;
            int j = 0;
            for (int bound = S.loopBound(h); j < bound; j += L) {
                FloatVector go = FloatVector.fromArray(S, g, o + j);
                go.mul(FloatVector.fromArray(S, z, zr + j)).intoArray(dz, zl + j);
                go.mul(FloatVector.fromArray(S, z, zl + j)).intoArray(dz, zr + j);
            }
            for (; j < h; j++) {
                float go = g[o + j], l = z[zl + j], r = z[zr + j];
                dz[zl + j] = go * r;
                dz[zr + j] = go * l;
            }
        }
    }

    // ------------------------------------------------------------------ noise

    /** The lane-wise twin of {@link CounterRng#hash}. */
    private static IntVector hash(IntVector i, int key) {
        IntVector h = i.lanewise(VectorOperators.XOR, key);
        h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16)).mul(0x85EBCA6B);
        h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 13)).mul(0xC2B2AE35);
        return h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16));
    }

    /** Elements per chunk of the two-pass noise kernel (its scratch stays in L1). */
    private static final int NOISE_CHUNK = 1024;
    private static final ThreadLocal<float[]> NOISE_SCRATCH = ThreadLocal.withInitial(() -> new float[NOISE_CHUNK]);

    /**
     * out[i] = x[i] + std·CounterRng.gaussian(seed, i) for i in [from, to), ε = sqrt(−2 ln u₁)·cos(2π u₂).
     *
     * <p>Two passes over chunks of {@link #NOISE_CHUNK} elements: the radius sqrt(−2 ln u₁) into a
     * scratch row, then the cosine and the sum. One loop holding both hashes, log and cos is too
     * large for C2 to inline (NodeCountInliningCutoff), and every vector crossing a call that is
     * not inlined is boxed, which made the fused loop about ten times slower.
     */
    static void addGaussianNoise(float[] x, float std, int k1, int k2, float[] out, int from, int to) {
        float[] radius = NOISE_SCRATCH.get();
        for (int c = from; c < to; c += NOISE_CHUNK) {
            int end = Math.min(to, c + NOISE_CHUNK);
            noiseRadius(k1, radius, c, end);
            noiseAdd(x, std, k1, k2, radius, out, c, end);
        }
    }

    /** radius[i − from] = sqrt(−2 ln u₁(i)) for the vector part of [from, to) (to − from ≤ NOISE_CHUNK). */
    private static void noiseRadius(int k1, float[] radius, int from, int to) {
        IntVector lane = IntVector.zero(SI).addIndex(1);
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            FloatVector u1 = ((FloatVector) hash(lane.add(i), k1).lanewise(VectorOperators.LSHR, 8).add(1)
                    .convert(VectorOperators.I2F, 0)).mul(0x1.0p-24f);
            VectorMath.log(u1).mul(-2f).sqrt().intoArray(radius, i - from);
        }
    }

    /** out[i] = x[i] + std·radius[i − from]·cos(2π u₂(i)); the scalar tail is the reference formula. */
    private static void noiseAdd(float[] x, float std, int k1, int k2, float[] radius, float[] out, int from, int to) {
        IntVector lane = IntVector.zero(SI).addIndex(1);
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            FloatVector u2 = ((FloatVector) hash(lane.add(i), k2).lanewise(VectorOperators.LSHR, 8)
                    .convert(VectorOperators.I2F, 0)).mul(0x1.0p-24f);
            FloatVector eps = FloatVector.fromArray(S, radius, i - from).mul(VectorMath.cos2pi(u2));
            eps.mul(std).add(FloatVector.fromArray(S, x, i)).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = x[i] + std * CounterRng.gaussian(k1, k2, i);
        }
    }

    // ------------------------------------------------------------------ reductions

    /** out[j] = Σ_rows x[i, j] + beta·out[j] for columns [from, to). */
    static void sumRows(float[] x, int rows, int cols, float beta, float[] out, int from, int to) {
        int j = from;
        for (; j + L <= to; j += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int i = 0; i < rows; i++) {
                acc = acc.add(FloatVector.fromArray(S, x, i * cols + j));
            }
            if (beta != 0) {
                acc = acc.add(FloatVector.fromArray(S, out, j).mul(beta));
            }
            acc.intoArray(out, j);
        }
        for (; j < to; j++) {
            float s = 0;
            for (int i = 0; i < rows; i++) {
                s += x[i * cols + j];
            }
            out[j] = beta == 0 ? s : s + beta * out[j];
        }
    }

    /** Σ x² over [from, to), accumulated in float lanes, returned as double. */
    static double sumSquares(float[] x, int from, int to) {
        FloatVector acc = FloatVector.zero(S);
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            acc = v.fma(v, acc);
        }
        double s = VectorMath.sumLanes(acc);
        for (; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return s;
    }

    static double sum(float[] x, int from, int to) {
        FloatVector acc = FloatVector.zero(S);
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            acc = acc.add(FloatVector.fromArray(S, x, i));
        }
        double s = VectorMath.sumLanes(acc);
        for (; i < to; i++) {
            s += x[i];
        }
        return s;
    }

    /** Σ a[i]·b[i] over [from, to) in float lanes, returned as double. */
    static double dotDouble(float[] a, float[] b, int from, int to) {
        FloatVector acc = FloatVector.zero(S);
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            acc = FloatVector.fromArray(S, a, i).fma(FloatVector.fromArray(S, b, i), acc);
        }
        double s = VectorMath.sumLanes(acc);
        for (; i < to; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /**
     * Byte lanes loaded per step of {@link #unpackGreyLevels}: L of them are widened to ints, the
     * rest ignored (a 4-lane float species would need a 32-bit byte vector, which does not exist).
     */
    private static final VectorSpecies<Byte> GREY = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, 8 * L)));

    /** out[offset + i] = (levels[from + i] & 0xff) / 255f; zero extension and I2F are exact, the division correctly rounded. */
    static void unpackGreyLevels(byte[] levels, int from, float[] out, int offset, int count) {
        int i = 0;
        for (; i + GREY.length() <= count; i += L) {
            IntVector v = (IntVector) ByteVector.fromArray(GREY, levels, from + i).convertShape(VectorOperators.ZERO_EXTEND_B2I, SI, 0);
            ((FloatVector) v.convert(VectorOperators.I2F, 0)).div(255f).intoArray(out, offset + i);
        }
        for (; i < count; i++) {
            out[offset + i] = (levels[from + i] & 0xff) / 255f;
        }
    }

    static void addScalar(float[] x, float c, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            FloatVector.fromArray(S, x, i).add(c).intoArray(x, i);
        }
        for (; i < to; i++) {
            x[i] += c;
        }
    }

    /** Σ a[aOff + i]·b[bOff + i] for i in [0, n). */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        float s = (float) VectorMath.sumLanes(acc);
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    /** out[o + i] = alpha·(x[o + i] + c·y[o + i]) + beta·out[o + i], for i in [0, n). */
    static void scaledCombination(float alpha, float[] x, float c, float[] y, float beta, float[] out, int o, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, y, o + i).mul(c).add(FloatVector.fromArray(S, x, o + i)).mul(alpha);
            if (beta != 0) {
                v = v.add(FloatVector.fromArray(S, out, o + i).mul(beta));
            }
            v.intoArray(out, o + i);
        }
        for (; i < n; i++) {
            float v = alpha * (x[o + i] + c * y[o + i]);
            out[o + i] = beta == 0 ? v : v + beta * out[o + i];
        }
    }

    // ------------------------------------------------------------------ softmax

    static float max(float[] x, int off, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (n >= L) {
            FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int bound = S.loopBound(n); i < bound; i += L) {
                acc = acc.max(FloatVector.fromArray(S, x, off + i));
            }
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            m = Math.max(m, x[off + i]);
        }
        return m;
    }

    /** out[off + i] = exp(x[off + i] − shift); returns the sum (float lanes, double tail). */
    static double expShifted(float[] x, int off, int n, float shift, float[] out) {
        int i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, off + i).sub(shift));
            if (out != null) {
                e.intoArray(out, off + i);
            }
            acc = acc.add(e);
        }
        double s = VectorMath.sumLanes(acc);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - shift);
            if (out != null) {
                out[off + i] = e;
            }
            s += e;
        }
        return s;
    }

    static void scale(float[] x, int off, int n, float factor) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, off + i).mul(factor).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= factor;
        }
    }

    // ------------------------------------------------------------------ AdamW

    static void adamw(float[] p, float[] g, float gradScale, float[] m, float[] v, float beta1, float beta2,
                      float eps, float decay, float stepSize, float sqrtBc2, int from, int to) {
        int i = from;
        float invSqrtBc2 = 1f / sqrtBc2;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            FloatVector gi = FloatVector.fromArray(S, g, i).mul(gradScale);
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(beta1).add(gi.mul(1 - beta1));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(beta2).add(gi.mul(gi).mul(1 - beta2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector denom = vi.sqrt().mul(invSqrtBc2).add(eps);
            FloatVector pi = FloatVector.fromArray(S, p, i).mul(decay).sub(mi.mul(stepSize).div(denom));
            pi.intoArray(p, i);
        }
        for (; i < to; i++) {
            float gi = g[i] * gradScale;
            m[i] = beta1 * m[i] + (1 - beta1) * gi;
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
            float denom = (float) Math.sqrt(v[i]) / sqrtBc2 + eps;
            p[i] = p[i] * decay - stepSize * m[i] / denom;
        }
    }
}
