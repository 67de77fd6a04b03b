package bilinear.bench;

import bilinear.linalg.Backend;
import bilinear.linalg.Tensor;

/**
 * One benchmarked product {@code C[m×n] = op(A)·op(B)}, named "m×n×k:TT" with the transpose flags
 * of A and B (as in the engine and in {@code bench/reference/torch_gemm.py}), with its operands:
 * seeded standard normals, A stored k × m when transposed, B stored n × k when transposed.
 */
record GemmProduct(String name, int m, int n, int k, boolean transA, boolean transB, Tensor a, Tensor b, Tensor c) {

    static GemmProduct parse(String shape) {
        String[] parts = shape.split(":");
        String[] dims = parts[0].split("x");
        if (parts.length != 2 || dims.length != 3 || !parts[1].matches("[NT]{2}")) {
            throw new IllegalArgumentException("a product is m×n×k:TT, for example 2048x512x784:NT, not " + shape);
        }
        int m = Integer.parseInt(dims[0]), n = Integer.parseInt(dims[1]), k = Integer.parseInt(dims[2]);
        boolean transA = parts[1].charAt(0) == 'T', transB = parts[1].charAt(1) == 'T';
        Tensor a = transA ? BenchEnv.gaussian(1, k, m) : BenchEnv.gaussian(1, m, k);
        Tensor b = transB ? BenchEnv.gaussian(2, n, k) : BenchEnv.gaussian(2, k, n);
        return new GemmProduct(shape, m, n, k, transA, transB, a, b, Tensor.zeros(m, n));
    }

    double flops() {
        return 2.0 * m * n * k;
    }

    void run(Backend be) {
        be.gemm(transA, transB, 1f, a, b, 0f, c);
    }
}
