#!/usr/bin/python3
"""sgemm through PyTorch (OpenBLAS on Debian) at the shapes of bench's GemmBenchmark, for the yardstick.

    OMP_NUM_THREADS=1 OPENBLAS_CORETYPE=SkylakeX LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \\
        /usr/bin/python3 bench/reference/torch_gemm.py --threads 1

Shapes are "m×n×k:TT" (transpose flags of A and B, as in the engine). Prints GFLOP/s per shape:
the median of --repeat timings (each ~0.5 s of calls) and the spread.
"""
import argparse
import statistics
import time

import torch

SHAPES = ["1024x1024x1024:NN", "1023x1025x1027:NN", "2048x2048x2048:NN",
          "2048x512x784:NT", "2048x1024x512:NT", "2048x512x1024:NN", "1024x512x2048:TN", "512x784x2048:TN",
          "2048x256x784:NT", "2048x512x256:NT", "2048x256x512:NN", "512x256x2048:TN", "256x784x2048:TN",
          "2048x10x512:NT", "2048x512x10:NN", "10x512x2048:TN",
          "4096x4096x256:NT", "4096x256x4096:NN", "4096x256x4096:TN", "4096x2048x256:NT"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("shapes", nargs="*", default=SHAPES)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    for shape in a.shapes:
        dims, flags = shape.split(":")
        m, n, k = (int(v) for v in dims.split("x"))
        A = torch.randn(k, m).t() if flags[0] == "T" else torch.randn(m, k)
        B = torch.randn(n, k).t() if flags[1] == "T" else torch.randn(k, n)
        C = torch.empty(m, n)
        flops = 2.0 * m * n * k
        reps = max(1, int(0.5 * 150e9 / flops))
        for _ in range(3):
            torch.mm(A, B, out=C)
        rates = []
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            for _ in range(reps):
                torch.mm(A, B, out=C)
            rates.append(flops * reps / (time.perf_counter() - t0) / 1e9)
        print("%-20s %7.1f GFLOP/s (%.1f-%.1f), %d thread%s" % (shape, statistics.median(rates), min(rates), max(rates),
                                                                a.threads, "" if a.threads == 1 else "s"), flush=True)


if __name__ == "__main__":
    main()
