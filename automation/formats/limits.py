"""How much work a file may cost before it is refused: its size, what its zip inflates to, the compression
ratio (zip bombs) and how long LibreOffice may take.  Built by ``automation.config`` from ``[limits]``."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 25 * MIB
    max_uncompressed_bytes: int = 250 * MIB
    max_compression_ratio: float = 200.0
    conversion_timeout_s: float = 60.0
