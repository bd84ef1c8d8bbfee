"""Resolve `extends`: a template that is a variant of another.

The derived file names its base (`extends: spa-client`, or `spa-client@1` for one
version). Its top-level keys replace the base's. Its `sections` replace the base's
section of the same id in place; a new section goes after the section named by its
`after:` key, or at the end. `remove_sections: [id, ...]` drops base sections.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.spec.loader import Declaration


class ExtendsError(ValueError):
    """`extends` names an unknown template, forms a cycle or cannot be applied."""


def _parse_reference(reference: Any) -> tuple[str, int | None]:
    if not isinstance(reference, str) or not reference:
        raise ExtendsError(f"extends must name a template id, found {reference!r}")
    name, _, version = reference.partition("@")
    if version and not version.isdigit():
        raise ExtendsError(
            f"extends {reference!r}: the part after @ must be a version number"
        )
    return name, int(version) if version else None


def _find_base(reference: Any, by_id: dict[str, list[Declaration]]) -> Declaration:
    name, version = _parse_reference(reference)
    candidates = by_id.get(name, [])
    if not candidates:
        known = ", ".join(sorted(by_id)) or "none"
        raise ExtendsError(
            f"extends {reference!r}: no template has that id; known ids: {known}"
        )
    if version is None:
        return max(candidates, key=lambda d: _version_of(d))
    for candidate in candidates:
        if _version_of(candidate) == version:
            return candidate
    raise ExtendsError(
        f"extends {reference!r}: template {name!r} has no version {version}"
    )


def _version_of(declaration: Declaration) -> int:
    raw = (
        declaration.data.get("version") if isinstance(declaration.data, dict) else None
    )
    try:
        return int(str(raw))
    except (TypeError, ValueError):
        return 0


def merge_extends(
    declaration: Declaration,
    by_id: dict[str, list[Declaration]],
    chain: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Return the declaration's data with its base (and the base's base) applied."""
    data = declaration.data
    assert isinstance(data, dict)
    if "extends" not in data:
        return data
    own_id = str(data.get("id"))
    if own_id in chain:
        raise ExtendsError(
            "extends cycle: "
            + " -> ".join([*chain, own_id])
            + "; a template cannot extend itself, directly or through others"
        )
    base = _find_base(data["extends"], by_id)
    base_id = str(base.data.get("id"))
    if base_id in (*chain, own_id):
        raise ExtendsError(
            "extends cycle: "
            + " -> ".join([*chain, own_id, base_id])
            + "; a template cannot extend itself, directly or through others"
        )
    base_data = merge_extends(base, by_id, (*chain, own_id))
    if base.issues:
        raise ExtendsError(
            f"the template it extends, {base_id!r} in {base.file}, has errors; "
            "fix those first"
        )
    return _apply(base_data, data)


def _apply(base: dict[str, Any], derived: dict[str, Any]) -> dict[str, Any]:
    merged = {k: v for k, v in base.items() if k not in ("extends", "remove_sections")}
    for key, value in derived.items():
        if key not in ("sections", "remove_sections", "extends"):
            merged[key] = value
    sections = [dict(s) for s in base.get("sections") or [] if isinstance(s, dict)]
    removed = derived.get("remove_sections") or []
    if not isinstance(removed, list):
        raise ExtendsError("remove_sections must be a list of section ids")
    known = {s.get("id") for s in sections}
    for section_id in removed:
        if section_id not in known:
            raise ExtendsError(
                f"remove_sections names {section_id!r}, which the base template does not have; its sections are: {', '.join(map(str, known))}"
            )
    sections = [s for s in sections if s.get("id") not in removed]
    for section in derived.get("sections") or []:
        if not isinstance(section, dict):
            raise ExtendsError("each entry of sections must be a mapping")
        section = dict(section)
        after = section.pop("after", None)
        ids = [s.get("id") for s in sections]
        if section.get("id") in ids:
            sections[ids.index(section.get("id"))] = section
        elif after is not None:
            if after not in ids:
                raise ExtendsError(
                    f"section {section.get('id')!r} is placed after {after!r}, which is not a section of the template"
                )
            sections.insert(ids.index(after) + 1, section)
        else:
            sections.append(section)
    merged["sections"] = sections
    return merged
