"""Benchmark of the watched inbox (issue: the watched inbox).

    .venv/bin/python bench/bench_inbox.py [--files 200]

Figures printed:
- 200 files dropped at once: all archived, checked and acknowledged (feedback letters) by one
  `cchc process`; files per second;
- latency from a file becoming stable (dropped complete + the stability window) to its ledger entry,
  with native events (target: at most 2 s) and with polling (target: polling interval + 2 s).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from automation.config import init_workspace, load_settings  # noqa: E402
from automation.demo.samples import make_sample_lists  # noqa: E402
from automation.ledger.db import LEDGER_NAME, Ledger  # noqa: E402
from automation.app import process_inbox as process_once, watch  # noqa: E402
from bench.bench_check import machine  # noqa: E402


def workspace(root: Path, **inbox) -> Path:
    ws = init_workspace(root)
    toml = ws / "cchc.toml"
    text = toml.read_text(encoding="utf-8")
    for key, value in inbox.items():
        text = "\n".join(f"{key} = {value}" if line.startswith(f"{key} =") else line for line in text.splitlines())
    toml.write_text(text + "\n", encoding="utf-8")
    return ws


def bulk(tmp: Path, n: int) -> None:
    settings0 = load_settings(workspace(tmp / "gen-ws"))
    samples = [f.path for f in make_sample_lists(tmp / "gen", settings0, doc_files=False)]
    ws = workspace(tmp / "bulk", stable_window_s=0.5)
    for i in range(n):  # distinct bytes per file: a copy of a sample with a private trailing zip comment
        src = samples[i % len(samples)]
        dst = ws / "inbox" / f"{i:03d}-{src.name}"
        shutil.copyfile(src, dst)
        with dst.open("r+b") as fh:  # change the zip comment: new bytes, same document
            data = fh.read()
            fh.seek(len(data) - 2)
            tag = f"#{i:05d}".encode()
            fh.write(len(tag).to_bytes(2, "little") + tag)
    t0 = time.perf_counter()
    result = process_once(load_settings(ws))
    elapsed = time.perf_counter() - t0
    with Ledger(ws / LEDGER_NAME) as ledger:
        subs = ledger.submissions.all()
    letters = sum(1 for s in subs if s.feedback_path)
    print(f"{n} files dropped at once: {len(subs)} in the ledger ({result.statuses}), {letters} feedback letters, "
          f"{elapsed:.1f} s including the {0.5:.1f} s stability window: {len(subs) / elapsed:.1f} files/s")


def latency(tmp: Path, polling: bool, interval: float, rounds: int = 5) -> list[float]:
    window = 0.5
    ws = workspace(tmp / f"lat-{polling}", stable_window_s=window, polling=str(polling).lower(),
                   polling_interval_s=interval)
    sample = make_sample_lists(tmp / f"lat-src-{polling}", load_settings(ws), doc_files=False)[0].path
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(load_settings(ws), stop), daemon=True)
    thread.start()
    time.sleep(2)
    out = []
    for i in range(rounds):
        name = f"lat-{i}.docx"
        part = ws / "inbox" / (name + ".part")
        part.write_bytes(sample.read_bytes() + bytes([i]))
        os.replace(part, ws / "inbox" / name)
        stable_at = time.perf_counter() + window
        while True:
            with Ledger(ws / LEDGER_NAME) as ledger:
                if any(s.original_name == name and s.status != "processing" for s in ledger.submissions.all()):
                    break
            time.sleep(0.02)
        out.append(time.perf_counter() - stable_at)
        time.sleep(0.5)
    stop.set()
    thread.join(10)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--polling-interval", type=float, default=5.0)
    args = ap.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        bulk(tmp, args.files)
        native = latency(tmp, False, args.polling_interval)
        print(f"stable -> ledger, native events: median {statistics.median(native):.2f} s, max {max(native):.2f} s "
              f"(target <= 2 s: {'OK' if max(native) <= 2 else 'MISSED'})")
        polled = latency(tmp, True, args.polling_interval)
        limit = args.polling_interval + 2
        print(f"stable -> ledger, polling every {args.polling_interval:.0f} s: median {statistics.median(polled):.2f} s, "
              f"max {max(polled):.2f} s (target <= {limit:.0f} s: {'OK' if max(polled) <= limit else 'MISSED'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
