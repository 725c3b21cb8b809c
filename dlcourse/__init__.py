"""Helper library for the Deep Learning Foundations lessons and exercises.

Submodules
----------
checks
    Teaching assertions used by the visible tests of the exercises.
data
    Small deterministic datasets (nothing is downloaded).
digits
    The digits problem shared by lessons 04, 05 and 08: split, scaling, the 64-32-10
    network's settings (SPEC) and an imbalanced variant.
mlp
    The from-scratch NumPy network of lesson 03 (forward, backward, update).
deepnet
    The deep NumPy network of lesson 06 (initialisations, batch norm, dropout, L2,
    gradient norms per layer) behind its two widgets.
widgets
    Live widgets: each is a pure compute function plus a thin ipywidgets view.
"""

__version__ = "0.1.0"
