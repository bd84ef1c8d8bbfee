"""Load the declarations of a folder (`industries/`) into templates.

A folder contains template files (`*.yaml`) and, under `common/`, field sets that
templates include. A template may `extends` another one. The loader resolves both,
validates the result and reports every problem of every file at once, each with
file, line, column and key path.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.errors import DeclarationError, DeclarationIssue, TemplateNotFoundError
from engine.spec.errortext import describe_validation_error
from engine.spec.merge import ExtendsError, merge_extends
from engine.spec.model import Template
from engine.spec.yamlread import (
    MAX_DECLARATION_BYTES,
    ReadResult,
    format_path,
    read_yaml,
    too_large_issue,
)
from engine.spec.yamlread import Path as KeyPath

logger = logging.getLogger(__name__)

FIELDSET_FOLDER = "common"
SAMPLE_SUFFIX = ".sample.json"
# Keys a template file may carry that the resolved Template does not.
_DECLARATION_ONLY_KEYS = ("extends", "remove_sections")


@dataclass
class Declaration:
    """One file as read, before includes and `extends` are resolved."""

    file: Path
    read: ReadResult
    issues: list[DeclarationIssue] = field(default_factory=list)

    @property
    def data(self) -> Any:
        return self.read.data


@dataclass
class LoadedTemplate:
    template: Template
    file: Path

    @property
    def sample_file(self) -> Path:
        return self.file.with_name(self.file.name.removesuffix(".yaml") + SAMPLE_SUFFIX)


class Catalog:
    """All templates and field sets under one folder, loaded and checked."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.fieldsets: dict[str, Declaration] = {}
        self.declarations: list[Declaration] = []
        self.templates: dict[tuple[str, int], LoadedTemplate] = {}
        self.errors: list[DeclarationError] = []

    # -- reading -----------------------------------------------------------------

    @classmethod
    def load(cls, root: Path, extra_files: list[Path] | None = None) -> Catalog:
        """Read and resolve every declaration under `root`; errors go to `.errors`."""
        catalog = cls(root)
        if not catalog.root.is_dir():
            raise TemplateNotFoundError(
                f"template folder {str(catalog.root)!r} does not exist; run from the "
                "project folder, or name the folder of YAML declarations with --root "
                "or the DANGAN_INDUSTRIES environment variable"
            )
        for file in sorted(catalog.root.rglob("*.yaml")):
            catalog._read(file)
        for file in extra_files or []:
            if file.resolve() not in {d.file.resolve() for d in catalog.declarations}:
                catalog._read(file)
        catalog._resolve_all()
        logger.info("loaded %d templates from %s", len(catalog.templates), catalog.root)
        return catalog

    def _read(self, file: Path) -> None:
        if file.stat().st_size > MAX_DECLARATION_BYTES:
            self.errors.append(DeclarationError(file, [too_large_issue()]))
            return
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            issue = DeclarationIssue(
                1,
                1,
                "",
                f"the file is not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8",
            )
            self.errors.append(DeclarationError(file, [issue]))
            return
        declaration = Declaration(file, read_yaml(text))
        declaration.issues.extend(declaration.read.issues)
        relative = (
            file.resolve().relative_to(self.root.resolve())
            if file.resolve().is_relative_to(self.root.resolve())
            else file
        )
        if relative.parts and relative.parts[0] == FIELDSET_FOLDER:
            self.fieldsets[relative.with_suffix("").as_posix()] = declaration
        else:
            self.declarations.append(declaration)
        if declaration.data is not None and not isinstance(declaration.data, dict):
            declaration.issues.append(
                DeclarationIssue(
                    1,
                    1,
                    "",
                    "the file must be a mapping of keys such as id, version, title and sections",
                )
            )
            declaration.read.data = None

    # -- resolving ---------------------------------------------------------------

    def _resolve_all(self) -> None:
        for name, fieldset in self.fieldsets.items():
            self._check_fieldset(name, fieldset)
        by_id = self._index_by_id()
        for declaration in self.declarations:
            if declaration.data is not None and not declaration.issues:
                self._resolve(declaration, by_id)
        for declaration in [*self.fieldsets.values(), *self.declarations]:
            if declaration.issues:
                self.errors.append(
                    DeclarationError(declaration.file, declaration.issues)
                )

    def _index_by_id(self) -> dict[str, list[Declaration]]:
        by_id: dict[str, list[Declaration]] = {}
        for declaration in self.declarations:
            data = declaration.data
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                by_id.setdefault(data["id"], []).append(declaration)
        return by_id

    def _check_fieldset(self, name: str, fieldset: Declaration) -> None:
        data = fieldset.data
        if data is None:
            return
        fields = data.get("fields")
        if not isinstance(fields, list) or not fields:
            fieldset.issues.append(
                DeclarationIssue(
                    *fieldset.read.line_of(("fields",)),
                    "fields",
                    f"field set {name!r} needs a `fields:` list with at least one field",
                )
            )

    def _resolve(
        self, declaration: Declaration, by_id: dict[str, list[Declaration]]
    ) -> None:
        try:
            data = merge_extends(declaration, by_id)
        except ExtendsError as error:
            declaration.issues.append(
                DeclarationIssue(
                    *declaration.read.line_of(("extends",)), "extends", str(error)
                )
            )
            return
        self._origins: dict[KeyPath, KeyPath] = {}
        self._failed_lists: set[KeyPath] = set()
        data, positions = self._expand_includes(declaration, data)
        for key in _DECLARATION_ONLY_KEYS:
            data.pop(key, None)
        duplicates = _duplicate_key_issues(data, positions, self._origin_path)
        declaration.issues.extend(duplicates)
        try:
            template = Template.model_validate(data)
        except ValidationError as error:
            for loc, message in describe_validation_error(error, data):
                if duplicates and message.startswith("field key "):
                    continue  # already reported with both lines
                if tuple(loc) in self._failed_lists:
                    continue  # empty only because its include failed
                line, column = _line_of(positions, loc)
                declaration.issues.append(
                    DeclarationIssue(
                        line, column, format_path(self._origin_path(loc)), message
                    )
                )
            return
        if duplicates or declaration.issues:
            return
        version_key = (template.id, template.version)
        if version_key in self.templates:
            other = self.templates[version_key].file
            declaration.issues.append(
                DeclarationIssue(
                    *declaration.read.line_of(("version",)),
                    "version",
                    f"template {template.id!r} version {template.version} is also declared in {other}; raise the version number of the newer one",
                )
            )
            return
        self.templates[version_key] = LoadedTemplate(template, declaration.file)

    def _expand_includes(
        self, declaration: Declaration, data: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[KeyPath, tuple[int, int]]]:
        """Replace every `- include: common/x` item of a field list by that set's fields."""
        positions = dict(declaration.read.positions)
        sections = data.get("sections")
        if not isinstance(sections, list):
            return data, positions
        new_sections = []
        for s_index, section in enumerate(sections):
            if not isinstance(section, dict):
                new_sections.append(section)
                continue
            section = dict(section)
            for list_key in ("fields", "columns"):
                items = section.get(list_key)
                if isinstance(items, list):
                    section[list_key] = self._expand_list(
                        declaration,
                        items,
                        ("sections", s_index, list_key),
                        positions,
                        [],
                    )
            new_sections.append(section)
        return {**data, "sections": new_sections}, positions

    def _expand_list(
        self,
        declaration: Declaration,
        items: list[Any],
        path: KeyPath,
        positions: dict[KeyPath, tuple[int, int]],
        chain: list[str],
    ) -> list[Any]:
        expanded: list[Any] = []
        moves: list[tuple[int, int]] = []
        for index, item in enumerate(items):
            if isinstance(item, dict) and "include" in item:
                issues_before = len(declaration.issues)
                for included in self._included_fields(
                    declaration, item["include"], (*path, index), chain
                ):
                    moves.append((len(expanded), index))
                    expanded.append(included)
                if len(declaration.issues) > issues_before:
                    self._failed_lists.add(path)
            else:
                moves.append((len(expanded), index))
                expanded.append(item)
        _shift_positions(positions, path, moves)
        for new_index, old_index in moves:
            self._origins[(*path, new_index)] = (*path, old_index)
        return expanded

    def _origin_path(self, loc: KeyPath) -> KeyPath:
        """Map a path in the expanded data back to the path written in the file."""
        for length in range(len(loc), 0, -1):
            origin = self._origins.get(tuple(loc[:length]))
            if origin is not None:
                return (*origin, *loc[length:])
        return tuple(loc)

    def _included_fields(
        self, declaration: Declaration, name: Any, at: KeyPath, chain: list[str]
    ) -> list[Any]:
        line, column = declaration.read.line_of(at)
        known = ", ".join(sorted(self.fieldsets)) or "none"
        if not isinstance(name, str) or name not in self.fieldsets:
            declaration.issues.append(
                DeclarationIssue(
                    line,
                    column,
                    format_path(at),
                    f"unknown include {name!r}; field sets under {self.root / FIELDSET_FOLDER} are: {known}",
                )
            )
            return []
        if name in chain:
            cycle = " -> ".join([*chain, name])
            declaration.issues.append(
                DeclarationIssue(
                    line,
                    column,
                    format_path(at),
                    f"include cycle: {cycle}; a field set cannot include itself",
                )
            )
            return []
        fieldset = self.fieldsets[name]
        fields = (
            fieldset.data.get("fields") if isinstance(fieldset.data, dict) else None
        )
        if not isinstance(fields, list):
            return []
        out: list[Any] = []
        for item in fields:
            if isinstance(item, dict) and "include" in item:
                out.extend(
                    self._included_fields(
                        declaration, item["include"], at, [*chain, name]
                    )
                )
            else:
                out.append(item)
        return out

    # -- lookup ------------------------------------------------------------------

    def get(self, template_id: str, version: int | None = None) -> Template:
        """Return a template by id; None as version means the newest."""
        return self.get_loaded(template_id, version).template

    def get_loaded(
        self, template_id: str, version: int | None = None
    ) -> LoadedTemplate:
        versions = sorted(v for (i, v) in self.templates if i == template_id)
        if not versions:
            known = ", ".join(self.ids()) or "none"
            raise TemplateNotFoundError(
                f"no template with id {template_id!r} in {self.root}; known ids: {known}"
            )
        if version is None:
            version = versions[-1]
        if (template_id, version) not in self.templates:
            raise TemplateNotFoundError(
                f"template {template_id!r} has no version {version} in {self.root}; it has versions {', '.join(map(str, versions))}"
            )
        return self.templates[(template_id, version)]

    def ids(self) -> list[str]:
        return sorted({i for (i, _) in self.templates})

    def latest(self) -> list[LoadedTemplate]:
        """Return the newest version of every template, ordered by id."""
        return [self.get_loaded(i) for i in self.ids()]

    def raise_errors(self) -> None:
        """Raise the first file's DeclarationError, if any file had problems."""
        if self.errors:
            raise self.errors[0]


