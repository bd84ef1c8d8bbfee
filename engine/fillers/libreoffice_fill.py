"""Fill .docx forms the way a person would, through LibreOffice's UNO API.

Run with Debian's /usr/bin/python3, the only Python that imports `uno`:

    /usr/bin/python3 libreoffice_fill.py PLAN.json

PLAN.json lists jobs: {"jobs": [{"source": IN.docx, "target": OUT.docx,
"values": {tag: value}}]}. A text control's value is a string, a checkbox's true or
false, a date control's "YYYY-MM-DD", a dropdown's display text. One soffice serves
every job; it listens on a named pipe (no TCP port) with a profile of its own.
Prints one JSON line per job: {"target": ..., "filled": n, "missing": [tags]}.

This file must not import the engine: it runs outside the project's virtualenv.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

STARTUP_SECONDS = 60


def _property(name, value):
    item = PropertyValue()
    item.Name = name
    item.Value = value
    return item


def _connect(pipe, process):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            return resolver.resolve(
                f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
            )
        except Exception as error:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "soffice did not start; is libreoffice-writer-nogui installed?"
                ) from error
            time.sleep(0.2)


def _set_text(control, value):
    control.setString(value)
    control.ShowingPlaceHolder = False


def _set_checkbox(control, checked):
    control.Checked = bool(checked)
    # The glyph is text inside the control; set it as Word and LibreOffice do.
    glyph = control.CheckedState if checked else control.UncheckedState
    control.setString(glyph)


def _set_date(control, value):
    day = datetime.date.fromisoformat(value)
    control.CurrentDate = f"{day.isoformat()}T00:00:00Z"
    control.setString(f"{day.year}年{day.month}月{day.day}日")
    control.ShowingPlaceHolder = False


def _set_dropdown(control, text):
    control.setString(text)
    control.ShowingPlaceHolder = False


def fill(desktop, job):
    url = uno.systemPathToFileUrl(os.path.abspath(job["source"]))
    document = desktop.loadComponentFromURL(
        url, "_blank", 0, (_property("Hidden", True),)
    )
    if document is None:
        raise RuntimeError(f"LibreOffice could not open {job['source']}")
    values = dict(job["values"])
    filled = 0
    try:
        controls = document.getContentControls()
        for index in range(controls.getCount()):
            control = controls.getByIndex(index)
            if control.Tag not in values:
                continue
            value = values.pop(control.Tag)
            if control.Checkbox:
                _set_checkbox(control, value)
            elif control.Date:
                _set_date(control, value)
            elif control.DropDown or control.ComboBox:
                _set_dropdown(control, value)
            else:
                _set_text(control, value)
            filled += 1
        target = uno.systemPathToFileUrl(os.path.abspath(job["target"]))
        document.storeToURL(target, (_property("FilterName", "MS Word 2007 XML"),))
    finally:
        document.close(True)
    return {"target": job["target"], "filled": filled, "missing": sorted(values)}


def main(plan_path):
    with open(plan_path, encoding="utf-8") as stream:
        plan = json.load(stream)
    profile = tempfile.mkdtemp(prefix="dangan-lo-")
    pipe = f"dangan{os.getpid()}"
    process = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        context = _connect(pipe, process)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        for job in plan["jobs"]:
            print(json.dumps(fill(desktop, job), ensure_ascii=False), flush=True)
        try:
            desktop.terminate()
        except Exception:
            pass  # soffice drops the connection while it exits
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1])
