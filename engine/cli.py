"""The `dangan` command line: parses arguments, configures logging, calls the API.

Exit codes: 0 when everything is valid, 1 when an input (a declaration, a record, a
form) is invalid, 2 on a usage error such as an unknown option or template id.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import warnings
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from engine.errors import DanganError, TemplateNotFoundError
from engine.privacy import ScrubFilter, display_value
from engine.records import validate_record
from engine.scaffold import scaffold_template
from engine.spec.loader import Catalog, LoadedTemplate
from engine.spec.model import Template
from engine.spec.slots import slot_map, template_slots

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    help="Customer-archive forms: YAML templates to fillable Word and PDF forms, "
    "and filled forms back to validated records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Off a terminal Rich assumes 80 columns and cuts template ids short; ids must stay
# whole so they can be copied.
console = Console(width=None if sys.stdout.isatty() else 160)
# Errors are printed whole, one per line, so that editors can jump to file:line.
errors = Console(stderr=True, soft_wrap=True)

RootOption = Annotated[
    Path,
    typer.Option(
        "--root",
        envvar="DANGAN_INDUSTRIES",
        help="Folder of template declarations (YAML).",
    ),
]
DEFAULT_ROOT = Path("industries")


class Language(StrEnum):
    zh = "zh"
    en = "en"
    both = "both"


class RenderFormat(StrEnum):
    docx = "docx"
    pdf = "pdf"
    paper = "paper"  # a PDF to print, fill by pen and scan (engine.paper)


def _fail(message: str, code: int) -> typer.Exit:
    errors.print(message, markup=False, highlight=False)
    return typer.Exit(code)


def _catalog(root: Path) -> Catalog:
    try:
        catalog = Catalog.load(root)
    except TemplateNotFoundError as error:
        raise _fail(str(error), EXIT_USAGE) from None
    for problem in catalog.errors:
        errors.print(str(problem), markup=False, highlight=False)
    return catalog


def _loaded(catalog: Catalog, template_id: str, version: int | None) -> LoadedTemplate:
    try:
        return catalog.get_loaded(template_id, version)
    except TemplateNotFoundError as error:
        raise _fail(str(error), EXIT_USAGE) from None


def _field_count(template: Template) -> int:
    return len(list(template_slots(template)))


@app.command("list")
def list_templates(
    root: RootOption = DEFAULT_ROOT,
    ids: Annotated[bool, typer.Option("--ids", help="Print one id a line.")] = False,
) -> None:
    """List the templates: id, version, title, industry and number of values."""
    catalog = _catalog(root)
    if ids:
        for template_id in catalog.ids():
            typer.echo(template_id)
        return
    table = Table(title=f"Templates in {root}")
    for column in ("id", "version", "title", "industry", "sections", "values"):
        table.add_column(column)
    for loaded in catalog.latest():
        t = loaded.template
        title = t.title.zh + (f" / {t.title.en}" if t.title.en else "")
        table.add_row(
            t.id,
            str(t.version),
            title,
            t.industry,
            str(len(t.sections)),
            str(_field_count(t)),
        )
    console.print(table)
    if catalog.errors:
        raise typer.Exit(EXIT_INVALID)


@app.command()
def show(
    template_id: Annotated[str, typer.Argument(metavar="ID")],
    root: RootOption = DEFAULT_ROOT,
    version: Annotated[int | None, typer.Option(help="Template version.")] = None,
) -> None:
    """Show a template's sections and the path, type and label of every value."""
    loaded = _loaded(_catalog(root), template_id, version)
    t = loaded.template
    console.print(f"[bold]{t.title.zh}[/bold] {t.title.en or ''}", highlight=False)
    console.print(
        f"id {t.id}  version {t.version}  fingerprint {t.fingerprint}  file {loaded.file}",
        highlight=False,
    )
    table = Table()
    for column in ("path", "type", "label", "required"):
        table.add_column(column)
    for slot in template_slots(t):
        part = f" ({slot.part})" if slot.part else ""
        table.add_row(
            slot.path,
            slot.value_type,
            slot.field.label.zh + part,
            "yes" if slot.field.required else "",
        )
    console.print(table)