def _shift_positions(
    positions: dict[KeyPath, tuple[int, int]],
    path: KeyPath,
    moves: list[tuple[int, int]],
) -> None:
    """Move positions under `path[i]` to `path[j]` for each (j, i) in `moves`."""
    depth = len(path)
    old = {k: v for k, v in positions.items() if k[:depth] == path and len(k) > depth}
    for k in old:
        del positions[k]
    for new_index, old_index in moves:
        for k, v in old.items():
            if k[depth] == old_index:
                positions.setdefault((*path, new_index, *k[depth + 1 :]), v)


def _duplicate_key_issues(
    data: dict[str, Any], positions: dict[KeyPath, tuple[int, int]], origin: Any
) -> list[DeclarationIssue]:
    """Report two fields with one key in a section, naming both lines."""
    issues = []
    for s_index, section in enumerate(data.get("sections") or []):
        if not isinstance(section, dict):
            continue
        for list_key in ("fields", "columns"):
            first: dict[str, int] = {}
            for f_index, item in enumerate(section.get(list_key) or []):
                key = item.get("key") if isinstance(item, dict) else None
                if not isinstance(key, str):
                    continue
                path = ("sections", s_index, list_key, f_index, "key")
                line, column = _line_of(positions, path)
                if key in first:
                    issues.append(
                        DeclarationIssue(
                            line,
                            column,
                            format_path(origin(path)),
                            f"duplicate field key {key!r} in section {section.get('id')!r}: first on line {first[key]}, again on line {line}; every field of a section needs its own key",
                        )
                    )
                else:
                    first[key] = line
    return issues


def _line_of(
    positions: dict[KeyPath, tuple[int, int]], loc: KeyPath
) -> tuple[int, int]:
    probe = tuple(loc)
    while probe:
        if probe in positions:
            return positions[probe]
        probe = probe[:-1]
    return positions.get((), (1, 1))


def load_catalog(root: Path | str = "industries") -> Catalog:
    """Load every template under `root` and raise if any declaration is broken."""
    catalog = Catalog.load(Path(root))
    catalog.raise_errors()
    return catalog
