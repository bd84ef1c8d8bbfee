"""Read YAML so that none of its YAML 1.1 traps can change a declaration.

PyYAML's loaders turn `no`, `yes`, `on`, `off` into booleans (in keys too), `030000`
into an octal number, `10:30` into a sexagesimal integer and `1990-03-07` into a date,
and keep the last of two equal keys without a word. Here every scalar stays the text
written; the pydantic models convert what they declare as numbers or booleans. An
unquoted `~`, `null` or empty value is None. Duplicate keys and tabs are errors.

Every value keeps its line and column, so that later errors can point into the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from engine.errors import DeclarationIssue

Path = tuple[str | int, ...]

# Limits on what staff can type into a declaration; far above any real form, far
# below what would exhaust memory (an alias bomb expands to billions of nodes).
MAX_DECLARATION_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000

_NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass
class ReadResult:
    """Plain data (dicts, lists, strings, None) with the position of every value."""

    data: Any
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    issues: list[DeclarationIssue] = field(default_factory=list)

    def line_of(self, path: Path) -> tuple[int, int]:
        """Return the 1-based line and column of `path`, or of its nearest parent."""
        probe = tuple(path)
        while probe:
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), (1, 1))


def _tab_issues(text: str) -> list[DeclarationIssue]:
    """Find tabs outside quoted strings: YAML forbids them in indentation."""
    issues = []
    for number, line in enumerate(text.splitlines(), start=1):
        unquoted = re.sub(
            r"'[^']*'|\"(?:[^\"\\]|\\.)*\"", lambda m: " " * len(m[0]), line
        )
        column = unquoted.find("\t")
        if column >= 0:
            issues.append(
                DeclarationIssue(
                    line=number,
                    column=column + 1,
                    path="",
                    message=(
                        "a tab character is not allowed here; indent and separate "
                        "with spaces (此处不能使用制表符 Tab，请改用空格)"
                    ),
                )
            )
    return issues


class _Builder:
    """Turn a composed node tree into plain data, recording positions."""

    def __init__(self, result: ReadResult) -> None:
        self.result = result
        self.nodes = 0

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            raise _TooBig(node, path)
        self.result.positions.setdefault(
            path, (node.start_mark.line + 1, node.start_mark.column + 1)
        )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [
                self.build(item, (*path, i), depth + 1)
                for i, item in enumerate(node.value)
            ]
        assert isinstance(node, yaml.ScalarNode)
        # A plain scalar has style None from PyYAML's parser and "" from libyaml's.
        if (
            not node.style
            and node.value in _NULLS
            and node.tag != "tag:yaml.org,2002:str"
        ):
            return None
        return node.value

    def _mapping(
        self, node: yaml.MappingNode, path: Path, depth: int
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.result.issues.append(
                    self._issue(
                        key_node,
                        path,
                        "merge keys (<<) are not supported; write the keys out",
                    )
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.result.issues.append(
                    self._issue(
                        key_node,
                        path,
                        "a key must be plain text, not a list or a mapping",
                    )
                )
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in out:
                self.result.issues.append(
                    self._issue(
                        key_node,
                        (*path, key),
                        f"duplicate key {key!r}: first on line {first_line[key]}, again "
                        f"on line {line}; YAML would keep only the last one, so remove "
                        "or rename one of them",
                    )
                )
                continue
            first_line[key] = line
            self.result.positions[(*path, key)] = (line, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, (*path, key), depth + 1)
        return out

    def _issue(self, node: yaml.Node, path: Path, message: str) -> DeclarationIssue:
        return DeclarationIssue(
            line=node.start_mark.line + 1,
            column=node.start_mark.column + 1,
            path=format_path(path),
            message=message,
        )


class _TooBig(Exception):
    def __init__(self, node: yaml.Node, path: Path) -> None:
        self.node = node
        self.path = path


def format_path(path: Path) -> str:
    """Write a key path as `sections[2].fields[0].type`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def too_large_issue() -> DeclarationIssue:
    """Return the issue of a declaration file larger than MAX_DECLARATION_BYTES."""
    return DeclarationIssue(
        1,
        1,
        "",
        f"the file is larger than {MAX_DECLARATION_BYTES:,} bytes; a declaration is never this big, so split it or check that this is the right file",
    )


def _too_deep_message() -> str:
    return (
        f"the declaration nests deeper than {MAX_DEPTH} levels or has more than "
        f"{MAX_NODES:,} values (YAML aliases can multiply them); write it out "
        "without aliases"
    )


def _too_deep_issue(text: str) -> DeclarationIssue:
    """Return the issue at the first collection nested deeper than MAX_DEPTH."""
    depth = -1  # the top collection is at depth 0, as in _Builder
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                return DeclarationIssue(
                    mark.line + 1, mark.column + 1, "", _too_deep_message()
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return DeclarationIssue(1, 1, "", _too_deep_message())


# libyaml's parser, where PyYAML was built with it: it composes the industry pack
# about four times faster than the pure-Python one.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> yaml.Node | None:
    """Compose a YAML document, with libyaml when it is there.

    A document libyaml rejects is composed again by the pure-Python parser, whose
    error messages and marks the declaration errors quote.
    """
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except (yaml.YAMLError, RecursionError):
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def read_yaml(text: str) -> ReadResult:
    """Read one YAML document into plain data; problems go to `issues`, never raise."""
    result = ReadResult(data=None)
    if len(text.encode("utf-8")) > MAX_DECLARATION_BYTES:
        result.issues.append(too_large_issue())
        return result
    result.issues.extend(_tab_issues(text))
    if result.issues:
        return result
    try:
        node = _compose(text)
    except RecursionError:
        # PyYAML composes nested collections recursively; find where it got too deep.
        result.issues.append(_too_deep_issue(text))
        return result
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = error.problem or "invalid YAML"
        result.issues.append(
            DeclarationIssue(
                line,
                column,
                "",
                f"this is not valid YAML: {problem}; check the indentation and quoting on this line and the one before",
            )
        )
        return result
    except yaml.YAMLError as error:
        result.issues.append(
            DeclarationIssue(1, 1, "", f"this is not valid YAML: {error}")
        )
        return result
    if node is None:
        result.issues.append(
            DeclarationIssue(
                1,
                1,
                "",
                "the file is empty; a declaration needs at least id, version, title and sections",
            )
        )
        return result
    try:
        result.data = _Builder(result).build(node, (), 0)
    except _TooBig as too_big:
        result.issues.append(
            DeclarationIssue(
                too_big.node.start_mark.line + 1,
                too_big.node.start_mark.column + 1,
                format_path(too_big.path),
                _too_deep_message(),
            )
        )
        result.data = None
    return result
