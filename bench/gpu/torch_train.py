# PyTorch peer of bench/gpu-training.ts: the same two models (MLP and wide & deep, mirroring
# @atelier/engine's Mlp and WideDeep layer for layer), the same data files (written by the Node
# side, see --data), the same batch size, steps, warm-up and repeats, Adam lr 1e-3, BCE-with-logits;
# plus bf16 GEMM n³ with torch.matmul. Prints one JSON line (rates per repeat; the bench takes medians).
#
#   python3 bench/gpu/torch_train.py --data DIR [--device cuda] [--steps 200] [--warmup 20] [--repeats 5] [--gemm 8192]
#   python3 bench/gpu/torch_train.py --device cpu --steps 3      (no --data: small synthetic data made here; a plumbing check)
#
# Host runs copy each batch from host memory every step (pinned host tensors copied with
# non_blocking=True, what a DataLoader with pin_memory=True gives). A "resident" run keeps the whole
# data set on the device (CUDA only): what Atelier's GPU runs do, so the bench's ratios use those.
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torch_wide_deep import WideDeep  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--data", help="folder with manifest.json and the raw data files (from bench/gpu-training.ts)")
p.add_argument("--device", default="cuda")
p.add_argument("--steps", type=int, default=200)
p.add_argument("--warmup", type=int, default=20)
p.add_argument("--repeats", type=int, default=5)
p.add_argument("--models", default="mlp,wd")
p.add_argument("--gemm", type=int, default=8192, help="bf16 GEMM size n (n³); 0 skips it")
p.add_argument("--gemm-iters", type=int, default=10)
p.add_argument("--no-graphs", action="store_true", help="skip the optional torch CUDA Graphs runs")
args = p.parse_args()

dev = torch.device(args.device)
cuda = dev.type == "cuda"
if cuda and not torch.cuda.is_available():
    sys.exit(f"torch {torch.__version__}: torch.cuda.is_available() is False (CUDA build: {torch.version.cuda})")


def enable_tf32():
    """TF32 for float32 matmuls, as Atelier's precision 'tf32'. Newer torch releases deprecate the first
    switch in favour of the second; either suffices, and what took effect is reported."""
    done = []
    for name, fn in (("torch.backends.cuda.matmul.allow_tf32 = True", lambda: setattr(torch.backends.cuda.matmul, "allow_tf32", True)),
                     ("torch.set_float32_matmul_precision('high')", lambda: torch.set_float32_matmul_precision("high"))):
        try:
            fn()
            done.append(name)
        except Exception as e:  # noqa: BLE001 — reported, the other switch still applies
            done.append(f"{name} failed: {e}")
    return done


tf32 = enable_tf32()
torch.manual_seed(0)


def read_raw(path, dtype):
    with open(path, "rb") as f:
        return torch.frombuffer(bytearray(f.read()), dtype=dtype)


def load_data():
    if args.data:
        with open(os.path.join(args.data, "manifest.json")) as f:
            m = json.load(f)
        d = args.data
        mlp, wd = m["mlp"], m["wd"]
        mlp["x_t"] = read_raw(os.path.join(d, mlp["x"]), torch.float32).view(mlp["batches"] * mlp["batch"], mlp["in"])
        mlp["y_t"] = read_raw(os.path.join(d, mlp["y"]), torch.float32)
        rows = wd["batches"] * wd["batch"]
        wd["dense_t"] = read_raw(os.path.join(d, wd["dense_file"]), torch.float32).view(rows, wd["dense"])
        # ids are stored column by column ([cats][rows]); the model takes [rows, cats].
        wd["ids_t"] = read_raw(os.path.join(d, wd["ids"]), torch.int32).view(wd["cats"], rows).t().contiguous().long()
        wd["y_t"] = read_raw(os.path.join(d, wd["y"]), torch.float32)
        return m
    # No data folder: a small set made here (plumbing check only).
    mlp = {"in": 32, "hidden": [64, 64], "batch": 64, "batches": 2}
    wd = {"dense": 8, "cats": 3, "vocab": 1000, "emb": 4, "hidden": [32, 16], "batch": 64, "batches": 2}
    n = mlp["batches"] * mlp["batch"]
    mlp["x_t"] = torch.randn(n, mlp["in"])
    mlp["y_t"] = (mlp["x_t"][:, 0] > 0).float()
    rows = wd["batches"] * wd["batch"]
    wd["dense_t"] = torch.randn(rows, wd["dense"])
    wd["ids_t"] = torch.randint(0, wd["vocab"], (rows, wd["cats"]))
    wd["y_t"] = (wd["dense_t"][:, 0] > 0).float()
    return {"mlp": mlp, "wd": wd, "generated_here": True}


