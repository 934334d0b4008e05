"""Griffe extension: render the Sphinx roles of numpydoc docstrings for mkdocstrings.

The library's docstrings follow scikit-learn's conventions (``:meth:`sample```,
``:func:`~sklearn.utils.multiclass.type_of_target```), which mkdocstrings would print
verbatim. This rewrites each role to inline code, linked to its API-reference entry when
it names a public ``vae_augment`` object (relative names are looked up in the enclosing
class first). Loaded from ``mkdocs.yml``; not part of the package.
"""

from __future__ import annotations

import re

import griffe

_ROLE = re.compile(r":(?:py:)?(meth|func|class|attr|mod|obj|data|exc):`(~?)([^`]+)`")
_CALLABLE_ROLES = {"meth", "func"}


class SphinxRoles(griffe.Extension):
    """Turn ``:role:`target``` into Markdown code spans and cross-references."""

    def on_package(self, *, pkg: griffe.Module, **kwargs) -> None:
        """Rewrite the docstrings of every object of ``pkg`` once it is loaded."""
        exported = {str(name) for name in pkg.exports or ()}
        for obj in _walk(pkg):
            if obj.docstring is not None:
                obj.docstring.value = _ROLE.sub(
                    lambda match, obj=obj: _render(match, obj, pkg, exported),
                    obj.docstring.value,
                )


def _walk(obj: griffe.Object):
    """``obj`` and every object defined under it (aliases are not followed)."""
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _walk(member)


def _render(match: re.Match, obj: griffe.Object, pkg: griffe.Module, exported: set) -> str:
    role, short, target = match.groups()
    text = target.rsplit(".", 1)[-1] if short else target
    if role in _CALLABLE_ROLES:
        text += "()"
    path = _public_path(target, obj, pkg, exported)
    return f"[`{text}`][{path}]" if path else f"`{text}`"


def _public_path(target: str, obj: griffe.Object, pkg: griffe.Module, exported: set):
    """The documented path of ``target`` as seen from ``obj``, or None when undocumented."""
    parts = target.split(".")
    if parts[0] == pkg.name:
        parts = parts[1:]
    if not parts or parts[0] not in exported:
        enclosing = obj if obj.is_class else obj.parent
        if enclosing is None or not enclosing.is_class or enclosing.name not in exported:
            return None
        parts = [enclosing.name, *parts]
    current = pkg[parts[0]]
    for part in parts[1:]:
        if part.startswith("_") or part not in current.members:
            return None
        current = current.members[part]
    return ".".join([pkg.name, *parts])
