"""Rendering Word templates with docxtpl, safely: escaped values, loud errors, atomic files.

Pitfalls handled (tech notes §2): docxtpl's default ``autoescape=False`` silently loses ``&`` and ``<`` and
can corrupt the document, so every render uses ``autoescape=True``; an undefined variable renders as
nothing by default, so :class:`jinja2.StrictUndefined` makes it an error.  Every template error becomes a
:class:`CchcError` ``template.error`` naming the template, the tag or variable, the part of the document
and the paragraph where it sits, never a traceback.

A workspace's ``templates/<name>`` overrides the shipped ``<repo>/templates/<name>``, so an office can
edit its own copy of a template without touching the program.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from automation.documents.compiled import compiled
from automation.formats.docx_write import xml_chars
from automation.problems import CchcError
from automation.files import atomic_save
from automation.resources import shipped_templates

if TYPE_CHECKING:
    from automation.config import Settings

SHIPPED_TEMPLATES = shipped_templates()
_MAX_SNIPPET = 160
_LISTING_CHARS = re.compile("[\t\a\n\f]")

# characters XML 1.0 forbids (a vertical tab pasted from Word, a stray NUL, a lone surrogate…): a value holding
# one would make docxtpl's recovering parser drop text silently, so docx_write.xml_chars removes them from every
# value rendered (and nothing else: no normalisation of the value)
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_PART_LABELS = (("/word/document", "thân văn bản"), ("/word/header", "đầu trang"), ("/word/footer", "chân trang"),
                ("/word/footnotes", "chú thích"))


# --- finding templates ---------------------------------------------------------------------------

def template_path(settings: Settings, name: str) -> Path:
    """The template ``name``: the workspace's ``templates/<name>`` if there is one, else the shipped one."""
    if not name or Path(name).name != name:
        raise CchcError("template.missing", template=name, paths="(tên mẫu không hợp lệ)")
    candidates = []
    if settings.workspace is not None:
        candidates.append(settings.workspace / "templates" / name)
    candidates.append(SHIPPED_TEMPLATES / name)
    for path in candidates:
        if path.is_file():
            return path
    raise CchcError("template.missing", template=name, paths=", ".join(str(p.parent) for p in candidates))


# --- the Jinja environment -------------------------------------------------------------------------

def _finalize(value):
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return xml_chars(value)
    return value


_CACHE_SIZE = 64
_ENV = None


def jinja_env():
    """The shared environment: values escaped for XML, undefined variables are errors.  Templates compiled
    from a source string are kept (a template's XML is the same for each of its renders: 150 notices
    compile it once)."""
    global _ENV  # noqa: PLW0603
    if _ENV is None:
        import jinja2  # noqa: PLC0415

        class _Env(jinja2.Environment):
            def __init__(self, **kw):
                super().__init__(**kw)
                self._compiled: dict[str, jinja2.Template] = {}

            def from_string(self, source, globals=None, template_class=None):  # noqa: A002
                if globals is not None or template_class is not None or not isinstance(source, str):
                    return super().from_string(source, globals, template_class)
                compiled = self._compiled.get(source)
                if compiled is None:
                    compiled = super().from_string(source)
                    if len(self._compiled) >= _CACHE_SIZE:
                        self._compiled.pop(next(iter(self._compiled)))
                    self._compiled[source] = compiled
                return compiled

        _ENV = _Env(undefined=jinja2.StrictUndefined, autoescape=True, finalize=_finalize)
    return _ENV


_TEMPLATE_CLASS = None


def _template_class():
    global _TEMPLATE_CLASS  # noqa: PLW0603
    if _TEMPLATE_CLASS is not None:
        return _TEMPLATE_CLASS
    from docxtpl import DocxTemplate  # noqa: PLC0415
    from jinja2 import TemplateError  # noqa: PLC0415

    patched: dict[str, str] = {}

    class _Template(DocxTemplate):
        """Remembers which part and which XML failed, to locate the error for staff; patches each distinct
        XML once (``patch_xml`` is a pure function of it)."""

        def patch_xml(self, src_xml):
            out = patched.get(src_xml)
            if out is None:
                out = super().patch_xml(src_xml)
                if len(patched) >= _CACHE_SIZE:
                    patched.pop(next(iter(patched)))
                patched[src_xml] = out
            return out

        def resolve_listing(self, xml):
            # docxtpl's regular expressions only turn tabs, \a, newlines and form feeds inside w:t into XML:
            # without any of them they give the XML back unchanged (after 60 000 substitutions for a notice)
            return super().resolve_listing(xml) if _LISTING_CHARS.search(xml) else xml

        def render_xml_part(self, src_xml, part, context, jinja_env=None):
            try:
                return super().render_xml_part(src_xml, part, context, jinja_env)
            except TemplateError as exc:
                exc.cchc_source = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
                exc.cchc_part = getattr(part, "partname", None)
                raise

    _TEMPLATE_CLASS = _Template
    return _Template


