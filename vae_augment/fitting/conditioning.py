"""Conditions on generated rows: cells fixed to given values, the rest drawn given them.

A condition is a table with some of the training columns and one row per generated row
(a missing cell is free). The fixed cells come back exactly; the free ones are drawn
from the model's conditional distribution: a class (for a conditional model without
``y``) from its posterior given the fixed cells, then a latent code by
sampling-importance-resampling from the encoder and the latent prior
(:meth:`TabularVAE.conditional_codes`), then the free cells from the decoder. The
cost does not grow as the condition gets rarer: the codes are not drawn by rejection.
With a class head, a generated row is accepted for its class as in unconditional
sampling (:mod:`~vae_augment.model.class_acceptance`), except in imputation and for
rows without a free cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from ..model.class_acceptance import accepted_rows
from ..model.draws import draw_categories
from ..model.tensors import TensorTable
from ..table.frames import column_label
from ..table.kinds import CATEGORICAL, CONSTANT, KEY
from ..table.numeric import exact_numbers
from .fitted import FittedVAE

#: Latent codes proposed per generated row (sampling-importance-resampling; half from
#: the encoder, half from the latent prior).
N_PROPOSALS = 64


@dataclass(frozen=True)
class Condition:
    """The fixed cells of the rows to generate.

    Parameters
    ----------
    values : DataFrame
        One column per fixed column, one row per generated row (fresh ``RangeIndex``);
        a missing cell is free.
    free_cells_missing : bool, default=True
        Whether a free cell may come out missing (as in any generated row, at the rate
        the model learned); ``False`` fills every free cell (imputation).
    """

    values: pd.DataFrame
    free_cells_missing: bool = True

    def __len__(self) -> int:
        return len(self.values)

    def rows(self, rows: slice) -> pd.DataFrame:
        """The fixed cells of generated rows ``rows``."""
        return self.values.iloc[rows]


def _plain(value):
    """A numpy scalar as the Python number it holds, for messages (1000.0, not
    ``np.float64(1000.0)``)."""
    return value.item() if isinstance(value, np.generic) else value


def _typed_column(fitted: FittedVAE, name, values: pd.Series) -> pd.Series:
    """The fixed values of one column in the training column's own values, checked.

    Categories become the very levels seen in fit (``0`` for ``False``, ``"6"`` for a
    level 6 are matched as pandas matches them); numbers and times must be held exactly
    by the column's dtype (``50.5`` in an integer column is refused, not truncated) and
    lie in the range seen in fit. Free (missing) cells stay missing.
    """
    spec = next(c for c in fitted.table.codec.columns if c.name == name)
    where = column_label(name)
    observed = values[values.notna()]
    if observed.empty or spec.kind == KEY:
        return values
    if spec.kind in (CATEGORICAL, CONSTANT):
        index = pd.Index(spec.levels).get_indexer(observed.astype(object))
        if (index < 0).any():
            unseen = list(pd.unique(observed[index < 0].astype(object)))[:5]
            raise ValueError(
                f"given {where} holds {unseen}, never seen in fit; its values are "
                f"{list(spec.levels)[:10]}."
            )
        typed = pd.Series(spec.levels[index], index=observed.index, dtype=object)
        return typed.reindex(values.index)
    try:
        numbers = observed if spec.time_unit is not None else pd.to_numeric(observed)
        typed = numbers.astype(spec.dtype)
        exact = bool((typed == numbers).all())
    except (TypeError, ValueError, OverflowError):
        exact = False
    if not exact:
        raise ValueError(
            f"given {where} holds {_plain(observed.iloc[0])!r}, which its dtype "
            f"{spec.dtype} cannot hold exactly; give values of the column's own kind."
        )
    ints, _ = exact_numbers(typed, spec)
    outside = (ints < spec.lower) | (ints > spec.upper)
    if outside.any():
        raise ValueError(
            f"given {where} holds {_plain(observed[outside].iloc[0])!r}, outside the "
            "range seen in fit; the model only generates values inside it."
        )
    return typed.reindex(values.index)


def condition_of(fitted: FittedVAE, given, n_samples: int | None) -> Condition:
    """``sample``'s ``given`` as a :class:`Condition` of the right length, checked.

    Parameters
    ----------
    fitted : FittedVAE
        The model.
    given : dict or DataFrame
        ``{column: value}`` for every row, or one row per generated row.
    n_samples : int or None
        The rows asked for (for a dict: ``None`` means 1; for a DataFrame: its length).

    Raises
    ------
    ValueError
        For an unknown column, the target's column, a category never seen in fit, a
        value outside the training range, or a length other than ``n_samples``.
    TypeError
        If ``given`` is neither a dict nor a DataFrame.
    """
    if isinstance(given, Mapping):
        n_rows = 1 if n_samples is None else n_samples
        values = pd.DataFrame(
            {k: [v] * n_rows for k, v in given.items()}, index=pd.RangeIndex(n_rows)
        )
    elif isinstance(given, pd.DataFrame):
        values = given.reset_index(drop=True)
        if n_samples is not None and n_samples != len(values):
            raise ValueError(
                f"given has {len(values)} rows but n_samples={n_samples}; give one row "
                "per generated row, or leave n_samples out."
            )
    else:
        raise TypeError(
            f"given must be a dict {{column: value}} or a DataFrame, got "
            f"{type(given).__name__}."
        )
    names = fitted.table.codec.names
    target = fitted.table.target
    for name in values.columns:
        if name in names:
            continue
        if target is not None and name == target.name:
            raise ValueError(
                f"given names the target {name!r}; ask for its classes with y= (a "
                "continuous target cannot be fixed)."
            )
        raise ValueError(
            f"given names {column_label(name)}, which is not a column of the model; its "
            f"columns are {names[:10]}."
        )
    typed = {name: _typed_column(fitted, name, values[name]) for name in values.columns}
    return Condition(pd.DataFrame(typed, index=values.index))


def conditional_step(
    fitted: FittedVAE,
    condition: Condition,
    rows: slice,
    labels: np.ndarray | None,
    generator: torch.Generator,
) -> tuple[torch.Tensor, torch.Tensor, np.ndarray | None]:
    """Generated blocks for rows ``rows`` of a condition (one inference chunk).

    Returns the numeric block, the codes and the class of every row (drawn from its
    posterior given the fixed cells when ``labels`` is None and the model has classes).
    """
    module = fitted.module
    device = fitted.device
    table: TensorTable = fitted.table.tensors(condition.rows(rows), None, device)
    groups = torch.zeros(len(table), dtype=torch.long, device=device)
    if fitted.table.n_classes:
        if labels is None:
            scores = module.elbo_per_class(
                table, fitted.log_class_prior, scored=table.observed
            )
            groups = draw_categories(scores, generator)
            labels = groups.cpu().numpy()
        else:
            groups = torch.as_tensor(labels, device=device)
        table = table.with_labels(groups)

    def propose(index: torch.Tensor | None = None):
        """Rows for the condition rows ``index`` (``None``: all of them)."""
        part, part_groups = (
            (table, groups) if index is None else (table.rows(index), groups[index])
        )
        z = module.conditional_codes(
            part, fitted.latent_prior, part_groups, generator, N_PROPOSALS
        )
        return module.generate(
            z,
            part.labels,
            generator,
            missing=condition.free_cells_missing,
            given=part,
        )

    if not fitted.table.n_classes or not condition.free_cells_missing:
        # Imputation fills the cells the row lacks; it does not pick rows of a class.
        return *propose(), labels
    free = ~table.observed.all(dim=1)
    return *accepted_rows(module, groups, propose, generator, tested=free), labels
