"""A docxtpl template parsed once and rendered many times (150 notices from one ``thong-bao.docx``).

``DocxTemplate.render`` opens the template package again for every document (python-docx parses every part)
and ``save`` serialises and compresses every part again.  A :class:`Compiled` does docxtpl's work on the
parts it changes and nothing else:

* once per template file (cached by path, ``st_mtime_ns`` and size, so an edited template is read again):
  the package as python-docx saves it (:class:`~automation.formats.docx_package.Package`), the patched XML
  of the body, of each header and footer and of the footnotes (docxtpl's ``patch_xml``);
* per document, as ``DocxTemplate.render`` does it: each of those rendered by Jinja (compiled once,
  :func:`automation.documents.render.jinja_env`) and post-processed by docxtpl's own ``render_xml_part``
  (line breaks, tabs, paragraph breaks of the values), the body through ``fix_tables`` and ``fix_docpr_ids``
  and put in place of the document's body, each header and footer re-parsed as python-docx loads a part,
  the core properties rendered; then the package written with those parts replaced.

The footnotes are rendered once (docxtpl renders them once per section, which only differs when a value
itself holds a Jinja tag).  Contexts hold plain values and :class:`docxtpl.RichText`; pictures and sub-documents (which need the
template's python-docx document at render time) are not supported, as the tool's contexts never use them.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from automation.formats.docx_package import Package, cached, file_key

# the string properties docxtpl renders (DocxTemplate.render_properties)
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


class _Part:
    """What docxtpl's error handling and ``render_xml_part`` need of a part: its name."""

    def __init__(self, partname: str):
        self.partname = partname


class Compiled:
    """One template file, parsed; :meth:`render` gives the parts of one document."""

    def __init__(self, path: Path, template_class):
        from docx.oxml.parser import parse_xml  # noqa: PLC0415

        tpl = template_class(str(path))
        doc = tpl.get_docx()
        doc.core_properties  # noqa: B018 - docxtpl's render adds the core properties part when missing
        self._core = str(doc.part.package._core_properties_part.partname).lstrip("/")
        self.tpl = tpl
        self.package = Package.from_document(doc)
        self._frame = _body_frame(parse_xml(self.package.raw["word/document.xml"]))
        self._body = tpl.patch_xml(tpl.get_xml())
        self._headers = []  # (zip name, part, patched XML, encoding)
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for _, part in tpl.get_headers_footers(uri):
                xml = tpl.get_part_xml(part)
                self._headers.append((str(part.partname).lstrip("/"), _Part(str(part.partname)),
                                      tpl.patch_xml(xml), tpl.get_headers_footers_encoding(xml)))
        self._footnotes = [(str(p.partname).lstrip("/"), _Part(str(p.partname)),
                            tpl.patch_xml(p.blob.decode("utf-8") if isinstance(p.blob, bytes) else p.blob))
                           for p in doc.part.package.parts if p.content_type == _FOOTNOTES]
        self._lock = threading.Lock()

    def render(self, context: dict, env) -> dict[str, bytes]:
        """The parts of the document rendered with ``context`` in ``env`` (zip name -> bytes); raises what
        Jinja and docxtpl raise."""
        from docx.opc.coreprops import CoreProperties  # noqa: PLC0415
        from docx.opc.oxml import serialize_part_xml  # noqa: PLC0415
        from docx.oxml.parser import parse_xml  # noqa: PLC0415
        from lxml import etree  # noqa: PLC0415

        tpl, out = self.tpl, {}
        with self._lock:
            tpl.docx_ids_index = 1000
            tree = tpl.fix_tables(tpl.render_xml_part(self._body, _Part("/word/document.xml"), context, env))
            tpl.fix_docpr_ids(tree)
            head, declared, tail = self._frame
            body = etree.tostring(tree, encoding="unicode")
            start = body.index(">")
            out["word/document.xml"] = head + (_strip_declared(body[:start], declared) + body[start:]).encode() + tail
            for name, part, xml, encoding in self._headers:
                rendered = tpl.render_xml_part(xml, part, context, env).encode(encoding)
                out[name] = serialize_part_xml(parse_xml(rendered))
            core = parse_xml(self.package.raw[self._core])
            props = CoreProperties(core)
            for prop in PROPERTIES:
                setattr(props, prop, env.from_string(getattr(props, prop)).render(context))
            out[self._core] = serialize_part_xml(core)
            for name, part, xml in self._footnotes:
                out[name] = tpl.render_xml_part(xml, part, context, env).encode("utf-8")
        return out


_DECLARATION = re.compile(r'\s+xmlns(?::([\w.-]+))?="([^"]*)"')


def _body_frame(root) -> tuple[bytes, dict, bytes]:
    """``word/document.xml`` around its body, as python-docx serialises it (``serialize_part_xml``), and
    the namespaces the document element declares (prefix -> URI)."""
    from docx.opc.oxml import serialize_part_xml  # noqa: PLC0415
    from lxml import etree  # noqa: PLC0415

    mark = etree.ProcessingInstruction("cchc-body", "here")
    root.replace(root.body, mark)
    head, tail = serialize_part_xml(root).split(b"<?cchc-body here?>")
    return head, {k or "": v for k, v in root.nsmap.items()}, tail


def _strip_declared(start_tag: str, declared: dict) -> str:
    """The body's start tag without the namespace declarations the document element already makes: what
    lxml leaves of them when the rendered body replaces the template's (``DocxTemplate.map_tree``)."""
    return _DECLARATION.sub(lambda m: "" if declared.get(m.group(1) or "") == m.group(2) else m.group(0),
                            start_tag)


def compiled(path: Path, template_class) -> Compiled:
    """The :class:`Compiled` of the template file at ``path``, parsed on first use and kept while the file's
    modification time and size stay the same."""
    return cached(("docxtpl", template_class, *file_key(path)), lambda: Compiled(Path(path), template_class))
