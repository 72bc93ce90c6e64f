"""Reference numbers from scikit-learn, for cross-checks in tests (never a runtime dependency).

Reads a JSON request (or a list of them) on stdin and writes the JSON answer (or list) on stdout:
  {"op": "loss", "V": [[...]], "W": [[...]], "H": [[...]], "beta": 1.5}
      -> {"loss": float}                       (sklearn.decomposition._nmf._beta_divergence)
  {"op": "mu", "V": ..., "W": ..., "H": ..., "beta": 2, "max_iter": 50}
      -> {"W": [[...]], "H": [[...]]}          (NMF(solver="mu", init="custom", tol=0))
  {"op": "cd", "V": ..., "W": ..., "H": ..., "beta": 2, "max_iter": 50,
   "l1W": 0, "l1H": 0, "l2W": 0, "l2H": 0}
      -> {"W": [[...]], "H": [[...]]}          (_fit_coordinate_descent, tol=0, no shuffle,
                                                penalties in nmflab's convention, unscaled)
scikit-learn's MU and CD update W before H; nmflab (like the textbook) updates H first. To compare
the same sequence of iterates, the "mu" and "cd" requests are solved on the transposed problem
Vᵀ ≈ Hᵀ Wᵀ, whose first factor is nmflab's Hᵀ.
"""
import json
import sys
import warnings

import numpy as np
from sklearn.decomposition import NMF
from sklearn.decomposition._nmf import _beta_divergence, _fit_coordinate_descent


def answer(request):
    """One request (see the module docstring) -> its answer as a dict."""
    V = np.array(request["V"], dtype=float)
    W = np.array(request["W"], dtype=float)
    H = np.array(request["H"], dtype=float)
    beta = float(request["beta"])
    if request["op"] == "loss":
        return {"loss": float(_beta_divergence(V, W, H, beta))}
    if request["op"] == "mu":
        model = NMF(
            n_components=W.shape[1], init="custom", solver="mu", beta_loss=beta,
            max_iter=int(request["max_iter"]), tol=0.0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Ht = model.fit_transform(V.T.copy(), W=H.T.copy(), H=W.T.copy())
        return {"W": model.components_.T.tolist(), "H": Ht.T.tolist()}
    if request["op"] == "cd":
        # transposed problem: sklearn's first factor is nmflab's H transposed
        Ht, Wt, _ = _fit_coordinate_descent(
            V.T.copy(), H.T.copy(), W.T.copy(), tol=0.0, max_iter=int(request["max_iter"]),
            l1_reg_W=float(request.get("l1H", 0)), l1_reg_H=float(request.get("l1W", 0)),
            l2_reg_W=float(request.get("l2H", 0)), l2_reg_H=float(request.get("l2W", 0)),
            shuffle=False,
        )
        return {"W": Wt.T.tolist(), "H": Ht.T.tolist()}
    raise SystemExit(f"unknown op {request['op']!r}")


payload = json.load(sys.stdin)
# A list of requests is answered by a list (one interpreter start for many checks).
if isinstance(payload, list):
    print(json.dumps([answer(r) for r in payload]))
else:
    print(json.dumps(answer(payload)))
