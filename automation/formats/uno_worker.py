"""The resident converter's worker: drives one LibreOffice listener through Python-UNO, one JSON line per request.

Run as a script by a Python that has ``uno`` (Debian's ``/usr/bin/python3`` with ``python3-uno``, or LibreOffice's
own Python), never imported by the package: stdlib and ``uno`` only. It does not start LibreOffice (the package does,
tied to its own life; see :mod:`automation.formats.resident`). Requests on stdin, one reply line each on stdout:

* ``{"op": "connect", "url": ..., "timeout": s}``: connect (retrying while the listener starts);
* ``{"op": "ping"}``: one cheap call through UNO;
* ``{"op": "convert", "src": path, "dst": path, "filter": name}``: load hidden, read-only, silent, no macros, then
  ``storeToURL`` with that filter (``"pdf"``: the PDF export of the document's own kind), as ``--convert-to`` does.

Replies: ``{"ok": true}`` or ``{"ok": false, "error": text, "dead": bool}`` (``dead``: LibreOffice is gone).
End of input: exit.
"""

import json
import sys
import time

import uno  # noqa: F401  (sets up the UNO bridge for the imports below)
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.lang import DisposedException
from com.sun.star.uno import RuntimeException

_PDF = (("com.sun.star.text.WebDocument", "writer_web_pdf_Export"),
        ("com.sun.star.text.TextDocument", "writer_pdf_Export"),
        ("com.sun.star.sheet.SpreadsheetDocument", "calc_pdf_Export"),
        ("com.sun.star.presentation.PresentationDocument", "impress_pdf_Export"),
        ("com.sun.star.drawing.DrawingDocument", "draw_pdf_Export"))


def _props(**values):
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        out.append(prop)
    return tuple(out)


class Office:
    def __init__(self):
        self.desktop = None

    def connect(self, url, timeout):
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + timeout
        while True:
            try:
                ctx = resolver.resolve(url)
                break
            except NoConnectException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)

    def ping(self):
        self.desktop.getComponents().hasElements()

    def convert(self, src, dst, filter_name):
        doc = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, _props(
            Hidden=True, ReadOnly=True, Silent=True, MacroExecutionMode=0, UpdateDocMode=0))
        if doc is None:
            raise ValueError("LibreOffice could not load the file")
        try:
            if filter_name == "pdf":
                filter_name = next((f for service, f in _PDF if doc.supportsService(service)), "writer_pdf_Export")
            doc.storeToURL(uno.systemPathToFileUrl(dst), _props(FilterName=filter_name, Overwrite=True))
        finally:
            try:
                doc.close(True)
            except Exception:  # noqa: BLE001 - a document that will not close is disposed with its process
                try:
                    doc.dispose()
                except Exception:  # noqa: BLE001
                    pass


def _reply(**values):
    sys.stdout.write(json.dumps(values) + "\n")
    sys.stdout.flush()


def main():
    office = Office()
    for line in sys.stdin:
        try:
            req = json.loads(line)
            op = req["op"]
            if op == "connect":
                office.connect(req["url"], float(req.get("timeout", 30)))
            elif op == "ping":
                office.ping()
            elif op == "convert":
                office.convert(req["src"], req["dst"], req["filter"])
            else:
                raise ValueError("unknown op " + repr(op))
            _reply(ok=True)
        except (DisposedException, RuntimeException, NoConnectException) as exc:
            _reply(ok=False, dead=True, error=type(exc).__name__ + ": " + str(getattr(exc, "Message", exc)))
        except Exception as exc:  # noqa: BLE001 - reported to the package, which decides
            _reply(ok=False, dead=False, error=type(exc).__name__ + ": " + str(getattr(exc, "Message", exc)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
