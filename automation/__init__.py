"""cchc: the PAR-index (Chỉ số CCHC) appraisal desk.

Layers: ``automation.formats`` knows bytes, zips, XML and OLE and nothing of communes;
the domain packages (``lists``, ...) give those files their meaning.
"""

__version__ = "0.1.0"
