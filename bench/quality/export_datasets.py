#!/usr/bin/python3
"""Export scikit-learn's bundled (offline) tabular datasets to CSV for the quality benchmark.

usage: /usr/bin/python3 bench/quality/export_datasets.py OUT_DIR
writes breast_cancer.csv (binary), wine.csv (3 classes), diabetes.csv (regression); the label column
is `target`, features keep sklearn's names with spaces and symbols replaced by '_'.
"""
import csv
import re
import sys
from pathlib import Path

from sklearn import datasets


def clean(name: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", name.strip().lower()).strip("_")


def export(out: Path, name: str, bunch) -> None:
    cols = [clean(c) for c in bunch.feature_names]
    with open(out / f"{name}.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols + ["target"])
        for x, y in zip(bunch.data, bunch.target):
            w.writerow([repr(float(v)) for v in x] + [int(y) if float(y).is_integer() else float(y)])


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    export(out, "breast_cancer", datasets.load_breast_cancer())
    export(out, "wine", datasets.load_wine())
    export(out, "diabetes", datasets.load_diabetes(scaled=False))


if __name__ == "__main__":
    main()