data = load_data()


def mlp_model(cfg):
    layers, width = [], cfg["in"]
    for h in cfg["hidden"]:
        layers += [torch.nn.Linear(width, h), torch.nn.ReLU()]
        width = h
    return torch.nn.Sequential(*layers, torch.nn.Linear(width, 1))


def adam(params, capturable=False):
    # fused Adam is torch's fastest on CUDA; the CPU build has the foreach one.
    if not cuda:
        return torch.optim.Adam(params, lr=1e-3)
    if capturable:
        return torch.optim.Adam(params, lr=1e-3, capturable=True)
    return torch.optim.Adam(params, lr=1e-3, fused=True)


def host_batches(tensors, batch, batches):
    """Per-batch host tensors (pinned on CUDA), as a DataLoader with pin_memory=True hands them over."""
    out = []
    for b in range(batches):
        part = [t[b * batch:(b + 1) * batch].contiguous() for t in tensors]
        out.append([t.pin_memory() if cuda else t for t in part])
    return out


def sync():
    if cuda:
        torch.cuda.synchronize()


def timed(step, batches, rows):
    """warm-up (untimed), then `repeats` rounds of `steps` steps with a sync at the end: samples/s per round."""
    for i in range(args.warmup):
        step(i % batches)
    sync()
    rates = []
    for _ in range(args.repeats):
        t = time.perf_counter()
        for i in range(args.steps):
            step(i % batches)
        sync()
        rates.append(args.steps * rows / (time.perf_counter() - t))
    return rates


def peak_reset():
    if cuda:
        sync()
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()


def peak():
    return torch.cuda.max_memory_reserved() if cuda else None


def eager_run(make, host, batches, rows, resident=False):
    """make() → (model, optimizers, forward(model, inputs), labels index). Inputs copied from host each step
    unless resident (the whole set on the device)."""
    peak_reset()
    model, opts, fwd = make()
    loss_fn = torch.nn.BCEWithLogitsLoss()
    on_dev = [[t.to(dev) for t in b] for b in host] if resident else None
    last = []

    def step(i):
        parts = on_dev[i] if resident else [t.to(dev, non_blocking=True) for t in host[i]]
        for o in opts:
            o.zero_grad(set_to_none=True)
        loss = loss_fn(fwd(model, parts[:-1]).squeeze(1), parts[-1])
        loss.backward()
        for o in opts:
            o.step()
        last[:] = [loss.detach()]  # read once at the end: no per-step sync

    rates = timed(step, batches, rows)
    return {"rates": rates, "peak_reserved_bytes": peak(), "final_loss": last[0].item()}


def graphs_run(make, host, batches, rows):
    """Whole training step captured as one CUDA Graph (torch's documented recipe: capturable Adam,
    static input tensors refilled from pinned host memory before each replay)."""
    peak_reset()
    model, opts, fwd = make(capturable=True)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    static = [t.to(dev) for t in host[0]]

    def body():
        for o in opts:
            o.zero_grad(set_to_none=True)
        loss_fn(fwd(model, static[:-1]).squeeze(1), static[-1]).backward()
        for o in opts:
            o.step()

    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(3):
            body()
    torch.cuda.current_stream().wait_stream(s)
    g = torch.cuda.CUDAGraph()
    for o in opts:
        o.zero_grad(set_to_none=True)
    with torch.cuda.graph(g):
        body()

    def step(i):
        for dst, src in zip(static, host[i]):
            dst.copy_(src, non_blocking=True)
        g.replay()

    rates = timed(step, batches, rows)
    return {"rates": rates, "peak_reserved_bytes": peak()}


