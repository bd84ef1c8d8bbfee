"""Every exception and warning of the engine.

    DanganError                      base of everything the engine raises on purpose
    ├── DeclarationError             a template declaration is wrong (file, line, key path)
    ├── TemplateNotFoundError        no template with that id (and version)
    ├── RecordError                  filled data does not validate (per field: path, message, value)
    ├── FormFileError                a returned form file cannot be read as one of our forms
    └── SystemDependencyError        a program or font the engine needs is not installed

    MissingTranslationWarning        a label lacks the English text a renderer asked for

The rule for raise, warn and log:
- raise when the caller must act (a broken declaration, an unreadable file, bad data);
- warn (`warnings.warn`) when a template author must change something but the output
  can still be made (a missing translation falls back to Chinese);
- log when the engine recovered and went on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class DanganError(Exception):
    """Base of every error the engine raises on purpose."""


@dataclass(frozen=True)
class DeclarationIssue:
    """One problem in a declaration file, at a line and column."""

    line: int
    column: int
    path: str
    message: str

    def format(self, file: Path | str) -> str:
        where = f"{file}:{self.line}:{self.column}"
        at = f" {self.path}:" if self.path else ""
        return f"{where}:{at} {self.message}"


class DeclarationError(DanganError):
    """One or more problems in template declaration files, all reported at once."""

    def __init__(self, file: Path | str, issues: list[DeclarationIssue]) -> None:
        self.file = Path(file)
        self.issues = sorted(issues, key=lambda i: (i.line, i.column))
        super().__init__("\n".join(issue.format(self.file) for issue in self.issues))


class TemplateNotFoundError(DanganError):
    """No template with the requested id, or not at the requested version."""


@dataclass(frozen=True)
class FieldProblem:
    """One invalid value in a record: where, what is wrong, and the value as typed."""

    path: str
    message: str
    value: object = None


class RecordError(DanganError):
    """A record has invalid values; `problems` lists each one."""

    def __init__(self, template_id: str, problems: list[FieldProblem]) -> None:
        self.template_id = template_id
        self.problems = problems
        lines = [f"{p.path}: {p.message}" for p in problems]
        super().__init__(f"record for {template_id!r} is invalid:\n" + "\n".join(lines))


class FormFileError(DanganError):
    """A returned form file cannot be read as one of our forms."""

    def __init__(self, file: Path | str, message: str) -> None:
        self.file = Path(file)
        super().__init__(f"{self.file}: {message}")


class SystemDependencyError(DanganError):
    """A program or font the engine needs is missing; the message names the package."""


class MissingTranslationWarning(UserWarning):
    """A label has no English text, so a renderer fell back to the Chinese."""
