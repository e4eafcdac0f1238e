#!/usr/bin/python3
"""PyTorch eager side of `./lab bench --only mlp-speed`: the lecture MLP's training loop, timed as the lab's is.

The lab's bench times, around the whole loop of N steps: the batch draw, the step (forward, backward, update of every
parameter) and the loss handling of its trainer (every step's loss summed on the device, read back every `every`
steps). This script times exactly that loop in PyTorch eager, after the same number of warm-up steps, with the same
recipe and init (context 3, embedding 10, hidden 200, batch 32, lr 0.1 then 0.01 at half, kaiming-style init as
ref_mlp.py's --init-scale, seed 42; torch's own generator, so not the lab's random numbers).

--update lecture: `p.data += -lr * p.grad` per parameter, as the lecture (and ref_mlp.py) writes it;
--update sgd: torch.optim.SGD(foreach=True), one fused update for all parameters (the faster of the two here).
--whole: also the final train/dev evaluation and 20 samples, as `./lab train` does (for whole-process timing).

Prints one line `RESULT {json}`. Run with OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 (the bench sets them).
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F


def contexts(words, stoi, block):
    xs, ys = [], []
    for w in words:
        ctx = [0] * block
        for ch in w + ".":
            xs.append(ctx)
            ys.append(stoi[ch])
            ctx = ctx[1:] + [stoi[ch]]
    return torch.tensor(xs, dtype=torch.long), torch.tensor(ys, dtype=torch.long)


def mapped(part):
    """Shared objects of this process whose name contains `part` (what is really loaded, not what is configured)."""
    try:
        with open("/proc/self/maps") as f:
            return sorted({l.split()[-1] for l in f if part in l.split()[-1].lower() and "/" in l})
    except OSError:
        return []


def blas():
    info = [l.strip() for l in torch.__config__.show().splitlines() if "BLAS_INFO" in l]
    setting = info[0].split("BLAS_INFO=")[1].split(",")[0] if info else "?"
    return {"torch_config_blas_info": setting, "mkl": torch.backends.mkl.is_available(),
            "mapped": [m for m in mapped("blas") + mapped("mkl") if "mkl-amd" not in m]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="a file of words, one a line")
    ap.add_argument("--steps", type=int, default=20000, help="timed steps")
    ap.add_argument("--warmup", type=int, default=2000, help="untimed steps first, on the same model")
    ap.add_argument("--every", type=int, default=10, help="steps between loss read-backs (the lab's progress points)")
    ap.add_argument("--update", choices=["lecture", "sgd"], default="lecture")
    ap.add_argument("--whole", action="store_true", help="also the final evaluation and 20 samples")
    ap.add_argument("--chunks", type=int, default=0, help="after the warm-up, print READY, then time --steps steps"
                    " each time a line comes on stdin and print CHUNK <seconds>, this many times (the lab's bench"
                    " alternates its own chunks with these, so that both halves of a pair see the same load)")
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    torch.set_num_threads(1)
    t_start = time.perf_counter()
    words = [w.strip() for w in open(a.data).read().splitlines() if w.strip()]
    chars = sorted(set("".join(words)))
    stoi = {c: i + 1 for i, c in enumerate(chars)}
    stoi["."] = 0
    n1 = int(0.8 * len(words))
    n2 = int(0.9 * len(words))
    block, emb, hidden, batch, V = 3, 10, 200, 32, len(stoi)
    Xtr, Ytr = contexts(words[:n1], stoi, block)
    g = torch.Generator().manual_seed(a.seed)
    C = torch.randn((V, emb), generator=g)
    W1 = torch.randn((block * emb, hidden), generator=g) * (5 / 3) / math.sqrt(block * emb)
    b1 = torch.randn(hidden, generator=g) * 0.01
    W2 = torch.randn((hidden, V), generator=g) * 0.01
    b2 = torch.zeros(V)
    params = [C, W1, b1, W2, b2]
    for p in params:
        p.requires_grad = True
    opt = torch.optim.SGD(params, lr=0.1, foreach=True) if a.update == "sgd" else None
    bg = torch.Generator().manual_seed(a.seed + 1)
    total = a.warmup + a.steps * max(1, a.chunks)
    loss_sum = torch.zeros(())
    means = []

    def loop(start, end):
        for i in range(start, end):
            lr = 0.1 if i < total // 2 else 0.01
            ix = torch.randint(0, Xtr.shape[0], (batch,), generator=bg)
            h = torch.tanh(C[Xtr[ix]].view(batch, -1) @ W1 + b1)
            loss = F.cross_entropy(h @ W2 + b2, Ytr[ix])
            if opt is None:
                for p in params:
                    p.grad = None
                loss.backward()
                for p in params:
                    p.data += -lr * p.grad
            else:
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.param_groups[0]["lr"] = lr
                opt.step()
            loss_sum.add_(loss.detach())
            if (i + 1) % a.every == 0:
                means.append(loss_sum.item() / a.every)
                loss_sum.zero_()

    loop(0, a.warmup)
    if a.chunks:
        print("READY", flush=True)
        timed = 0.0
        for k in range(a.chunks):
            sys.stdin.readline()
            t0 = time.perf_counter()
            loop(a.warmup + k * a.steps, a.warmup + (k + 1) * a.steps)
            dt = time.perf_counter() - t0
            timed += dt
            print(f"CHUNK {dt}", flush=True)
    else:
        t0 = time.perf_counter()
        loop(a.warmup, total)
        timed = time.perf_counter() - t0
    timed_steps = a.steps * max(1, a.chunks)
    res = {"steps": timed_steps, "warmup": a.warmup, "seconds": timed, "steps_per_sec": timed_steps / timed,
           "update": a.update, "last_mean_loss": means[-1] if means else None,
           "torch": torch.__version__, "python": sys.version.split()[0], "threads": torch.get_num_threads(),
           "blas": blas(), "mkl_amd_shim_mapped": bool(mapped("mkl-amd")),
           "ld_preload": os.environ.get("LD_PRELOAD", "")}
    if a.whole:
        with torch.no_grad():
            for name, ws in (("train", words[:n1]), ("dev", words[n1:n2])):
                X, Y = contexts(ws, stoi, block)
                h = torch.tanh(C[X].view(X.shape[0], -1) @ W1 + b1)
                res[name] = F.cross_entropy(h @ W2 + b2, Y).item()
            itos = {i: c for c, i in stoi.items()}
            names = []
            for _ in range(20):
                ctx, out = [0] * block, []
                while True:
                    h = torch.tanh(C[torch.tensor([ctx])].view(1, -1) @ W1 + b1)
                    ix = torch.multinomial(F.softmax(h @ W2 + b2, dim=1), 1, generator=g).item()
                    if ix == 0:
                        break
                    out.append(itos[ix])
                    ctx = ctx[1:] + [ix]
                names.append("".join(out))
            res["samples"] = names
        res["wall_seconds"] = time.perf_counter() - t_start
    print("RESULT " + json.dumps(res, sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
