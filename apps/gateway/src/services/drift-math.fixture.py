# Reference values for drift-math.test.ts, made once with NumPy/SciPy (Debian python3-numpy, python3-scipy):
#   python3 apps/gateway/src/services/drift-math.fixture.py > apps/gateway/src/services/fixtures/drift-math.json
# PSI: zero shares replaced by 1e-4 (no renormalization), natural log. JS: scipy's jensenshannon, base 2.
# AUC: the Mann-Whitney statistic with average ranks for ties (scipy.stats.rankdata), i.e. ROC AUC.
import json
import numpy as np
from scipy.spatial.distance import jensenshannon
from scipy.stats import rankdata

rng = np.random.default_rng(7)

def psi(expected, actual, eps=1e-4):
    e = np.maximum(np.asarray(expected, float) / np.sum(expected), eps)
    a = np.maximum(np.asarray(actual, float) / np.sum(actual), eps)
    return float(np.sum((a - e) * np.log(a / e)))

def auc(scores, labels):
    r = rankdata(scores)
    pos = labels == 1
    n1, n0 = pos.sum(), (~pos).sum()
    return float((r[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))

drift = []
for expected, actual in [
    ([10, 20, 30, 40], [10, 20, 30, 40]),
    ([10, 20, 30, 40], [40, 30, 20, 10]),
    ([5, 0, 5], [1, 8, 1]),
    ([100, 0], [0, 100]),
    (list(rng.integers(0, 50, 20)), list(rng.integers(0, 50, 20))),
]:
    drift.append({"expected": [int(x) for x in expected], "actual": [int(x) for x in actual],
                  "psi": psi(expected, actual), "js": float(jensenshannon(expected, actual, base=2))})

labels = rng.integers(0, 2, 200)
scores = np.round(np.clip(labels * 0.3 + rng.random(200) * 0.7, 0, 1), 2)  # rounded: ties
p = np.clip(scores, 1e-15, 1 - 1e-15)
binary = {
    "scores": scores.tolist(), "labels": labels.tolist(),
    "auc": auc(scores, labels),
    "logLoss": float(-np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p))),
    "accuracy": float(np.mean((scores >= 0.5) == (labels == 1))),
}
y = rng.normal(3, 2, 50)
yhat = y + rng.normal(0, 0.5, 50)
regression = {"predictions": yhat.tolist(), "labels": y.tolist(),
              "rmse": float(np.sqrt(np.mean((yhat - y) ** 2))), "mae": float(np.mean(np.abs(yhat - y)))}
print(json.dumps({"drift": drift, "binary": binary, "regression": regression}, indent=1))
