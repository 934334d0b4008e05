"""Exact linear identities between number columns (``total = a + b + c``).

The null space of the standardised columns (an SVD of the complete rows) holds every
exact identity; its reduced row echelon form writes each one for a single column, the
columns with the largest spread first, so that a total is written as its parts and
``hhmm = 100 * hour + minute`` comes out that way round. Coefficients are snapped to
simple fractions and every identity is checked on all rows before it is kept. Cost:
one SVD of ``n_rows x n_columns`` (the rows capped by :mod:`.discovery`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..numeric import fewest_decimals
from .rules import MIN_SUPPORT, LinearRule
from .values import numbers, snap, whole

#: Singular values below this share of the largest one mark a candidate identity (loose:
#: columns rounded to cents are exact only to their rounding; each candidate is then
#: checked row by row within :func:`tolerance_of`).
_NULL = 1e-4


def _reduced(null: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """(pivot column, row) of the reduced row echelon form of ``null``, pivots taken
    in column order."""
    rows = null.copy()
    pivots = []
    used = 0
    for column in range(rows.shape[1]):
        if used == len(rows):
            break
        best = used + int(np.argmax(np.abs(rows[used:, column])))
        if abs(rows[best, column]) < 1e-6:
            continue
        rows[[used, best]] = rows[[best, used]]
        rows[used] /= rows[used, column]
        for other in range(len(rows)):
            if other != used:
                rows[other] -= rows[other, column] * rows[used]
        pivots.append(column)
        used += 1
    return [(pivot, rows[i]) for i, pivot in enumerate(pivots)]


def tolerance_of(frame: pd.DataFrame, names, coefficients) -> float:
    """How far a row may be from exact: the columns' own rounding. Whole numbers are
    exact; a float column written to ``d`` decimals is off by up to half of ``10**-d``
    per term (a total and its parts each rounded to cents)."""
    unit = 0.0
    for name in names:
        values = numbers(frame[name])
        if whole(values):
            continue
        decimals = fewest_decimals(values[~np.isnan(values)])
        largest = float(np.nanmax(np.abs(values)))
        unit = max(unit, 1e-9 * largest if decimals is None else 10.0**-decimals)
    return 0.5 * unit * (1 + sum(abs(c) for c in coefficients)) + 1e-9


def find_linear(frame: pd.DataFrame, names: list) -> list[LinearRule]:
    """Exact identities among the number columns ``names`` of ``frame``: among the
    columns without missing values, then among all of them on their complete rows.

    Parameters
    ----------
    frame : DataFrame
        The rows to search (a sample of the training rows).
    names : list
        Number columns, none constant.

    Returns
    -------
    list of LinearRule
        Each identity written for one column; the caller checks them on all rows.
    """
    complete = [n for n in names if frame[n].notna().all()]
    rules = _identities(frame, complete)
    if len(complete) < len(names):
        seen = {r.key() for r in rules}
        rules += [r for r in _identities(frame, names) if r.key() not in seen]
    return rules


def _identities(frame: pd.DataFrame, names: list) -> list[LinearRule]:
    """Identities among ``names`` on the rows where all are observed."""
    if len(names) < 2:
        return []
    values = np.column_stack([numbers(frame[name]) for name in names])
    complete = ~np.isnan(values).any(axis=1)
    if complete.sum() < max(MIN_SUPPORT, 2 * len(names)):
        return []
    values = values[complete]
    spread = values.std(axis=0)
    if not (spread > 0).all():  # constant in the complete rows: no identity to write
        varied = [n for n, s in zip(names, spread, strict=True) if s > 0]
        return _identities(frame, varied) if len(varied) < len(names) else []
    order = np.argsort(-spread, kind="stable")
    centre = values.mean(axis=0)
    scaled = (values[:, order] - centre[order]) / spread[order]
    _, singular, vt = np.linalg.svd(scaled, full_matrices=False)
    null = vt[singular <= _NULL * singular[0]]
    rules = []
    for pivot, row in _reduced(null):
        dependent = order[pivot]
        terms = [order[j] for j in range(len(row)) if j != pivot and abs(row[j]) > 1e-12]
        rule = _sparsest(frame, names, values, dependent, terms)
        if rule is not None:
            rules.append(rule)
    return rules


def _fitted(values: np.ndarray, dependent: int, terms: list, tolerance: float):
    """Least-squares coefficients and constant of ``dependent`` on ``terms`` and the
    largest residual; coefficients are snapped to the simplest fractions that keep
    the residual within ``tolerance`` (rounding noise moves them by ~1e-6)."""
    design = np.column_stack([values[:, terms], np.ones(len(values))])
    target = values[:, dependent]
    solution = np.linalg.lstsq(design, target, rcond=None)[0]
    for closeness in (1e-3, 1e-5, 1e-7, 0.0):
        snapped = np.asarray([snap(c, closeness=closeness) for c in solution])
        residual = float(np.abs(target - design @ snapped).max())
        if residual <= tolerance:
            break
    return snapped[:-1], float(snapped[-1]), residual


def _sparsest(frame, names, values, dependent: int, terms: list) -> LinearRule | None:
    """The identity for ``dependent`` with the fewest of ``terms`` that stays exact.

    The null space mixes the rounding noise of every column into each identity; terms
    whose removal keeps it exact (smallest contribution first) are dropped, and the
    rest refitted, so ``total = a + b + c`` comes out without ``1e-6 * other``.
    """
    tolerance = tolerance_of(
        frame, [names[j] for j in (dependent, *terms)], [1.0] * len(terms)
    )
    coefficients, constant, residual = _fitted(values, dependent, terms, tolerance)
    if residual > tolerance:
        return None
    spread = values.std(axis=0)
    for term in sorted(terms, key=lambda j: abs(coefficients[terms.index(j)]) * spread[j]):
        trial = [j for j in terms if j != term]
        if trial:
            fit = _fitted(values, dependent, trial, tolerance)
            if fit[2] <= tolerance:
                terms, (coefficients, constant, residual) = trial, fit
    keep = [i for i, c in enumerate(coefficients) if c != 0]
    if not keep:
        return None
    rule = LinearRule(
        names[dependent],
        tuple(names[terms[i]] for i in keep),
        coefficients=tuple(float(coefficients[i]) for i in keep),
        constant=constant,
    )
    rule.tolerance = tolerance_of(frame, rule.columns, rule.coefficients)
    return rule
