package bilinear.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH secondary counter: product benchmarks add the GFLOP one call did, and JMH reports the
 * rate per second (GFLOP/s) next to the primary score.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Flops {
    /** Billions of floating-point operations (products) done; reported per second as GFLOP/s. */
    public double gflop;

    @Setup(Level.Iteration)
    public void clear() {
        gflop = 0;
    }
}
