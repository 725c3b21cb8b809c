"""Helper library for the Deep Learning Foundations lessons and exercises.

Submodules
----------
checks
    Teaching assertions used by the visible tests of the exercises.
data
    Small deterministic datasets (nothing is downloaded).
mlp
    The from-scratch NumPy network of lesson 03 (forward, backward, update).
widgets
    Live widgets: each is a pure compute function plus a thin ipywidgets view.
"""

__version__ = "0.1.0"
