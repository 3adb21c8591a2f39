"""The converter side of the warm LibreOffice (office.py): run by a Python that has LibreOffice's
UNO bridge (Debian's python3-uno lives in the system Python, which a venv does not see), connected
to one running soffice through its private pipe, converting on request.

Why a process of its own rather than `import uno` in the server: the venv's Python usually cannot
import uno, and a crash of the bridge must not take the editor with it.

Protocol, one JSON object a line: the owner writes {"src": path, "dst": path, "filter": name} on
stdin; this answers {"ok": true} or {"error": text, "lost": bool} on stdout ("lost": the connection
to soffice is gone, so the owner restarts both); {"quit": true} ends LibreOffice and this. The
first line written is {"ready": true} once connected. Standalone on purpose: it imports nothing
of the package (another interpreter runs it).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

CONNECT_SECONDS = 60.0


def main(pipe: str) -> int:
    out = sys.stdout
    sys.stdout = sys.stderr  # nothing but the protocol may reach the owner's pipe

    def say(obj: dict) -> None:
        out.write(json.dumps(obj) + "\n")
        out.flush()

    import uno  # type: ignore[import-not-found]
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
    from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

    def prop(name: str, value: object) -> PropertyValue:
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                say({"error": "LibreOffice did not answer", "lost": True})
                return 1
            time.sleep(0.05)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    say({"ready": True})
    for line in sys.stdin:
        try:
            job = json.loads(line)
        except ValueError:
            say({"error": "bad request", "lost": False})
            continue
        if job.get("quit"):
            break
        if job.get("ping"):
            # Is LibreOffice still there before a document is handed over? One cheap call.
            try:
                desktop.getFrames()
                say({"ok": True})
            except Exception as exc:  # noqa: BLE001 - any failure: the office is gone
                say({"error": f"{type(exc).__name__}"[:100], "lost": True})
                return 1
            continue
        doc = None
        try:
            doc = desktop.loadComponentFromURL(
                Path(job["src"]).resolve().as_uri(), "_blank", 0,
                (prop("Hidden", True), prop("ReadOnly", True), prop("UpdateDocMode", 0)))
            if doc is None:
                say({"error": "LibreOffice could not open the document", "lost": False})
                continue
            doc.storeToURL(Path(job["dst"]).resolve().as_uri(), (prop("FilterName", job["filter"]),))
            say({"ok": True})
        except Exception as exc:  # noqa: BLE001 - every failure is an answer; a lost bridge ends us
            lost = type(exc).__name__ in ("DisposedException", "RuntimeException") or "bridge" in str(exc).lower()
            say({"error": f"{type(exc).__name__}: {exc}"[:500], "lost": lost})
            if lost:
                return 1
        finally:
            if doc is not None:
                try:
                    doc.close(True)
                except Exception:  # noqa: BLE001 - already closed or the office is gone
                    pass
    # Asked to quit, or the owner is gone (its end of stdin closed, even when it was killed): end
    # LibreOffice too, so no office outlives its editor. It removes its pipes on the way out.
    try:
        desktop.terminate()
    except Exception:  # noqa: BLE001 - it is going away either way
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
