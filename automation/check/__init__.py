"""Checking the files communes send: the read-only stages identify -> convert -> read -> classify -> check.

:func:`check_paths` is the entry point (see :mod:`automation.check.pipeline`); :class:`FileReport` the result.
"""

from automation.check.fonts import decode_legacy, format_problems
from automation.check.pipeline import STAGES, check_paths
from automation.check.report import FileReport

__all__ = ["STAGES", "FileReport", "check_paths", "decode_legacy", "format_problems"]
