package bilinear.linalg.simd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The FMA peak a GEMM is measured against: each thread runs 16 independent chains of vector
 * FMAs (enough to cover two FMA pipes of 4-cycle latency), nothing loaded or stored, so the
 * rate is what the cores' FMA units give through the Vector API. It matches a C loop of
 * independent FMAs to within a few percent on the AVX-512 hosts this was written on.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 16;
    /** Steps per call of {@link #chains}: short calls, so that every timed one runs C2's code. */
    private static final int STEPS = 10_000;
    private static final int CALLS = 2_000;

    private FmaPeak() {
    }

    /**
     * GFLOP/s of all {@code threads} threads together: the best of {@code repeat} runs, since a
     * neighbour on a shared host can only slow a run down and this is a ceiling.
     */
    public static double gflops(int threads, int repeat) throws InterruptedException {
        for (long t0 = System.nanoTime(); System.nanoTime() - t0 < 300_000_000L; ) {
            chains(STEPS);  // compile the loop before timing it
        }
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < repeat; r++) {
            rates.add(run(threads));
        }
        return rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    /**
     * One timed run on {@code threads} new threads. Each thread times itself, from its own start
     * to its own end, and the run spans the earliest start to the latest end: the calling thread
     * may not get a core back until the workers are done.
     */
    private static double run(int threads) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(threads);
        long[] begins = new long[threads], ends = new long[threads];
        float[] sink = new float[threads];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                begins[id] = System.nanoTime();
                float sum = 0;
                for (int c = 0; c < CALLS; c++) {
                    sum += chains(STEPS);
                }
                ends[id] = System.nanoTime();
                sink[id] = sum;
            });
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        double seconds = (Arrays.stream(ends).max().orElseThrow() - Arrays.stream(begins).min().orElseThrow()) / 1e9;
        return 2.0 * S.length() * CHAINS * STEPS * CALLS * threads / seconds / 1e9;
    }

    /**
     * 16 chains x ← m·a + x (x the addend, as a GEMM's accumulators are: written x ← x·m + a,
     * C2 emitted code that ran at 75 % of this rate); returns their sum.
     */
    private static float chains(int steps) {
        FloatVector m = FloatVector.broadcast(S, 0.5f), a = FloatVector.broadcast(S, 1e-6f);
        FloatVector x0 = a, x1 = a, x2 = a, x3 = a, x4 = a, x5 = a, x6 = a, x7 = a;
        FloatVector x8 = a, x9 = a, x10 = a, x11 = a, x12 = a, x13 = a, x14 = a, x15 = a;
        for (int s = 0; s < steps; s++) {
            x0 = m.fma(a, x0);
            x1 = m.fma(a, x1);
            x2 = m.fma(a, x2);
            x3 = m.fma(a, x3);
            x4 = m.fma(a, x4);
            x5 = m.fma(a, x5);
            x6 = m.fma(a, x6);
            x7 = m.fma(a, x7);
            x8 = m.fma(a, x8);
            x9 = m.fma(a, x9);
            x10 = m.fma(a, x10);
            x11 = m.fma(a, x11);
            x12 = m.fma(a, x12);
            x13 = m.fma(a, x13);
            x14 = m.fma(a, x14);
            x15 = m.fma(a, x15);
        }
        return x0.add(x1).add(x2).add(x3).add(x4).add(x5).add(x6).add(x7)
                .add(x8).add(x9).add(x10).add(x11).add(x12).add(x13).add(x14).add(x15).reduceLanes(VectorOperators.ADD);
    }
}