def _declaration_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.rglob("*.yaml")))
        elif path.exists():
            files.append(path)
        else:
            raise _fail(f"{path}: no such file or folder", EXIT_USAGE)
    return files


def _sample_problems(catalog: Catalog, files: set[Path]) -> list[str]:
    problems = []
    for loaded in catalog.templates.values():
        if loaded.file.resolve() not in files or not loaded.sample_file.exists():
            continue
        try:
            values = json.loads(loaded.sample_file.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            problems.append(f"{loaded.sample_file}: not valid JSON ({error})")
            continue
        report = validate_record(loaded.template, values)
        slots = slot_map(loaded.template)
        for problem in report.problems:
            shown = display_value(slots.get(problem.path), problem.value)
            problems.append(
                f"{loaded.sample_file}: {problem.path}: {problem.message} (value {shown})"
            )
    return problems


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Declaration files or folders; default: the root folder."),
    ] = None,
    root: RootOption = DEFAULT_ROOT,
) -> None:
    """Check declarations and their sample records; print every problem found."""
    targets = paths or [root]
    files = _declaration_files(targets)
    if root.is_dir():
        catalog = Catalog.load(root, extra_files=files)
    else:
        catalog = Catalog.load(targets[0] if targets[0].is_dir() else targets[0].parent)
    wanted = {f.resolve() for f in files}
    declaration_errors = [e for e in catalog.errors if e.file.resolve() in wanted]
    for error in declaration_errors:
        errors.print(str(error), markup=False, highlight=False)
    sample_problems = _sample_problems(catalog, wanted)
    for line in sample_problems:
        errors.print(line, markup=False, highlight=False)
    checked = [t for t in catalog.templates.values() if t.file.resolve() in wanted]
    table = Table(title="Validated templates")
    for column in ("id", "version", "values", "sample", "file"):
        table.add_column(column)
    for loaded in sorted(checked, key=lambda t: (t.template.id, t.template.version)):
        sample = "ok" if loaded.sample_file.exists() else "missing"
        if any(line.startswith(str(loaded.sample_file)) for line in sample_problems):
            sample = "invalid"
        table.add_row(
            loaded.template.id,
            str(loaded.template.version),
            str(_field_count(loaded.template)),
            sample,
            str(loaded.file),
        )
    console.print(table)
    failed = sum(len(e.issues) for e in declaration_errors) + len(sample_problems)
    console.print(f"{len(files)} files, {len(checked)} templates, {failed} problems")
    if failed:
        raise typer.Exit(EXIT_INVALID)


@app.command()
def schema(
    template_id: Annotated[str, typer.Argument(metavar="ID")],
    root: RootOption = DEFAULT_ROOT,
    version: Annotated[int | None, typer.Option(help="Template version.")] = None,
) -> None:
    """Print the JSON Schema of a template's record."""
    from engine.record_model import record_json_schema

    template = _loaded(_catalog(root), template_id, version).template
    typer.echo(json.dumps(record_json_schema(template), ensure_ascii=False, indent=2))


@app.command()
def new(
    template_id: Annotated[str, typer.Argument(metavar="ID")],
    root: RootOption = DEFAULT_ROOT,
    industry: Annotated[str, typer.Option(help="Industry name.")] = "general",
    title: Annotated[str, typer.Option(help="Chinese title.")] = "客户档案",
) -> None:
    """Write a new template declaration and its sample record, ready to edit."""
    try:
        written = scaffold_template(root, template_id, industry, title)
    except (ValueError, FileExistsError) as error:
        raise _fail(str(error), EXIT_USAGE) from None
    for path in written:
        console.print(f"wrote {path}", highlight=False)


def _read_record(path: Path) -> Any:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(f"{path}: no such file", EXIT_USAGE) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise _fail(f"{path}: not a JSON record ({error})", EXIT_INVALID) from None
    # A record written by `dangan parse` wraps the values with its metadata.
    if isinstance(data, dict) and isinstance(data.get("values"), dict):
        return data["values"]
    return data