# --- describing errors -------------------------------------------------------------------------------

def _part_label(partname) -> str:
    name = str(partname or "")
    for prefix, label in _PART_LABELS:
        if name.startswith(prefix):
            return label
    return name.lstrip("/") or "văn bản"


def _template_line(exc: BaseException) -> int | None:
    """The template line of an error: ``lineno`` for syntax errors, the ``<template>`` frame at run time."""
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return lineno
    for frame, line in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == "<template>":
            lineno = line
    return lineno


def _text_of(xml_line: str) -> str:
    text = re.sub(r"<[^>]+>", "", xml_line)
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(a, b)
    return " ".join(text.split())


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_SNIPPET else text[: _MAX_SNIPPET - 1] + "…"


def _what(exc: BaseException) -> tuple[str, str | None]:
    """A Vietnamese description of the error and the name it is about (to find its tag)."""
    import jinja2  # noqa: PLC0415

    msg = str(exc)
    if isinstance(exc, jinja2.UndefinedError):
        m = re.search(r"'([^']+)' is undefined", msg)
        if m:
            return f"biến “{m.group(1)}” chưa có dữ liệu (không được cung cấp)", m.group(1)
        m = re.search(r"has no attribute '([^']+)'", msg)
        if m:
            return f"không có thuộc tính “{m.group(1)}” ({msg})", m.group(1)
        m = re.search(r"has no element (.+)$", msg)
        if m:
            return f"không có phần tử {m.group(1)} ({msg})", None
        return f"giá trị chưa có dữ liệu ({msg})", None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"sai cú pháp thẻ ({msg})", None
    return f"{type(exc).__name__}: {msg}", None


def _bad_alone(tag: str) -> bool:
    """Whether ``tag`` is wrong in itself (not merely waiting for its ``{% end… %}``)."""
    import jinja2  # noqa: PLC0415

    try:
        jinja_env().parse(tag)
    except jinja2.TemplateSyntaxError as exc:
        msg = str(exc)
        return not (msg.startswith("Unexpected end of template") or msg.startswith("Encountered unknown tag 'e"))
    return False


def describe_error(exc: BaseException, source: str | None = None, part: str | None = None) -> str:
    """“biến “x” chưa có dữ liệu …; thẻ “{{ x }}”; thân văn bản, đoạn thứ 3: “Kính gửi: {{ x }}”"""
    what, name = _what(exc)
    source = source if source is not None else getattr(exc, "cchc_source", None)
    part = part if part is not None else getattr(exc, "cchc_part", None)
    lineno = _template_line(exc)
    text = None
    if source is not None and lineno:
        lines = source.splitlines()
        if 1 <= lineno <= len(lines):
            text = _text_of(lines[lineno - 1])
    bits = [what]
    if text:
        tags = _TAG.findall(text)
        named = [t for t in tags if name and re.search(rf"(?<!\w){re.escape(name)}\b", t)]
        if not name and len(tags) > 1:
            named = [t for t in tags if _bad_alone(t)]
        if named or len(tags) == 1:
            bits.append(f"thẻ “{_clip((named or tags)[0])}”")
    where = [_part_label(part)] if part else []
    if text is not None and lineno > 1 and str(part or "/").startswith("/"):
        where.append(f"đoạn thứ {lineno - 1}")
    loc = ", ".join(where)
    if text:
        loc = f"{loc}: “{_clip(text)}”" if loc else f"“{_clip(text)}”"
    if loc:
        bits.append(loc)
    return "; ".join(bits)


# --- rendering -------------------------------------------------------------------------------------------

