"""scikit-learn side of `deno task bench` (bench/bench.ts): times NMF on the same data and the same
initial factors as nmflab. Never a runtime dependency of nmflab.

Reads a JSON request on stdin:
  {"dir": path, "m": int, "n": int, "k": int, "sparse": bool,
   "solvers": ["mu", "cd"], "schedule": [1, 2, 5, ...], "repeats": int}
where dir holds V.f64 (m×n), W0.f64 (m×k), H0.f64 (k×n): raw little-endian float64, row-major,
written by bench.ts (bit-identical inputs, no CSV rounding or parsing cost).

For every solver and every max_iter in `schedule` it runs NMF(init="custom", tol=0,
max_iter=t) from (W0, H0) and records the wall time of fit_transform and the loss
½‖V − WH‖²_F of the result (computed outside the timed region). Because each run restarts from
the same (W0, H0) and is deterministic, this traces loss against time. The time per iteration
is (T(last) − T(first)) / (last − first), which cancels the fixed cost of each call (input
checks and the final loss evaluation inside fit_transform).

Also times numpy's dgemm on the products that dominate an NMF iteration (WᵀV, VHᵀ) and on a
square 1000×1000 product, for the GFLOP/s column.

Writes one JSON object on stdout.
"""
import json
import os
import platform
import sys
import time
import warnings

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.decomposition import NMF


def load(directory, name, rows, cols):
    data = np.fromfile(os.path.join(directory, name), dtype="<f8")
    return data.reshape(rows, cols)


def best_time(f, repeats):
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best


def main():
    request = json.load(sys.stdin)
    d, m, n, k = request["dir"], request["m"], request["n"], request["k"]
    V = load(d, "V.f64", m, n)
    W0 = load(d, "W0.f64", m, k)
    H0 = load(d, "H0.f64", k, n)
    X = sp.csr_matrix(V) if request.get("sparse") else V
    norm_v2 = float(np.sum(V * V))
    answer = {
        "python": platform.python_version(),
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "solvers": {},
    }
    def fit(solver, max_iter):
        model = NMF(
            n_components=k, init="custom", solver=solver, beta_loss="frobenius",
            tol=0.0, max_iter=int(max_iter),
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Win, Hin = W0.copy(), H0.copy()
            t = time.perf_counter()
            W = model.fit_transform(X, W=Win, H=Hin)
            seconds = time.perf_counter() - t
        return model, W, seconds

    for solver in request["solvers"]:
        fit(solver, 1)  # warm up: imports, caches, thread pool
        runs = []
        for max_iter in request["schedule"]:
            model, W, seconds = fit(solver, max_iter)
            H = model.components_
            WH = W @ H
            loss = 0.5 * float(np.sum((V - WH) ** 2))
            runs.append({
                "iterations": int(model.n_iter_),
                "seconds": seconds,
                "loss": loss,
                "relativeError": (2 * loss / norm_v2) ** 0.5 if norm_v2 > 0 else 0.0,
            })
        first, last = runs[0], runs[-1]
        span = last["iterations"] - first["iterations"]
        t_first, t_last = first["seconds"], last["seconds"]
        # Short runs are noisy: repeat the two end points (best of up to 5) while that stays cheap.
        for _ in range(4):
            if t_last > 1.0:
                break
            t_first = min(t_first, fit(solver, first["iterations"])[2])
            t_last = min(t_last, fit(solver, last["iterations"])[2])
        per_iteration = (t_last - t_first) / span if span > 0 else float("nan")
        answer["solvers"][solver] = {"runs": runs, "secondsPerIteration": per_iteration}
    repeats = int(request.get("repeats", 3))
    Wt = np.ascontiguousarray(W0)
    Hc = np.ascontiguousarray(H0)
    answer["gemm"] = {
        "WtV": best_time(lambda: Wt.T @ V, repeats),
        "VHt": best_time(lambda: V @ Hc.T, repeats),
    }
    A = np.random.default_rng(0).random((1000, 1000))
    answer["gemm"]["square1000"] = best_time(lambda: A @ A, repeats)
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
