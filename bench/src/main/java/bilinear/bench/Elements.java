package bilinear.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH secondary counter: elementwise benchmarks add the billions of elements one call
 * processed, and JMH reports the rate per second next to the primary score.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Elements {
    /** Billions of elements processed; reported per second. */
    public double gelem;

    @Setup(Level.Iteration)
    public void clear() {
        gelem = 0;
    }
}
