"""Exceptions with messages that say which rule failed and what came.

Format: ``<op>: <rule>: <offending values> (<full shapes>)``.
"""


class ShapeError(ValueError):
    """Shapes that an operation cannot accept (inner sizes of a matmul, a reshape, ...)."""


class BroadcastError(ShapeError):
    """Two shapes that do not broadcast; the message names the first failing dimension."""


class GradcheckError(RuntimeError):
    """Analytic and numeric gradients disagree (raised by ``autograd.gradcheck``)."""


__all__ = ["BroadcastError", "GradcheckError", "ShapeError"]
