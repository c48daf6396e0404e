#!/usr/bin/python3
"""Export the quality benchmark's datasets to CSV: scikit-learn's bundled (offline) tabular datasets with
more than 100 rows, plus generated synthetic tasks.

usage: /usr/bin/python3 bench/quality/export_datasets.py OUT_DIR SYNTHETIC_ROWS [NAME ...]
writes NAME.csv for each dataset (label column `target`; features keep sklearn's names with spaces and
symbols replaced by '_'; a missing value is an empty cell) and prints one JSON object
{"<name>": {"task": ..., "numeric": [...], "categorical": [...], "rows": n}}.

Bundled with Debian's python3-sklearn (no download): iris (150), wine (178), breast_cancer (569),
digits (1797), diabetes (442). linnerud has 20 rows (< 100) and load_boston was removed from
scikit-learn 1.2; every fetch_* dataset (california_housing, covtype, adult via openml…) needs the
internet, which these machines do not have, so they are left out.

Synthetic tasks (seeded, SYNTHETIC_ROWS rows each), built so that a linear model is not enough:
- synth_binary: 12 numeric features (3 heavy-tailed lognormal, 2 uniform, the rest normal),
  3 categorical features (cardinality 5, 20, 200, Zipf-distributed), label from pairwise products,
  a threshold, a sine, per-category offsets and a category × numeric interaction; 5% of the
  numeric cells and 3% of the categorical cells missing (missing-ness itself carries signal on one).
- synth_multiclass: the same inputs, 4 classes from the argmax of four such scores.
- synth_regression: the same inputs, a target from the same kind of terms plus Gaussian noise.
"""
import csv
import json
import math
import re
import sys
from pathlib import Path

import numpy as np
from sklearn import datasets

BUNDLED = {
    "iris": ("multiclass", lambda: datasets.load_iris()),
    "wine": ("multiclass", lambda: datasets.load_wine()),
    "breast_cancer": ("binary", lambda: datasets.load_breast_cancer()),
    "digits": ("multiclass", lambda: datasets.load_digits()),
    "diabetes": ("regression", lambda: datasets.load_diabetes(scaled=False)),
}
SYNTHETIC = ("synth_binary", "synth_multiclass", "synth_regression")


def clean(name: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", name.strip().lower()).strip("_")


def fmt(v) -> str:
    if isinstance(v, str):
        return v
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return repr(float(v))


def write(out: Path, name: str, cols, numeric, categorical, target, task):
    with open(out / f"{name}.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(list(cols) + ["target"])
        n = len(target)
        for i in range(n):
            y = target[i]
            w.writerow([fmt(c[i]) for c in numeric + categorical] + [int(y) if task != "regression" else repr(float(y))])


def export_bundled(out: Path, name: str):
    task, load = BUNDLED[name]
    b = load()
    cols = [clean(c) if isinstance(c, str) else f"x{c}" for c in getattr(b, "feature_names", [])] or [f"x{j}" for j in range(b.data.shape[1])]
    cols = [c if c else f"x{j}" for j, c in enumerate(cols)]
    numeric = [b.data[:, j] for j in range(b.data.shape[1])]
    write(out, name, cols, numeric, [], b.target, task)
    return {"task": task, "numeric": cols, "categorical": [], "rows": int(b.data.shape[0])}


def synthetic_inputs(rng, n):
    num = []
    num += [rng.lognormal(0.0, 1.0, n) for _ in range(3)]  # heavy-tailed (prices, counts)
    num += [rng.uniform(-3, 3, n) for _ in range(2)]
    num += [rng.normal(0, 1, n) for _ in range(7)]
    X = np.stack(num, 1)
    cards = [5, 20, 200]
    cats = []
    for k in cards:
        p = 1.0 / np.arange(1, k + 1) ** 1.1
        cats.append(rng.choice(k, size=n, p=p / p.sum()))
    return X, cats, cards


def scores(rng, X, cats, cards, m):
    """m scores, each a different mix of nonlinear terms and interactions."""
    n = X.shape[0]
    out = np.zeros((n, m))
    lx = np.log1p(X[:, :3])
    for s in range(m):
        w = rng.normal(0, 1, 12)
        z = lx @ w[:3] * 0.6 + X[:, 3:] @ w[3:] * 0.4
        z += 1.2 * X[:, 5] * X[:, 6] * rng.choice([-1, 1])  # interaction
        z += 0.8 * np.sin(2 * X[:, 3] + s)  # nonlinearity
        z += 1.0 * (X[:, 7] > 0.5 * s) * rng.choice([-1, 1])  # threshold
        z += 0.6 * lx[:, 0] * X[:, 8]
        for c, k in zip(cats, cards):
            z += rng.normal(0, 0.8, k)[c]  # per-category offsets
        z += rng.normal(0, 0.8, cards[0])[cats[0]] * X[:, 4]  # category × numeric interaction
        out[:, s] = z
    return out


def export_synthetic(out: Path, name: str, n: int):
    rng = np.random.default_rng({"synth_binary": 1, "synth_multiclass": 2, "synth_regression": 3}[name])
    X, cats, cards = synthetic_inputs(rng, n)
    if name == "synth_binary":
        z = scores(rng, X, cats, cards, 1)[:, 0]
        z = (z - z.mean()) / z.std() * 2.0
        y = (rng.uniform(0, 1, n) < 1 / (1 + np.exp(-z))).astype(int)
        task = "binary"
    elif name == "synth_multiclass":
        z = scores(rng, X, cats, cards, 4)
        z = (z - z.mean(0)) / z.std(0) * 1.5 + rng.gumbel(0, 1, z.shape)
        y = z.argmax(1)
        task = "multiclass"
    else:
        z = scores(rng, X, cats, cards, 1)[:, 0]
        y = 10.0 + 3.0 * z + rng.normal(0, 1.5, n)
        task = "regression"
    Xm = X.copy()
    miss = rng.uniform(0, 1, X.shape) < 0.05
    # Missing-ness that carries signal: feature 9 is missing more often where the label is high.
    hi = y > np.median(y)
    miss[:, 9] = rng.uniform(0, 1, n) < np.where(hi, 0.15, 0.02)
    Xm[miss] = np.nan
    cat_cols = []
    for j, (c, k) in enumerate(zip(cats, cards)):
        vals = np.array([f"c{j}_{v}" for v in range(k)], dtype=object)[c]
        vals[rng.uniform(0, 1, n) < 0.03] = ""
        cat_cols.append(list(vals))
    num_names = [f"num{j}" for j in range(X.shape[1])]
    cat_names = [f"cat{j}" for j in range(len(cats))]
    write(out, name, num_names + cat_names, [Xm[:, j] for j in range(X.shape[1])], cat_cols, y, task)
    return {"task": task, "numeric": num_names, "categorical": cat_names, "rows": n}


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    rows = int(sys.argv[2])
    names = sys.argv[3:] or list(BUNDLED) + list(SYNTHETIC)
    meta = {}
    for name in names:
        meta[name] = export_bundled(out, name) if name in BUNDLED else export_synthetic(out, name, rows)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
