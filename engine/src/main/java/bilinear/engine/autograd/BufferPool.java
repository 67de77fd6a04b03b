package bilinear.engine.autograd;

import bilinear.linalg.Shape;
import bilinear.linalg.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reuses activation and gradient buffers across steps. A training step asks for the same sizes in
 * the same order every time, so after the first step nothing is allocated: {@link #take} hands out
 * a free array of exactly the requested size, {@link #releaseAll} returns every array handed out
 * since the last release, {@link #release} one of them early.
 */
final class BufferPool {
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final List<float[]> inUse = new ArrayList<>();
    private long allocatedFloats;

    /** A tensor of the given shape whose contents are unspecified (callers overwrite it). */
    Tensor take(Shape shape) {
        int n = shape.size();
        ArrayDeque<float[]> q = free.get(n);
        float[] data = q == null ? null : q.poll();
        if (data == null) {
            data = new float[n];
            allocatedFloats += n;
        }
        inUse.add(data);
        return Tensor.wrap(data, shape);
    }

    /**
     * Returns one array handed out by {@link #take} before {@link #releaseAll}; its caller must not
     * touch it again. Searched from the newest, where the arrays released early (gradients of the
     * step's backward) are.
     */
    void release(float[] data) {
        for (int i = inUse.size() - 1; i >= 0; i--) {
            if (inUse.get(i) == data) {
                inUse.remove(i);
                free.computeIfAbsent(data.length, k -> new ArrayDeque<>()).push(data);
                return;
            }
        }
        throw new IllegalStateException("released an array of " + data.length + " floats this pool does not have in use");
    }

    void releaseAll() {
        for (float[] d : inUse) {
            free.computeIfAbsent(d.length, k -> new ArrayDeque<>()).push(d);
        }
        inUse.clear();
    }

    /** Floats allocated over the pool's lifetime (for tests and memory reports). */
    long allocatedFloats() {
        return allocatedFloats;
    }
}
