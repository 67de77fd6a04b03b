package bilinear.linalg.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every SIMD kernel uses, fixed once per JVM.
 *
 * <p>C2 only turns Vector API calls into machine instructions when the species is a compile-time
 * constant, so it lives in a {@code static final} field rather than being passed around. The
 * width is the CPU's preferred one unless the system property {@code bilinear.simd.bits}
 * (128, 256 or 512) says otherwise; it must be set before this class is first used (the CLI's
 * {@code --vector-bits} does that, and the test suite runs the contract tests once per width in
 * separate JVMs).
 */
public final class Simd {
    private Simd() {
    }

    /** Float species used by all kernels. */
    public static final VectorSpecies<Float> FLOAT = chooseSpecies();
    /** Int species with the same lane count (the noise generator's hash). */
    public static final VectorSpecies<Integer> INT = VectorSpecies.of(int.class, FLOAT.vectorShape());
    /** Lanes per float vector. */
    public static final int LANES = FLOAT.length();

    private static VectorSpecies<Float> chooseSpecies() {
        String prop = System.getProperty("bilinear.simd.bits");
        if (prop == null || prop.isBlank()) {
            return FloatVector.SPECIES_PREFERRED;
        }
        int bits;
        try {
            bits = Integer.parseInt(prop.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bilinear.simd.bits must be 128, 256 or 512, got '" + prop + "'");
        }
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("bilinear.simd.bits must be 128, 256 or 512, got " + bits);
        }
        if (bits > FloatVector.SPECIES_PREFERRED.vectorBitSize()) {
            throw new IllegalArgumentException("bilinear.simd.bits=" + bits + " is wider than this CPU's "
                    + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors");
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }

    /**
     * Whether the CPU has 32 vector registers (AVX-512) rather than 16 (AVX2 and narrower), whatever
     * {@link #FLOAT} was set to: it decides the GEMM tiles ({@code MicroKernels}, {@code DoubleGemm}).
     */
    static boolean hasWideRegisterFile() {
        return preferredBits() >= 512;
    }

    /** The CPU's preferred vector width in bits, whatever {@link #FLOAT} was set to. */
    public static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    /** Keeps the int species referenced (the noise kernel uses it through this class). */
    static IntVector intZero() {
        return IntVector.zero(INT);
    }
}
