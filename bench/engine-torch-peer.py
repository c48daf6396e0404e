# PyTorch peer for bench/engine.bench.ts: the same MLP (64→256→256→1, ReLU, BCE-with-logits, Adam,
# batch 256) trained at the thread count given, single-call SGEMM 1024³, batch-1 and batch-1024
# inference, RUNS timed rounds each (the bench takes medians); optionally exports the model as ONNX (the onnxruntime
# peer); and the wide & deep model of the bench (WD_* constants, kept in step with engine.bench.ts)
# trained the same way. Prints one JSON line. Usage: python3 engine-torch-peer.py THREADS RUNS [ONNX_PATH]
import json
import sys
import time

import torch
from torch_wide_deep import WideDeep

threads, runs = int(sys.argv[1]), int(sys.argv[2])
onnx_path = sys.argv[3] if len(sys.argv) > 3 else None
torch.set_num_threads(threads)
torch.manual_seed(0)
IN, H, BATCH = 64, 256, 256
x = torch.randn(BATCH, IN)
y = (x[:, 0] + x[:, 1] > 0).float().unsqueeze(1)
model = torch.nn.Sequential(torch.nn.Linear(IN, H), torch.nn.ReLU(), torch.nn.Linear(H, H), torch.nn.ReLU(), torch.nn.Linear(H, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.BCEWithLogitsLoss()


def train_step():
    opt.zero_grad(set_to_none=True)
    loss_fn(model(x), y).backward()
    opt.step()


def rates_of(fn, calls, rows):
    for _ in range(max(3, calls)):  # one untimed round, as the Node side does
        fn()
    rates = []
    for _ in range(runs):
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        rates.append(calls * rows / (time.perf_counter() - t))
    return rates


train = rates_of(train_step, 20, BATCH)

# Wide & deep, as the engine's WideDeep builds it: wide = 1-wide embedding per categorical feature →
# Linear(cats → 1) with zero init; deep = dense inputs ++ 16-wide embeddings → 128 → 64 (ReLU) →
# Linear(64 → 1, no bias); logits add. nn.Embedding's ordinary (dense) gradients and Adam.
WD_DENSE, WD_CATS, WD_VOCAB, WD_EMB, WD_HIDDEN = 16, 3, 1000, 16, [128, 64]


wd = WideDeep(WD_DENSE, WD_CATS, WD_VOCAB, WD_EMB, WD_HIDDEN)
wd_opt = torch.optim.Adam(wd.parameters(), lr=1e-3)
wd_dense = torch.randn(BATCH, WD_DENSE)
wd_ids = torch.randint(0, WD_VOCAB, (BATCH, WD_CATS))
wd_y = ((wd_ids[:, 0] % 2 == 0) != (wd_dense[:, 0] > 0)).float().unsqueeze(1)


def train_step_wd():
    wd_opt.zero_grad(set_to_none=True)
    loss_fn(wd(wd_dense, wd_ids), wd_y).backward()
    wd_opt.step()


train_wd = rates_of(train_step_wd, 20, BATCH)
a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
gemm = [r / 1e9 for r in rates_of(lambda: torch.mm(a, b), 1, 2 * 1024**3)]
x1, x1024 = torch.randn(1, IN), torch.randn(1024, IN)
with torch.inference_mode():
    infer1 = rates_of(lambda: torch.sigmoid(model(x1)), 1000, 1)
    infer1024 = rates_of(lambda: torch.sigmoid(model(x1024)), 10, 1024)
if onnx_path:
    torch.onnx.export(torch.nn.Sequential(model, torch.nn.Sigmoid()), x1, onnx_path, input_names=["x"], output_names=["p"],
                      dynamic_axes={"x": {0: "n"}, "p": {0: "n"}}, opset_version=17)
print(json.dumps({"threads": threads, "train": train, "train_wd": train_wd, "gemm_gflops": gemm, "infer1": infer1, "infer1024": infer1024,
                  "torch": torch.__version__}))
