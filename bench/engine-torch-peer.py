# PyTorch peer for bench/engine.bench.ts: the same MLP (64→256→256→1, ReLU, BCE-with-logits, Adam,
# batch 256) trained at the thread count given, single-call SGEMM 1024³, batch-1 and batch-1024
# inference, RUNS timed rounds each (the bench takes medians); optionally exports the model as ONNX (the onnxruntime
# peer). Prints one JSON line. Usage: python3 engine-torch-peer.py THREADS RUNS [ONNX_PATH]
import json
import sys
import time

import torch

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
    for _ in range(3):
        fn()
    rates = []
    for _ in range(runs):
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        rates.append(calls * rows / (time.perf_counter() - t))
    return rates


train = rates_of(train_step, 20, BATCH)
a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
gemm = [r / 1e9 for r in rates_of(lambda: torch.mm(a, b), 1, 2 * 1024**3)]
x1, x1024 = torch.randn(1, IN), torch.randn(1024, IN)
with torch.inference_mode():
    infer1 = rates_of(lambda: torch.sigmoid(model(x1)), 1000, 1)
    infer1024 = rates_of(lambda: torch.sigmoid(model(x1024)), 10, 1024)
if onnx_path:
    torch.onnx.export(torch.nn.Sequential(model, torch.nn.Sigmoid()), x1, onnx_path, input_names=["x"], output_names=["p"],
                      dynamic_axes={"x": {0: "n"}, "p": {0: "n"}}, opset_version=17)
print(json.dumps({"threads": threads, "train": train, "gemm_gflops": gemm, "infer1": infer1, "infer1024": infer1024,
                  "torch": torch.__version__}))
