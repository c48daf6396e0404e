#!/usr/bin/python3
"""Peers for the quality benchmark, each trained on exactly the train rows Atelier trained on and scored
on its holdout (test) rows, for every seed:
- sklearn: LogisticRegression (max_iter 5000) for classification, Ridge for regression; numeric
  features mean-imputed and standardized, categoricals one-hot (missing is its own value);
- xgboost: XGBClassifier / XGBRegressor with tree_method 'hist' and otherwise default settings
  (100 rounds, depth 6, eta 0.3), NaN for missing numerics, categoricals one-hot (sparse);
- torch_mlp: PyTorch MLP [256, 128] ReLU (the engine's default MLP), Adam lr 1e-3, batch 128, on the
  sklearn inputs; up to max(10 epochs, 2000 steps) (at most 200 epochs) with early stopping on
  Atelier's validation rows (patience 10 epochs, best weights restored).

usage: /usr/bin/python3 bench/quality/peers.py DATA_DIR SPLITS_JSON [PEER ...]
SPLITS_JSON: {"<dataset>": {"task": ..., "numeric": [...], "categorical": [...],
              "seeds": {"<seed>": {"train": [row…], "validation": [row…], "test": [row…]}}}}
prints one JSON object: {"<dataset>": {"<seed>": {"<peer>": {metric: value, "seconds": s}}}}
"""
import csv
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, log_loss, mean_squared_error, r2_score, roc_auc_score
from sklearn.preprocessing import OneHotEncoder

PEERS = ("sklearn", "xgboost", "torch_mlp")


def load(path, numeric, categorical):
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        rows = list(r)
    idx = {c: i for i, c in enumerate(header)}
    num = np.array([[float(row[idx[c]]) if row[idx[c]] != "" else np.nan for c in numeric] for row in rows], dtype=np.float64)
    cat = np.array([[row[idx[c]] for c in categorical] for row in rows], dtype=object) if categorical else None
    y = np.array([float(row[idx["target"]]) for row in rows])
    return num.reshape(len(rows), len(numeric)), cat, y


def metrics(task, y, p):
    if task == "binary":
        return {"auc": roc_auc_score(y, p), "accuracy": accuracy_score(y, p >= 0.5), "log_loss": log_loss(y, np.clip(p, 1e-7, 1 - 1e-7), labels=[0, 1])}
    if task == "multiclass":
        return {"accuracy": accuracy_score(y, p.argmax(1)), "log_loss": log_loss(y, np.clip(p, 1e-7, 1), labels=list(range(p.shape[1])))}
    return {"rmse": float(np.sqrt(mean_squared_error(y, p))), "r2": r2_score(y, p)}


class Inputs:
    """Mean imputation + standardization fitted on the train rows, one-hot categoricals."""

    def __init__(self, num, cat, tr):
        self.mean = np.nanmean(num[tr], 0) if num.shape[1] else np.zeros(0)
        filled = np.where(np.isnan(num[tr]), self.mean, num[tr])
        self.std = filled.std(0)
        self.std[self.std == 0] = 1
        self.onehot = OneHotEncoder(handle_unknown="ignore").fit(cat[tr]) if cat is not None else None

    def dense(self, num, cat, rows):
        x = num[rows]
        x = (np.where(np.isnan(x), self.mean, x) - self.mean) / self.std
        if self.onehot is None:
            return x.astype(np.float32)
        return np.hstack([x, self.onehot.transform(cat[rows]).toarray()]).astype(np.float32)

    def sparse_raw(self, num, cat, rows):
        """NaN kept for XGBoost; one-hot categoricals as sparse columns."""
        x = sp.csr_matrix(np.where(num[rows] == 0, 1e-12, num[rows]))  # an exact 0 would read as missing in CSR
        if self.onehot is None:
            return x
        return sp.hstack([x, self.onehot.transform(cat[rows])]).tocsr()


def sk(task, xtr, ytr, xte):
    if task == "regression":
        return Ridge().fit(xtr, ytr).predict(xte)
    m = LogisticRegression(max_iter=5000).fit(xtr, ytr.astype(int))
    return m.predict_proba(xte)[:, 1] if task == "binary" else m.predict_proba(xte)