@app.command()
def render(
    template_id: Annotated[str, typer.Argument(metavar="ID")],
    output_format: Annotated[
        RenderFormat, typer.Option("--format", "-f", help="docx, pdf or paper.")
    ] = RenderFormat.docx,
    data: Annotated[
        Path | None, typer.Option(help="Record (JSON) to pre-fill the form with.")
    ] = None,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Output folder.")
    ] = Path("output"),
    language: Annotated[
        Language, typer.Option("--lang", help="Label language: zh, en or both.")
    ] = Language.zh,
    root: RootOption = DEFAULT_ROOT,
    version: Annotated[int | None, typer.Option(help="Template version.")] = None,
) -> None:
    """Render a fillable form, blank or pre-filled from a record."""
    template = _loaded(_catalog(root), template_id, version).template
    values = None
    if data is not None:
        report = validate_record(template, _read_record(data))
        if not report.ok:
            slots = slot_map(template)
            for problem in report.problems:
                shown = display_value(slots.get(problem.path), problem.value)
                errors.print(
                    f"{data}: {problem.path}: {problem.message} (value {shown})",
                    markup=False,
                    highlight=False,
                )
            raise typer.Exit(EXIT_INVALID)
        values = report.values
    suffix = "-filled" if values else ""
    if output_format is RenderFormat.paper:
        suffix, extension = f"-paper{suffix}", "pdf"
    else:
        extension = output_format.value
    target = output / f"{template.id}-v{template.version}{suffix}.{extension}"
    try:
        path = _write_form(template, output_format, target, values, language.value)
    except DanganError as error:
        raise _fail(str(error), EXIT_INVALID) from None
    console.print(f"wrote {path}", highlight=False)


def _write_form(
    template: Template,
    output_format: RenderFormat,
    target: Path,
    values: dict[str, Any] | None,
    language: str,
) -> Path:
    if output_format is RenderFormat.docx:
        from engine.word import write_docx

        return write_docx(template, target, values=values, language=language)  # type: ignore[arg-type]
    if output_format is RenderFormat.paper:
        from engine.paper import write_paper

        return write_paper(template, target, values=values, language=language)
    from engine.pdf import write_pdf

    return write_pdf(template, target, values=values, language=language)  # type: ignore[arg-type]


@app.command()
def parse(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Form files (.docx, .pdf, scans) or folders."),
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Output folder.")
    ] = Path("output/records"),
    formats: Annotated[
        str, typer.Option("--format", help="Comma-separated outputs: json, csv, xlsx.")
    ] = "json,csv,xlsx",
    strict: Annotated[
        bool,
        typer.Option(help="Fail a file on anything unexpected, not only report it."),
    ] = False,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Worker processes; default: up to 2.")
    ] = None,
    root: RootOption = DEFAULT_ROOT,
) -> None:
    """Read filled forms back into validated records, with CSV and XLSX per template."""
    from engine.batch import collect_files

    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    unknown = set(chosen) - {"json", "csv", "xlsx"}
    if unknown or not chosen:
        raise _fail(
            f"unknown --format {', '.join(sorted(unknown)) or formats!r}; use json, csv or xlsx",
            EXIT_USAGE,
        )
    for path in paths:
        if not path.exists():
            raise _fail(f"{path}: no such file or folder", EXIT_USAGE)
    files = collect_files(paths)
    if not files:
        raise _fail(
            "no .docx, .pdf or scanned image files found in the paths given", EXIT_USAGE
        )
    catalog = _catalog(root)
    if catalog.errors:
        raise typer.Exit(EXIT_INVALID)
    from engine.outlock import OutputBusyError

    try:
        outcomes = _parse_with_progress(files, root, output, chosen, workers, strict)
    except OutputBusyError as error:
        raise _fail(str(error), EXIT_INVALID) from None
    _print_summary(outcomes, output)
    if any(o.status != "valid" for o in outcomes):
        raise typer.Exit(EXIT_INVALID)


def _parse_with_progress(
    files: list[Path],
    root: Path,
    output: Path,
    formats: tuple[str, ...],
    workers: int | None,
    strict: bool,
) -> list[Any]:
    from rich.progress import Progress

    from engine.batch import parse_batch

    with Progress(console=errors, transient=True) as progress:
        task = progress.add_task("Reading forms", total=len(files))
        return parse_batch(
            files,
            root,
            output,
            formats,
            workers=workers,
            strict=strict,
            on_done=lambda _: progress.advance(task),
            keep_records=False,
        )


