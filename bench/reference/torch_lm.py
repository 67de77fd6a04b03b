#!/usr/bin/python3
"""The PyTorch side of the language-model comparison (bench/compare-lm): the papers' transformer
with a bilinear (or GLU) MLP trained on the CPU with the same recipe as `bilinear lm train`.

    x = wte[ids]; block: x += s*o(attn(N(x))), x += p(gate(left)*right), left|right = w(N(x));
    s = 1/sqrt(2 layers); N(x) = x*rsqrt(mean(x^2)+1e-8) (no gain); causal attention with rotary
    embeddings (rotate_half, base 10000); logits = lm_head(N(x)); no biases; init N(0, 0.02).
    AdamW(lr, betas (0.9, 0.95), eps 1e-8, wd on every weight); warm-up then linear decay to 0
    (Hugging Face's schedule: update s has rate s/warmup during warm-up); clip the grad norm at 1;
    batches of windows of context+1 tokens at uniformly random offsets of the training stream.
    Validation: the stream cut into windows of `context` inputs (the last shorter), every token but
    the first predicted once; bits/byte = nats/token * tokens / bytes / ln 2.

Reads train.u16 / val.u16 (little-endian uint16 token ids) and meta.json ({"vocab", "val_bytes"})
from --data, which bench/compare-lm writes from the engine's own tokenizer so both sides see the
same tokens. Prints one JSON object: tokens per second (median step after --warm steps), the
validation loss, wall times.

For a fair peer on these AVX-512 machines run it with OpenBLAS's SkylakeX kernels and OpenMP:
    OPENBLAS_CORETYPE=SkylakeX LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS=T
"""
import argparse
import json
import math
import os
import statistics
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def rms_norm(x):
    return x * torch.rsqrt(torch.mean(x * x, dim=-1, keepdim=True) + 1e-8)


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class Attention(nn.Module):
    def __init__(self, d, heads, ctx):
        super().__init__()
        self.heads, self.dh = heads, d // heads
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.o = nn.Linear(d, d, bias=False)
        inv = 1.0 / (10000 ** (torch.arange(0, self.dh, 2).float() / self.dh))
        emb = torch.cat(2 * [torch.einsum("i,j->ij", torch.arange(ctx).float(), inv)], dim=-1)
        self.register_buffer("cos", emb.cos(), persistent=False)
        self.register_buffer("sin", emb.sin(), persistent=False)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, self.dh).permute(2, 0, 3, 1, 4).unbind(0)
        cos, sin = self.cos[:t], self.sin[:t]
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        s = (q @ k.transpose(-1, -2)) / math.sqrt(self.dh)
        s = s.masked_fill(~torch.tril(torch.ones(t, t, dtype=torch.bool)), float("-inf"))
        return self.o((torch.softmax(s, dim=-1) @ v).transpose(1, 2).reshape(b, t, d))


class Block(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.scale = 1.0 / math.sqrt(2.0 * a.layers)
        self.attn = Attention(a.d_model, a.heads, a.context)
        self.w = nn.Linear(a.d_model, 2 * a.d_hidden, bias=False)
        self.p = nn.Linear(a.d_hidden, a.d_model, bias=False)
        self.gate = {"bilinear": nn.Identity(), "reglu": nn.ReLU(), "swiglu": nn.SiLU()}[a.gate]

    def forward(self, x):
        x = x + self.scale * self.attn(rms_norm(x))
        left, right = self.w(rms_norm(x)).chunk(2, dim=-1)
        return x + self.p(self.gate(left) * right)


class Model(nn.Module):
    def __init__(self, a, vocab):
        super().__init__()
        self.wte = nn.Embedding(vocab, a.d_model)
        self.blocks = nn.ModuleList([Block(a) for _ in range(a.layers)])
        self.head = nn.Linear(a.d_model, vocab, bias=False)
        for p in self.parameters():
            nn.init.normal_(p, 0.0, 0.02)

    def forward(self, ids):
        x = self.wte(ids)
        for blk in self.blocks:
            x = blk(x)
        return self.head(rms_norm(x))


@torch.no_grad()
def validate(model, val, ctx, batch):
    n, total, count = len(val), 0.0, 0
    full = (n - 1) // ctx
    for w in range(0, full, batch):
        idx = torch.stack([val[(w + i) * ctx:(w + i) * ctx + ctx + 1] for i in range(min(batch, full - w))])
        logits = model(idx[:, :-1])
        total += F.cross_entropy(logits.reshape(-1, logits.size(-1)), idx[:, 1:].reshape(-1), reduction="sum").item()
        count += idx[:, 1:].numel()
    rest = n - 1 - full * ctx
    if rest > 0:
        idx = val[full * ctx:][None]
        logits = model(idx[:, :-1])
        total += F.cross_entropy(logits.reshape(-1, logits.size(-1)), idx[:, 1:].reshape(-1), reduction="sum").item()
        count += rest
    return total / count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--gate", default="bilinear", choices=["bilinear", "reglu", "swiglu"])
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--context", type=int, default=256)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--d-model", type=int, default=256)
    ap.add_argument("--d-hidden", type=int, default=1024)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--wd", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--warm", type=int, default=20, help="steps left out of the timing median")
    ap.add_argument("--no-eval", action="store_true")
    a = ap.parse_args()
    t_start = time.perf_counter()
    torch.set_num_threads(a.threads)
    meta = json.load(open(os.path.join(a.data, "meta.json")))
    train = torch.from_numpy(np.fromfile(os.path.join(a.data, "train.u16"), dtype="<u2").astype(np.int64))
    val = torch.from_numpy(np.fromfile(os.path.join(a.data, "val.u16"), dtype="<u2").astype(np.int64))
    torch.manual_seed(a.seed)
    model = Model(a, meta["vocab"])
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.95), eps=1e-8, weight_decay=a.wd)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: s / max(1, a.warmup) if s < a.warmup else max(0.0, (a.steps - s) / max(1, a.steps - a.warmup)))
    gen = torch.Generator().manual_seed(a.seed + 1)
    times, losses = [], []
    t_train = time.perf_counter()
    for _ in range(a.steps):
        t0 = time.perf_counter()
        off = torch.randint(0, len(train) - a.context, (a.batch,), generator=gen)
        idx = torch.stack([train[o:o + a.context + 1] for o in off.tolist()])
        logits = model(idx[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), idx[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        losses.append(loss.item())
        times.append(time.perf_counter() - t0)
    train_s = time.perf_counter() - t_train
    timed = times[a.warm:] if len(times) > a.warm else times
    out = {"tokens_per_second": a.batch * a.context / statistics.median(timed), "median_step_seconds": statistics.median(timed),
           "train_seconds": train_s, "first_loss": losses[0], "last_loss": statistics.mean(losses[-20:]),
           "threads": a.threads, "torch": torch.__version__}
    if not a.no_eval:
        nats = validate(model, val, a.context, a.batch)
        out.update({"validation_nats_per_token": nats,
                    "validation_bits_per_byte": nats * len(val) / meta["val_bytes"] / math.log(2)})
    out["wall_seconds"] = time.perf_counter() - t_start
    print(json.dumps(out))


if __name__ == "__main__":
    main()
