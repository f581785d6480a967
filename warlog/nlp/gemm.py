"""The model's matrix products through numpy's BLAS instead of thinc's bundled BLIS.

The blis wheel picks its kernels from the CPU it finds; on a CPU it does not know (AMD Zen 4,
this project's machine) it falls back to its generic C kernels, about 3x slower than the
OpenBLAS that numpy ships. thinc's own ``NumpyOps(use_blis=False)`` computes ``gemm`` with
numpy; every layer of the loaded model is given those ops. The parser's per-step products stay
in BLIS (Cython, through ``ops.cblas()``).

Products are summed in another order, so the scores can differ in the last bits. Tags, heads
and labels are argmaxes over them: identical on every sentence of the seeds and of FA-KES dev
(tests/nlp/test_gemm.py checks the seeds), and ``warlog extract --json`` gives the same bytes.
"""

from __future__ import annotations

from spacy.language import Language
from thinc.api import Model, NumpyOps
from threadpoolctl import threadpool_limits

__all__ = ["use_numpy_gemm"]


def use_numpy_gemm(nlp: Language) -> None:
    """Give every layer of every model in ``nlp`` numpy's ``gemm``, on one BLAS thread."""
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            for node in model.walk():
                node.ops = ops
    # A sentence batch's products are small: a second OpenBLAS thread spins more than it helps
    # (measured: about twice the CPU for the same parse), and --workers runs one process per core.
    threadpool_limits(limits=1, user_api="blas")