def _print_summary(outcomes: list[Any], output: Path) -> None:
    table = Table(title=f"Forms read ({output})")
    for column in ("file", "template", "status", "problems"):
        table.add_column(column, overflow="fold")
    for outcome in outcomes:
        record = outcome.record
        template = f"{record['template']} v{record['version']}" if record else ""
        if outcome.failure:
            detail = outcome.failure
        else:
            detail = "; ".join(
                f"{e['path']}: {e['message']}" for e in record["errors"][:3]
            )
            count = record.get("error_count", len(record["errors"]))
            if count > 3:
                detail += f" (+{count - 3} more)"
        table.add_row(str(outcome.source), template, outcome.status, detail)
    console.print(table)
    # Each unreadable file again on one unwrapped line, so the reason can be searched.
    for outcome in outcomes:
        if outcome.failure:
            console.print(
                f"unreadable: {outcome.failure}",
                soft_wrap=True,
                markup=False,
                highlight=False,
            )
    counts = {
        s: sum(o.status == s for o in outcomes) for s in ("valid", "invalid", "failed")
    }
    console.print(
        f"{len(outcomes)} forms: {counts['valid']} valid, {counts['invalid']} with "
        f"problems, {counts['failed']} unreadable",
        highlight=False,
    )


@app.command()
def roundtrip(
    template_ids: Annotated[
        list[str] | None,
        typer.Argument(metavar="[ID]...", help="Templates; default: all."),
    ] = None,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Output folder.")
    ] = Path("output/roundtrip"),
    route: Annotated[
        list[str] | None, typer.Option(help="Only this route; may be repeated.")
    ] = None,
    root: RootOption = DEFAULT_ROOT,
) -> None:
    """Fill each template's sample record through real fillers and read it back."""
    from engine.roundtrip import available_routes, run_roundtrips

    catalog = _catalog(root)
    if catalog.errors:
        raise typer.Exit(EXIT_INVALID)
    ids = template_ids or catalog.ids()
    for template_id in ids:
        loaded = _loaded(catalog, template_id, None)
        if not loaded.sample_file.exists():
            raise _fail(
                f"{template_id} has no sample record {loaded.sample_file}; write one first",
                EXIT_USAGE,
            )
    known = available_routes()
    for name in route or []:
        if name not in known:
            raise _fail(
                f"unknown route {name!r}; routes: {', '.join(known)}", EXIT_USAGE
            )
    try:
        results = run_roundtrips(catalog, ids, output, route)
    except DanganError as error:
        raise _fail(str(error), EXIT_INVALID) from None
    table = Table(title=f"Round trips ({output})")
    for column in ("template", "route", "result", "detail"):
        table.add_column(column, overflow="fold")
    for result in results:
        table.add_row(
            result.template_id,
            result.route,
            "ok" if result.ok else "FAILED",
            result.detail,
        )
    console.print(table)
    failed = sum(not r.ok for r in results)
    console.print(f"{len(results)} round trips, {failed} failed", highlight=False)
    if failed:
        raise typer.Exit(EXIT_INVALID)


@app.callback()
def configure(
    verbose: Annotated[
        int, typer.Option("-v", "--verbose", count=True, help="-v info, -vv debug.")
    ] = 0,
) -> None:
    """Configure logging once for the whole command."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(ScrubFilter())
    warnings.showwarning = _show_warning_once


_shown_warnings: set[str] = set()


def _show_warning_once(message: Warning | str, *_: Any, **__: Any) -> None:
    """Print a warning for a template author as one line, once per text.

    Python's default shows the engine's source line under each warning, and both
    renderers may warn about the same label.
    """
    text = str(message)
    if text not in _shown_warnings:
        _shown_warnings.add(text)
        errors.print(f"warning: {text}", markup=False, highlight=False)


def main() -> None:
    """Run the command line; the `dangan` entry point."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app()


if __name__ == "__main__":
    main()
