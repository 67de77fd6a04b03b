package bilinear.linalg;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bilinear.linalg.scalar.ScalarBackend;
import org.junit.jupiter.api.Test;

/** The training warm-up's rounds, and the SIMD self-check that runs them while it waits. */
class WarmUpTest {

    @Test
    void selfCheckRunsARoundBetweenRacesAndRejectsABackendThatIsNotFaster() {
        try (Parallel one = new Parallel(1)) {
            int[] rounds = {0};
            // Two scalar backends: the "vector" one never gets twice as fast, so the check runs
            // to its budget and rejects it, having run the warm-up between every pair of races.
            SimdGate.SelfCheck check = SimdGate.selfCheck(new ScalarBackend(one), new ScalarBackend(one), 40,
                    () -> ++rounds[0] > 0);
            assertFalse(check.passed());
            assertTrue(check.detail().contains("is not faster than scalar"), check.detail());
            assertTrue(rounds[0] >= 3, "rounds run: " + rounds[0]);
        }
    }

    @Test
    void theSimdWarmUpRunsItsRoundsThenStops() throws Exception {
        try (Parallel one = new Parallel(1)) {
            Backend simd = (Backend) Class.forName("bilinear.linalg.simd.SimdBackend")
                    .getConstructor(Parallel.class).newInstance(one);
            Backend.WarmUpRounds warmUp = simd.trainingWarmUp();
            int rounds = 0;
            while (warmUp.round()) {
                rounds++;
                assertTrue(rounds <= 10_000, "the warm-up never ends");
            }
            assertTrue(rounds > 0, "no rounds");
            assertFalse(warmUp.round(), "a round after the last");
            assertFalse(new ScalarBackend(one).trainingWarmUp().round(), "the scalar backend needs no warm-up");
        }
    }
}
