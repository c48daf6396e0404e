# XGBoost peer for bench/gbdt.bench.ts: reads the float32 matrices the bench wrote, trains
# tree_method=hist with the same parameters and thread count, times fit (DMatrix construction —
# XGBoost's quantile binning — plus boosting) and batch prediction, and prints one JSON line.
import json
import sys
import time

import numpy as np
import xgboost as xgb
from sklearn.metrics import roc_auc_score

d, n_train, n_test, f, rounds, depth, eta, threads, max_bin = sys.argv[1], *map(int, sys.argv[2:5]), int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9])
X = np.fromfile(f'{d}/x_train.f32', dtype=np.float32).reshape(n_train, f)
y = np.fromfile(f'{d}/y_train.f32', dtype=np.float32)
Xt = np.fromfile(f'{d}/x_test.f32', dtype=np.float32).reshape(n_test, f)
yt = np.fromfile(f'{d}/y_test.f32', dtype=np.float32)
params = {'tree_method': 'hist', 'objective': 'binary:logistic', 'max_depth': depth, 'eta': eta, 'nthread': threads, 'max_bin': max_bin,
          'lambda': 1, 'alpha': 0, 'min_child_weight': 1, 'gamma': 0, 'subsample': 1, 'colsample_bytree': 1}
t0 = time.perf_counter()
dtrain = xgb.DMatrix(X, label=y, nthread=threads)
booster = xgb.train(params, dtrain, rounds)
fit_s = time.perf_counter() - t0
booster.set_param({'nthread': threads})
# One warm-up pass over the test set, then the median of three timed passes (as the bench does).
times = []
for rep in range(4):
    t1 = time.perf_counter()
    p = booster.inplace_predict(Xt)
    if rep > 0:
        times.append(time.perf_counter() - t1)
predict_s = sorted(times)[1]
print(json.dumps({'fit_s': fit_s, 'predict_s': predict_s, 'auc': float(roc_auc_score(yt, p)), 'version': xgb.__version__}))