def attempt(label, fn):
    try:
        return fn()
    except Exception as e:  # an optional run that fails is reported, not fatal
        return {"error": f"{label}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"}


result = {"torch": torch.__version__, "device": args.device, "steps": args.steps, "warmup": args.warmup, "repeats": args.repeats,
          "tf32": tf32, "generated_here": bool(data.get("generated_here"))}
if cuda:
    result["gpu_name"] = torch.cuda.get_device_name(0)
    result["cuda"] = torch.version.cuda
models = set(args.models.split(","))

# The GEMM first: a failed optional CUDA Graph capture below must not be able to disturb it.
if args.gemm > 0:
    n = args.gemm
    a = torch.randn(n, n, device=dev).to(torch.bfloat16)
    b = torch.randn(n, n, device=dev).to(torch.bfloat16)
    for _ in range(3):
        torch.matmul(a, b)
    sync()
    tflops = []
    for _ in range(args.repeats):
        t = time.perf_counter()
        for _ in range(args.gemm_iters):
            torch.matmul(a, b)
        sync()
        tflops.append(2 * n**3 * args.gemm_iters / (time.perf_counter() - t) / 1e12)
    result["gemm_bf16"] = {"n": n, "iters": args.gemm_iters, "tflops": tflops}
    del a, b  # not part of the training runs' memory peaks

if "mlp" in models:
    m = data["mlp"]
    host = host_batches([m["x_t"], m["y_t"]], m["batch"], m["batches"])

    def make_mlp(capturable=False):
        model = mlp_model(m).to(dev)
        return model, [adam(model.parameters(), capturable)], lambda mod, xs: mod(xs[0])

    r = {"eager": eager_run(make_mlp, host, m["batches"], m["batch"])}
    if cuda:
        r["eager_resident"] = eager_run(make_mlp, host, m["batches"], m["batch"], resident=True)
        if not args.no_graphs:
            r["graphs"] = attempt("torch CUDA graphs (MLP)", lambda: graphs_run(make_mlp, host, m["batches"], m["batch"]))
    result["mlp"] = r

if "wd" in models:
    w = data["wd"]
    host = host_batches([w["dense_t"], w["ids_t"], w["y_t"]], w["batch"], w["batches"])

    def make_wd(sparse):
        def make(capturable=False):
            model = WideDeep(w["dense"], w["cats"], w["vocab"], w["emb"], w["hidden"], sparse).to(dev)
            if not sparse:
                return model, [adam(model.parameters(), capturable)], lambda mod, xs: mod(xs[0], xs[1])
            # Atelier's Adam updates only the embedding rows a batch touched: torch's SparseAdam is that.
            emb = [p for n, p in model.named_parameters() if "_emb." in n]
            rest = [p for n, p in model.named_parameters() if "_emb." not in n]
            return model, [torch.optim.SparseAdam(emb, lr=1e-3), adam(rest)], lambda mod, xs: mod(xs[0], xs[1])
        return make

    r = {"eager": eager_run(make_wd(False), host, w["batches"], w["batch"]),
         "eager_sparse": attempt("torch sparse embeddings + SparseAdam", lambda: eager_run(make_wd(True), host, w["batches"], w["batch"]))}
    if cuda:
        r["eager_resident"] = eager_run(make_wd(False), host, w["batches"], w["batch"], resident=True)
        r["eager_sparse_resident"] = attempt("torch sparse embeddings + SparseAdam, data on the device",
                                             lambda: eager_run(make_wd(True), host, w["batches"], w["batch"], resident=True))
        if not args.no_graphs:
            r["graphs"] = attempt("torch CUDA graphs (wide & deep)", lambda: graphs_run(make_wd(False), host, w["batches"], w["batch"]))
    result["wd"] = r

print(json.dumps(result))