def xgb(task, xtr, ytr, xte, seed):
    import xgboost

    common = {"tree_method": "hist", "n_jobs": 2, "random_state": seed}
    if task == "regression":
        return xgboost.XGBRegressor(**common).fit(xtr, ytr).predict(xte)
    m = xgboost.XGBClassifier(**common).fit(xtr, ytr.astype(int))
    p = m.predict_proba(xte)
    return p[:, 1] if task == "binary" else p


def mlp(task, xtr, ytr, xva, yva, xte, seed, classes):
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(2)
    out_dim = classes if task == "multiclass" else 1
    net = torch.nn.Sequential(
        torch.nn.Linear(xtr.shape[1], 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, out_dim)
    )
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    X, Xv = torch.tensor(xtr), torch.tensor(xva)
    dt = torch.long if task == "multiclass" else torch.float32
    Y, Yv = torch.tensor(ytr, dtype=dt), torch.tensor(yva, dtype=dt)
    if task == "regression":  # start the head at the mean, as a user would scale the target
        with torch.no_grad():
            net[-1].bias.fill_(float(ytr.mean()))
    loss_fn = {"binary": torch.nn.BCEWithLogitsLoss(), "multiclass": torch.nn.CrossEntropyLoss(), "regression": torch.nn.MSELoss()}[task]
    fwd = lambda x: net(x) if task == "multiclass" else net(x).squeeze(1)  # noqa: E731
    g = torch.Generator().manual_seed(seed)
    bs = 128
    steps_per_epoch = max(1, -(-len(X) // bs))
    epochs = min(200, max(10, -(-2000 // steps_per_epoch)))
    best, best_state, wait = float("inf"), None, 0
    for _ in range(epochs):
        net.train()
        perm = torch.randperm(len(X), generator=g)
        for i in range(0, len(X), bs):
            idx = perm[i : i + bs]
            loss = loss_fn(fwd(X[idx]), Y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        if len(Xv) == 0:
            continue
        net.eval()
        with torch.no_grad():
            v = float(loss_fn(fwd(Xv), Yv))
        if v < best:
            best, wait = v, 0
            best_state = {k: t.clone() for k, t in net.state_dict().items()}
        else:
            wait += 1
            if wait >= 10:
                break
    if best_state is not None:
        net.load_state_dict(best_state)
    net.eval()
    with torch.no_grad():
        out = fwd(torch.tensor(xte))
        if task == "binary":
            return torch.sigmoid(out).numpy()
        if task == "multiclass":
            return torch.softmax(out, 1).numpy()
        return out.numpy()


def main():
    data_dir, splits_path = sys.argv[1], sys.argv[2]
    peers = sys.argv[3:] or list(PEERS)
    splits = json.load(open(splits_path))
    result = {}
    for name, s in splits.items():
        task = s["task"]
        num, cat, y = load(f"{data_dir}/{name}.csv", s["numeric"], s["categorical"])
        classes = int(y.max()) + 1 if task == "multiclass" else 0
        result[name] = {}
        for seed, rows in s["seeds"].items():
            tr, va, te = (np.array(rows[k], dtype=np.int64) for k in ("train", "validation", "test"))
            inputs = Inputs(num, cat, tr)
            xtr, xte = inputs.dense(num, cat, tr), inputs.dense(num, cat, te)
            res = {}
            for peer in peers:
                t0 = time.time()
                if peer == "sklearn":
                    p = sk(task, xtr, y[tr], xte)
                elif peer == "xgboost":
                    p = xgb(task, inputs.sparse_raw(num, cat, tr), y[tr], inputs.sparse_raw(num, cat, te), int(seed))
                else:
                    p = mlp(task, xtr, y[tr].astype(np.float32), inputs.dense(num, cat, va), y[va].astype(np.float32), xte, int(seed), classes)
                res[peer] = {**metrics(task, y[te], p), "seconds": time.time() - t0}
            result[name][seed] = res
            print(f"peers: {name} seed {seed} done", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
