"""What the value model computes on values it knows: arithmetic (element-wise on numpy arrays
the code spells out, as numpy broadcasts), and the sequences `range`, `len`, `np.arange`,
`np.linspace`, `np.logspace` and `np.array` make. A result it cannot compute is UNKNOWN.
"""
from __future__ import annotations

import ast
import math
from typing import Any

from .pyast import UNKNOWN, Unknown

MAX_SEQUENCE = 100_000  # a longer range is not enumerated


class NumpyArray(list):
    """The values of a numpy array the code spells out (`np.arange`, `np.linspace`, `np.logspace`,
    `np.array([...])`): arithmetic with it is element-wise, where a list's `*` repeats it."""


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def arithmetic(op: Any, left: Any, right: Any) -> Any:
    if not (is_number(left) and is_number(right)):
        return UNKNOWN
    try:
        return op(left, right)
    except (ArithmeticError, ValueError):
        return UNKNOWN


def broadcast(op: Any, left: Any, right: Any) -> Any:
    lefts = left if isinstance(left, NumpyArray) else None
    rights = right if isinstance(right, NumpyArray) else None
    if lefts is not None and rights is not None and len(lefts) != len(rights):
        return UNKNOWN
    size = len(lefts if lefts is not None else rights)  # type: ignore[arg-type]
    pairs = zip(lefts if lefts is not None else [left] * size, rights if rights is not None else [right] * size)
    values = NumpyArray(arithmetic(op, a, b) for a, b in pairs)
    return UNKNOWN if any(v is UNKNOWN for v in values) else values


def _power(base: Any, exponent: Any) -> Any:
    if abs(exponent) > 64:  # a huge exact power would cost time for no count a rule reports
        raise ValueError("exponent too large")
    return base ** exponent


def _array(values: Any) -> Any:
    return NumpyArray(values) if isinstance(values, (list, tuple)) and all(is_number(v) for v in values) else UNKNOWN


def _range(*bounds: int) -> list[int] | Unknown:
    if not bounds or len(bounds) > 3 or not all(isinstance(b, int) and not isinstance(b, bool) for b in bounds):
        return UNKNOWN
    r = range(*bounds)
    return list(r) if len(r) <= MAX_SEQUENCE else UNKNOWN


def _arange(*bounds: float) -> list[float] | Unknown:
    if not bounds or len(bounds) > 3:
        return UNKNOWN
    start, stop, step = (0, bounds[0], 1) if len(bounds) == 1 else (*bounds, 1)[:3]
    count = max(0, math.ceil((stop - start) / step))
    return NumpyArray(start + i * step for i in range(count)) if count <= MAX_SEQUENCE else UNKNOWN


def _linspace(start: float, stop: float, num: int = 50) -> list[float] | Unknown:
    if not isinstance(num, int) or not 0 <= num <= MAX_SEQUENCE:
        return UNKNOWN
    return NumpyArray([start + (stop - start) * i / (num - 1) for i in range(num)] if num > 1 else [start][:num])


def _logspace(start: float, stop: float, num: int = 50) -> list[float] | Unknown:
    points = _linspace(start, stop, num)
    return UNKNOWN if points is UNKNOWN else NumpyArray(10.0 ** p for p in points)


def _length(value: Any) -> int | Unknown:
    return len(value) if isinstance(value, (list, tuple, dict, set, str)) else UNKNOWN


ARITHMETIC = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
               ast.Div: lambda a, b: a / b, ast.Pow: _power}
SEQUENCE_MAKERS = {
    "range": _range, "len": _length,
    "numpy.arange": _arange, "numpy.linspace": _linspace, "numpy.logspace": _logspace, "numpy.array": _array,
}
