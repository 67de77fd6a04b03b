"""The yardstick for the eigensolver benchmark: torch.linalg.eigh on the interaction matrices of a
bilinear classifier, timed the same way EigenBenchmark times ours.

    Q_c = sym(W^T diag(P[c]) V)     W, V = the two halves of blocks.0.weight [2h, h], P = head.weight [10, h]

For each class c the matrix is built in float32 (as the engine's GEMM does), then
torch.linalg.eigh runs on the stack of ten (float32, as PyTorch users would, and float64 for the
precision we keep), eigenvalues and eigenvectors. Prints the median and spread of --repeat runs.

The fair peer on these 2-core AVX-512 machines (LAPACK syevd from OpenBLAS with its AVX-512 kernels):

    export OPENBLAS_CORETYPE=SkylakeX LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp
    OMP_NUM_THREADS=1 /usr/bin/python3 bench/torch_eigh.py runs/fm512.safetensors --threads 1

--dump PATH writes the float64 eigenvalues of the ten float64 matrices (ascending, [10, h]) as
.npy so the Java side can compare its own against them.
"""
import argparse
import json
import os
import struct
import sys
import time

import numpy as np
import torch


def load_safetensors(path):
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack("<Q", buf[:8])
    header = json.loads(buf[8:8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    data = memoryview(buf)[8 + n:]
    kinds = {"F32": np.float32, "F64": np.float64}
    out = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        out[name] = np.frombuffer(data[b:e], dtype=kinds[info["dtype"]]).reshape(info["shape"]).copy()
    return out


def interaction_matrices(sd):
    fused, head = sd["blocks.0.weight"], sd["head.weight"]
    h = fused.shape[0] // 2
    w, v = torch.from_numpy(fused[:h]), torch.from_numpy(fused[h:])
    qs = []
    for c in range(head.shape[0]):
        s = torch.from_numpy(head[c])
        b = (w * s[:, None]).T @ v                      # W^T diag(s) V   [h, h] float32
        qs.append(0.5 * (b + b.T))
    return torch.stack(qs)


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--repeat", type=int, default=21)
    p.add_argument("--dump", default=None)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    q32 = interaction_matrices(load_safetensors(a.checkpoint))
    q64 = q32.double()
    n = q32.shape[-1]
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, OPENBLAS_CORETYPE="
          f"{os.environ.get('OPENBLAS_CORETYPE', '-')}, {q32.shape[0]} matrices {n}x{n}")
    for name, q in (("float32", q32), ("float64", q64)):
        torch.linalg.eigh(q)                            # warm-up
        t = timed(lambda: torch.linalg.eigh(q), a.repeat)
        tv = timed(lambda: torch.linalg.eigvalsh(q), a.repeat)
        med, lo, hi = t[len(t) // 2], t[0], t[-1]
        print(f"eigh {name}: ten matrices median {med * 1e3:.1f} ms (min {lo * 1e3:.1f}, max {hi * 1e3:.1f}); "
              f"values only median {tv[len(tv) // 2] * 1e3:.1f} ms")
    if a.dump:
        np.save(a.dump, torch.linalg.eigvalsh(q64).numpy())
        print(f"wrote {a.dump}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
