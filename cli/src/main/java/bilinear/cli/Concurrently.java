package bilinear.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs one task on a background thread while the command does something else. Commands load
 * their data this way while the backend runs its SIMD self-check: each takes a few hundred
 * milliseconds, and on two cores they overlap.
 */
final class Concurrently {
    private Concurrently() {
    }

    /**
     * How long training commands let the backend warm its kernels up while the data loads (about
     * as long as loading Fashion-MNIST takes).
     */
    static final long WARM_UP_MILLIS = 300;

    /** Starts {@code task} on a new daemon thread. */
    static <T> FutureTask<T> start(String name, Callable<T> task) {
        FutureTask<T> f = new FutureTask<>(task);
        Thread t = new Thread(f, name);
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** The task's result; its exception, if it threw one, is rethrown unwrapped. */
    static <T> T join(FutureTask<T> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
    }
}
