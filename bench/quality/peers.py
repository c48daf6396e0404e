#!/usr/bin/python3
"""Peers for the quality benchmark: scikit-learn (LogisticRegression / LinearRegression) and a PyTorch
MLP, trained on exactly the train rows Atelier trained on and scored on its holdout (test) rows.

usage: /usr/bin/python3 bench/quality/peers.py DATA_DIR SPLITS_JSON
SPLITS_JSON: {"<dataset>": {"task": "binary|multiclass|regression", "train": [row…], "test": [row…],
              "mlp": {"hiddenUnits": [...], "epochs": n, "batchSize": n, "lr": x, "seed": n}}}
prints one JSON object: {"<dataset>": {"sklearn": {metric: value}, "torch_mlp": {metric: value}}}
"""
import json
import sys

import numpy as np
import torch
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, mean_squared_error, r2_score, roc_auc_score
from sklearn.preprocessing import StandardScaler


def load(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
        rows = np.array([[float(v) for v in line.strip().split(",")] for line in f if line.strip()])
    y = rows[:, header.index("target")]
    x = np.delete(rows, header.index("target"), axis=1)
    return x, y


def metrics(task, y, p):
    if task == "binary":
        return {"auc": roc_auc_score(y, p), "accuracy": accuracy_score(y, p >= 0.5), "log_loss": log_loss(y, p, labels=[0, 1])}
    if task == "multiclass":
        return {"accuracy": accuracy_score(y, p.argmax(1)), "log_loss": log_loss(y, p, labels=list(range(p.shape[1])))}
    return {"rmse": float(np.sqrt(mean_squared_error(y, p))), "r2": r2_score(y, p)}


def sk(task, xtr, ytr, xte):
    if task == "regression":
        return LinearRegression().fit(xtr, ytr).predict(xte)
    m = LogisticRegression(max_iter=5000).fit(xtr, ytr.astype(int))
    return m.predict_proba(xte)[:, 1] if task == "binary" else m.predict_proba(xte)


def mlp(task, xtr, ytr, xte, cfg):
    torch.manual_seed(cfg["seed"])
    classes = int(ytr.max()) + 1 if task == "multiclass" else 1
    layers, d = [], xtr.shape[1]
    for h in cfg["hiddenUnits"]:
        layers += [torch.nn.Linear(d, h), torch.nn.ReLU()]
        d = h
    layers.append(torch.nn.Linear(d, classes))
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(net.parameters(), lr=cfg["lr"])
    X = torch.tensor(xtr, dtype=torch.float32)
    Y = torch.tensor(ytr, dtype=torch.long if task == "multiclass" else torch.float32)
    loss_fn = {"binary": torch.nn.BCEWithLogitsLoss(), "multiclass": torch.nn.CrossEntropyLoss(), "regression": torch.nn.MSELoss()}[task]
    g = torch.Generator().manual_seed(cfg["seed"])
    for _ in range(cfg["epochs"]):
        perm = torch.randperm(len(X), generator=g)
        for i in range(0, len(X), cfg["batchSize"]):
            idx = perm[i : i + cfg["batchSize"]]
            out = net(X[idx])
            loss = loss_fn(out.squeeze(1) if task != "multiclass" else out, Y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        out = net(torch.tensor(xte, dtype=torch.float32))
        if task == "binary":
            return torch.sigmoid(out.squeeze(1)).numpy()
        if task == "multiclass":
            return torch.softmax(out, 1).numpy()
        return out.squeeze(1).numpy()


def main():
    data_dir, splits_path = sys.argv[1], sys.argv[2]
    splits = json.load(open(splits_path))
    result = {}
    for name, s in splits.items():
        x, y = load(f"{data_dir}/{name}.csv")
        tr, te = np.array(s["train"]), np.array(s["test"])
        scaler = StandardScaler().fit(x[tr])  # Atelier's standardize: population std, fitted on train rows
        xtr, xte = scaler.transform(x[tr]), scaler.transform(x[te])
        task = s["task"]
        result[name] = {
            "sklearn": metrics(task, y[te], sk(task, xtr, y[tr], xte)),
            "torch_mlp": metrics(task, y[te], mlp(task, xtr, y[tr], xte, s["mlp"])),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
