package bilinear.linalg.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane-wise exp, log, cos(2π·t), tanh and an ordered lane sum, built only from add, mul, fma,
 * compares and bit operations.
 *
 * <p>Why not {@code lanewise(EXP)} and {@code reduceLanes(ADD)}? The Vector API leaves both to
 * the implementation: compiled code calls a vendor math library and reduces lanes as a tree,
 * while the interpreter and C1 fall back to {@link Math} and a sequential loop, so the same call
 * can round differently before and after JIT compilation and a seeded run would stop being
 * bit-for-bit reproducible. IEEE add/mul/fma round the same way everywhere.
 *
 * <p>Accuracy: a few ulp against the double-precision reference over the ranges used, checked by
 * the contract suite. Coefficients: Cephes single precision (expf, logf) and the Taylor series of
 * cos on [0, π/2] (truncation error below 7e-11).
 */
final class VectorMath {
    private VectorMath() {
    }

    private static final VectorSpecies<Float> S = Simd.FLOAT;
    private static final int L = S.length();

    /** 1.5·2²³: adding and subtracting it rounds a float of magnitude below 2²² to an integer. */
    private static final float ROUNDING_MAGIC = 12582912f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Below this e^x is flushed to 0 (it would be subnormal); above EXP_OVERFLOW it is +∞. */
    private static final float EXP_MIN = -87.3365447504f;
    private static final float EXP_OVERFLOW = 88.7228391117f;

    /*
     * Polynomials are written out as chains of a.fma(b, broadcast(c)) rather than through a helper
     * or a loop over a coefficient array: C2 inlines the Vector API only up to a node budget, and a
     * helper that is left out of line receives and returns boxed vectors (an allocation each call,
     * 5–10× slower).
     */

    /** Rounds to the nearest integer (ties to even); valid for |x| < 2²². */
    private static FloatVector round(FloatVector x) {
        return x.add(ROUNDING_MAGIC).sub(ROUNDING_MAGIC);
    }

    /** The float ROUNDING_MAGIC + 127: above it, n = round(x·log2 e) is 128, one past the float exponents. */
    private static final float MAGIC_N127 = ROUNDING_MAGIC + 127;

    /** e^x: 0 below −87.34, +∞ above 88.72, NaN for NaN. */
    static FloatVector exp(FloatVector x) {
        VectorMask<Float> overflow = x.compare(VectorOperators.GT, EXP_OVERFLOW);
        VectorMask<Float> underflow = x.compare(VectorOperators.LT, EXP_MIN);
        FloatVector xc = x.max(EXP_MIN).min(EXP_OVERFLOW);
        // t = n + 1.5·2²³ with n = round(x·log2 e) ∈ [−126, 128]: its low mantissa bits hold n.
        FloatVector t = xc.mul(LOG2E).add(ROUNDING_MAGIC);
        FloatVector n = t.sub(ROUNDING_MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.fma(1.9875691500E-4f, 1.3981999507E-3f);
        p = p.fma(r, FloatVector.broadcast(S, 8.3334519073E-3f));
        p = p.fma(r, FloatVector.broadcast(S, 4.1665795894E-2f));
        p = p.fma(r, FloatVector.broadcast(S, 1.6666665459E-1f));
        p = p.fma(r, FloatVector.broadcast(S, 5.0000001201E-1f));
        FloatVector y = p.mul(r.mul(r)).add(r).add(1f);
        // 2^n as float bits: (n + 127) << 23 = (bits(t) + 127) << 23, since the bits of 1.5·2²³
        // shift out. n = 128 (x within 0.35 of the overflow) is 2^127 · 2.
        VectorMask<Float> top = t.compare(VectorOperators.GT, MAGIC_N127);
        FloatVector pow2 = t.min(MAGIC_N127).reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        y = y.blend(y.add(y), top).mul(pow2);
        return y.blend(0f, underflow).blend(Float.POSITIVE_INFINITY, overflow);
    }

    private static final float SQRT2 = 1.41421356237f;

    /** Natural log for positive normal x (the noise generator's u ∈ [2⁻²⁴, 1]). */
    static FloatVector log(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).sub(127);
        FloatVector m = bits.and(0x007FFFFF).or(0x3F800000).reinterpretAsFloats();
        VectorMask<Float> big = m.compare(VectorOperators.GT, SQRT2);
        m = m.blend(m.mul(0.5f), big);
        FloatVector fe = ((FloatVector) e.convert(VectorOperators.I2F, 0)).blend(
                ((FloatVector) e.add(1).convert(VectorOperators.I2F, 0)), big);
        FloatVector f = m.sub(1f);
        FloatVector z = f.mul(f);
        FloatVector y = f.fma(7.0376836292E-2f, -1.1514610310E-1f);
        y = y.fma(f, FloatVector.broadcast(S, 1.1676998740E-1f));
        y = y.fma(f, FloatVector.broadcast(S, -1.2420140846E-1f));
        y = y.fma(f, FloatVector.broadcast(S, 1.4249322787E-1f));
        y = y.fma(f, FloatVector.broadcast(S, -1.6668057665E-1f));
        y = y.fma(f, FloatVector.broadcast(S, 2.0000714765E-1f));
        y = y.fma(f, FloatVector.broadcast(S, -2.4999993993E-1f));
        y = y.fma(f, FloatVector.broadcast(S, 3.3333331174E-1f));
        y = y.mul(f).mul(z);
        y = fe.mul(LN2_LO).add(y);
        y = z.mul(-0.5f).add(y);
        return f.add(y).add(fe.mul(LN2_HI));
    }

