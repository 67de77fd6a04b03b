package bilinear.linalg;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The engine-owned thread pool. {@code threads} is the total parallelism including the calling
 * thread: the caller works on a job's parts itself while {@code threads − 1} workers take the
 * rest.
 *
 * <p>Work is always split into parts whose boundaries depend only on the problem size and the
 * part count a kernel asks for, and every output element is written by exactly one part in a
 * fixed order, so results do not depend on scheduling.
 *
 * <p>A training step hands the pool a job every millisecond or so (each product, each
 * elementwise pass), and a job is only as fast as its last part. So the workers do not go to
 * sleep between jobs: an idle worker spins for {@link #SPIN_NANOS} watching for the next job and
 * only then parks, and the caller spins while it waits for the last part. Waking a parked thread
 * took 30–100 µs on a KVM guest (the median gap between handing a part to a parked
 * {@code ForkJoinPool} worker and the worker starting it was 39 µs at d=256, 2 threads), which
 * came to 5 % of the step; a spinning worker starts within a microsecond.
 */
public final class Parallel implements AutoCloseable {
    /**
     * How long an idle worker watches for the next job before it parks: longer than the gaps
     * between the parallel kernels of a training step, short enough that a pool left alone stops
     * using its cores within a millisecond.
     */
    static final long SPIN_NANOS = 1_000_000;

    private final int threads;
    private final Worker[] workers;
    /** One job at a time: a second thread calling meanwhile runs its parts itself. */
    private final ReentrantLock running = new ReentrantLock();
    /** The job the workers are to help with; a new object per job, compared by identity. */
    private volatile Job job;
    private volatile boolean closed;

    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i);
            workers[i].start();
        }
    }

    public int threads() {
        return threads;
    }

    /** A body and its parts, claimed one at a time by whichever thread is free. */
    private static final class Job {
        final IntConsumer body;
        final int parts;
        final AtomicInteger nextPart = new AtomicInteger();
        final AtomicInteger unfinished;
        /** The first failure of any part; written before that part counts itself finished. */
        volatile Throwable failure;

        Job(IntConsumer body, int parts) {
            this.body = body;
            this.parts = parts;
            this.unfinished = new AtomicInteger(parts);
        }

        /** Runs parts until none is left to claim. */
        void work() {
            for (int p; (p = nextPart.getAndIncrement()) < parts; ) {
                try {
                    body.accept(p);
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    }
                } finally {
                    unfinished.decrementAndGet();
                }
            }
        }
    }

    private final class Worker extends Thread {
        /** Set while this worker is parked (or about to park); the caller then unparks it. */
        volatile boolean parked;

        Worker(int index) {
            super("bilinear-worker-" + index);
            setDaemon(true);
        }

        Parallel pool() {
            return Parallel.this;
        }

        @Override
        public void run() {
            Job done = null;
            while (!closed) {
                Job next = awaitJob(done);
                if (next != null) {
                    next.work();
                    done = next;
                }
            }
        }

        /** The job after {@code done}: spins for it, then parks; null when woken without one. */
        private Job awaitJob(Job done) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            do {
                Job next = job;
                if (next != done) {
                    return next;
                }
                Thread.onSpinWait();
            } while (System.nanoTime() < spinUntil && !closed);
            // Announce the park, then look once more: a caller publishes its job before it reads
            // this flag, so either this read sees the job or the caller sees the flag and unparks.
            parked = true;
            try {
                if (job == done && !closed) {
                    LockSupport.park(this);
                }
            } finally {
                parked = false;
            }
            Job next = job;
            return next != done ? next : null;
        }
    }

    /**
     * Runs {@code body.accept(part)} for every part in {@code [0, parts)}, in parallel when there
     * is more than one part and more than one thread. Parts beyond the thread count are taken
     * by whichever thread finishes first. Called from inside a part, or while another thread's
     * job is running, the parts run one after another on the calling thread.
     */
    public void forEachPart(int parts, IntConsumer body) {
        if (parts <= 0) {
            return;
        }
        // Inside a part of this pool's job: on one of its workers, or on the caller running one.
        boolean inside = (Thread.currentThread() instanceof Worker w && w.pool() == this) || running.isHeldByCurrentThread();
        if (parts == 1 || workers.length == 0 || inside || !running.tryLock()) {
            for (int p = 0; p < parts; p++) {
                body.accept(p);
            }
            return;
        }
        try {
            if (closed) {
                throw new IllegalStateException("the thread pool is closed");
            }
            Job j = new Job(body, parts);
            job = j;
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
            j.work();
            while (j.unfinished.get() > 0) {
                Thread.onSpinWait();
            }
            Throwable failure = j.failure;
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        } finally {
            running.unlock();
        }
    }

    /**
     * Splits {@code [0, n)} into at most {@link #threads()} contiguous chunks (each a multiple of
     * {@code align} except the last) when {@code work} (a rough flop count) exceeds
     * {@code minWork}; calls {@code body.run(from, to)} per chunk.
     */
    public void forRange(int n, int align, long work, long minWork, RangeBody body) {
        int parts = work < minWork ? 1 : Math.min(threads, Math.max(1, n / Math.max(1, align)));
        if (parts <= 1) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        int units = (n + align - 1) / align;
        forEachPart(parts, p -> {
            int from = (int) ((long) units * p / parts) * align;
            int to = Math.min(n, (int) ((long) units * (p + 1) / parts) * align);
            if (from < to) {
                body.run(from, to);
            }
        });
    }

    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Stops the workers; a job already running finishes first. */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }
}