def render_docx(template: Path, context: dict, target: Path) -> Path:
    """Render ``template`` with ``context`` into ``target`` (written atomically: temp file + ``os.replace``).

    The template is parsed once and kept while the file is unchanged (:mod:`automation.documents.compiled`)."""
    import jinja2  # noqa: PLC0415

    template, target = Path(template), Path(target)
    if not template.is_file():
        raise CchcError("template.missing", template=template.name, paths=str(template.parent))
    try:
        tpl = compiled(template, _template_class())
        parts = tpl.render(context, jinja_env())
    except jinja2.TemplateError as exc:
        raise CchcError("template.error", template=template.name, detail=describe_error(exc)) from None
    except CchcError:
        raise
    except Exception as exc:  # docxtpl/python-docx: not a Word file, broken XML, a bad filter argument…
        raise CchcError("template.error", template=template.name, detail=_other(exc)) from None
    return atomic_save(target, lambda tmp: tpl.package.write(tmp, parts), durable=True)


def _other(exc: BaseException) -> str:
    import zipfile  # noqa: PLC0415

    from docx.opc.exceptions import PackageNotFoundError  # noqa: PLC0415

    if isinstance(exc, (zipfile.BadZipFile, PackageNotFoundError)):
        return f"tệp mẫu không phải văn bản Word .docx hợp lệ ({type(exc).__name__}: {exc})"
    return f"{type(exc).__name__}: {exc}"


# --- checking templates ------------------------------------------------------------------------------------

@dataclass
class TemplateReport:
    name: str
    missing: set[str] = field(default_factory=set)  # used by the template, not supplied
    unused: set[str] = field(default_factory=set)  # supplied, never used
    error: str | None = None
    path: Path | None = None  # the file checked (the workspace's copy or the shipped one)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.missing


def _parts(tpl) -> list[tuple[str, str]]:
    """(part name, patched XML with one paragraph a line) for each part docxtpl renders."""
    from docx.oxml import parse_xml  # noqa: PLC0415

    doc = tpl.get_docx()
    out = [("/word/document.xml", tpl.xml_to_string(doc._element.body))]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for rel in doc.part.rels.values():
            if rel.reltype == uri and not rel.is_external and rel.target_part.blob:
                out.append((str(rel.target_part.partname), tpl.xml_to_string(parse_xml(rel.target_part.blob))))
    for part in doc.part.package.parts:
        if part.content_type.endswith("wordprocessingml.footnotes+xml"):
            blob = part.blob
            out.append((str(part.partname), blob.decode("utf-8") if isinstance(blob, bytes) else blob))
    props = doc.core_properties
    for prop in ("author", "comments", "identifier", "language", "subject", "title"):
        value = getattr(props, prop) or ""
        if "{" in value:
            out.append((f"thuộc tính {prop}", value))
    return [(name, re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml) if name.startswith("/") else xml))
            for name, xml in out]


def template_variables(template: Path) -> set[str]:
    """Every top-level variable ``template`` uses; raises ``template.error`` naming the tag on a syntax error."""
    import jinja2  # noqa: PLC0415
    from jinja2 import meta  # noqa: PLC0415

    template = Path(template)
    env = jinja_env()
    try:
        parts = _parts(compiled(template, _template_class()).tpl)
    except Exception as exc:
        raise CchcError("template.error", template=template.name, detail=_other(exc)) from None
    used: set[str] = set()
    for partname, xml in parts:
        try:
            used |= meta.find_undeclared_variables(env.parse(xml))
        except jinja2.TemplateSyntaxError as exc:
            raise CchcError("template.error", template=template.name,
                            detail=describe_error(exc, xml, partname)) from None
    return used - set(env.globals)


def check_templates(settings: Settings, supplied: dict[str, set[str]] | None = None) -> list[TemplateReport]:
    """For each template name: the variables it uses that are not supplied, those supplied but unused, or
    the error that stops it parsing.  ``supplied`` maps a template file name to the variables the tool
    provides for it; by default those of :mod:`automation.documents.context`."""
    if supplied is None:
        from automation.documents import context  # noqa: PLC0415

        supplied = {name: set(context.supplied_variables(kind)) for kind, name in context.TEMPLATES.items()}
    reports = []
    for name, have in supplied.items():
        report = TemplateReport(name)
        try:
            report.path = template_path(settings, name)
            used = template_variables(report.path)
        except CchcError as exc:
            report.error = exc.problem.message
        else:
            report.missing = used - set(have)
            report.unused = set(have) - used
        reports.append(report)
    return reports
