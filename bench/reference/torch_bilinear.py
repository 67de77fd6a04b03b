#!/usr/bin/python3
"""The PyTorch reference for `bench/compare`: the engine's `train --recipe paper` recipe, in PyTorch.

Model: x [B, 784] -> embed (784 -> d, no bias) -> blocks.0 (d -> 2d, no bias; h = left * right)
-> head (d -> 10, no bias). AdamW (lr 1e-3, betas 0.9/0.999, eps 1e-8, decoupled weight decay),
cosine schedule evaluated every update, batch 2048 (last partial batch dropped), Gaussian input
noise of std --noise on every training sample, cross-entropy. Fashion-MNIST from the IDX files of
Debian's dataset-fashion-mnist, pixels / 255.

Timing as in the engine: per epoch, the wall time of the training steps (gather, noise, forward,
backward, update, loss.item()) and, separately, the test-set evaluation. Prints one JSON object per
epoch and a final {"summary": ...} line on stdout.

    OMP_NUM_THREADS=1 /usr/bin/python3 bench/reference/torch_bilinear.py --d 256 --epochs 10 --threads 1
"""
import argparse
import gzip
import json
import math
import os
import statistics
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F


def load_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        buf = f.read()
    magic = struct.unpack(">I", buf[:4])[0]
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, buf[4:4 + 4 * ndim])
    return np.frombuffer(buf, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(root, stem):
    kind = "idx3" if stem.endswith("images") else "idx1"
    for name in (f"{stem}-{kind}-ubyte.gz", f"{stem}-{kind}-ubyte", f"{stem}.{kind}-ubyte.gz", f"{stem}.{kind}-ubyte"):
        p = os.path.join(root, name)
        if os.path.exists(p):
            return p
    raise SystemExit(f"no {stem} IDX file in {root}")


def load(root):
    def images(stem):
        return torch.from_numpy(load_idx(find(root, stem)).reshape(-1, 784).astype(np.float32) / 255.0)

    def labels(stem):
        return torch.from_numpy(load_idx(find(root, stem)).astype(np.int64))
    return images("train-images"), labels("train-labels"), images("t10k-images"), labels("t10k-labels")


class Bilinear(torch.nn.Module):
    def __init__(self, d):
        super().__init__()
        self.embed = torch.nn.Linear(784, d, bias=False)
        self.blocks = torch.nn.ModuleList([torch.nn.Linear(d, 2 * d, bias=False)])
        self.head = torch.nn.Linear(d, 10, bias=False)

    def forward(self, x):
        left, right = self.blocks[0](self.embed(x)).chunk(2, dim=-1)
        return self.head(left * right)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--d", type=int, default=512)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch", type=int, default=2048)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--wd", type=float, default=1.0)
    p.add_argument("--noise", type=float, default=0.5)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    t0 = time.perf_counter()
    xtr, ytr, xte, yte = load(a.data_dir)
    load_s = time.perf_counter() - t0

    model = Bilinear(a.d)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.wd)
    steps = xtr.size(0) // a.batch
    total = steps * a.epochs
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 * (1 + math.cos(math.pi * s / total)))

    history = []
    for epoch in range(a.epochs):
        model.train()
        t0 = time.perf_counter()
        perm = torch.randperm(xtr.size(0))
        loss_sum = 0.0
        for s in range(steps):
            idx = perm[s * a.batch:(s + 1) * a.batch]
            x, y = xtr[idx], ytr[idx]
            if a.noise > 0:
                x = x + a.noise * torch.randn_like(x)
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item()
        train_s = time.perf_counter() - t0
        model.eval()
        t1 = time.perf_counter()
        with torch.no_grad():
            acc = (model(xte).argmax(-1) == yte).float().mean().item()
        eval_s = time.perf_counter() - t1
        rec = {"epoch": epoch + 1, "train_loss": loss_sum / steps, "test_accuracy": acc,
               "train_seconds": train_s, "eval_seconds": eval_s}
        history.append(rec)
        print(json.dumps(rec), flush=True)

    steady = [h["train_seconds"] for h in history[1:]] or [history[0]["train_seconds"]]
    print(json.dumps({"summary": {"median_train_seconds": statistics.median(steady), "load_seconds": load_s,
                                  "test_accuracy": history[-1]["test_accuracy"], "threads": a.threads,
                                  "torch": torch.__version__}}), flush=True)


if __name__ == "__main__":
    main()