    private static final float TWO_PI = (float) (2 * Math.PI);
    /** Taylor coefficients of cos θ in θ²: C2k = (−1)^k / (2k)!. */
    private static final float C14 = (float) (-1 / 87178291200.0);
    private static final float C12 = (float) (1 / 479001600.0);
    private static final float C10 = (float) (-1 / 3628800.0);
    private static final float C8 = (float) (1 / 40320.0);
    private static final float C6 = (float) (-1 / 720.0);
    private static final float C4 = (float) (1 / 24.0);
    private static final float C2 = -0.5f;

    /** cos(2π·t) for |t| < 2²². */
    static FloatVector cos2pi(FloatVector t) {
        FloatVector a = t.sub(round(t)).abs();            // [0, 0.5]: cos is even and 1-periodic in t
        VectorMask<Float> flip = a.compare(VectorOperators.GT, 0.25f);
        a = a.blend(a.neg().add(0.5f), flip);             // cos(2π(½ − a)) = −cos(2πa)
        FloatVector theta = a.mul(TWO_PI);
        FloatVector z = theta.mul(theta);
        FloatVector c = FloatVector.broadcast(S, C14);
        c = c.fma(z, FloatVector.broadcast(S, C12));
        c = c.fma(z, FloatVector.broadcast(S, C10));
        c = c.fma(z, FloatVector.broadcast(S, C8));
        c = c.fma(z, FloatVector.broadcast(S, C6));
        c = c.fma(z, FloatVector.broadcast(S, C4));
        c = c.fma(z, FloatVector.broadcast(S, C2));
        c = c.fma(z, FloatVector.broadcast(S, 1f));
        return c.blend(c.neg(), flip);
    }

    /** tanh(u) = sign(u)·(1 − 2/(e^{2|u|} + 1)); absolute error about 1e-7. */
    static FloatVector tanh(FloatVector u) {
        FloatVector t = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(exp(u.abs().mul(2f)).add(1f)));
        return t.blend(t.neg(), u.compare(VectorOperators.LT, 0f));
    }

    /** 1 / (1 + e^{−l}). */
    static FloatVector sigmoid(FloatVector l) {
        return FloatVector.broadcast(S, 1f).div(exp(l.neg()).add(1f));
    }

    /** A per-thread row of lanes for {@link #sumLanes} (a new array per call was most of a training step's garbage). */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[L]);

    /** Σ lanes, lane 0 first, in double: the same answer compiled or interpreted. */
    static double sumLanes(FloatVector v) {
        float[] lanes = LANES.get();
        v.intoArray(lanes, 0);
        double s = 0;
        for (float x : lanes) {
            s += x;
        }
        return s;
    }
}
