"""Accuracy of the vibe derived from a request (recommendations.request.understand(text).vibe,
"generic" when nothing was asked) over the labelled set tests/recommendations/vibe_cases.py.

Run from the repo root:  .venv/bin/python bench/vibe_accuracy.py

Prints overall accuracy, per-vibe recall and precision, the misclassified cases with what was
understood, and the mean time per call.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

# Runnable as a plain script: make the repo root importable.
REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from accounts.vibes import VIBES  # noqa: E402
from recommendations.request import understand  # noqa: E402
from tests.recommendations.vibe_cases import CASES  # noqa: E402


def derived_vibe(text: str) -> str:
    return understand(text).vibe or "generic"


def main() -> int:
    predictions = [(text, expected, derived_vibe(text)) for text, expected in CASES]
    total = len(predictions)
    correct = sum(1 for _, expected, got in predictions if expected == got)

    expected_counts = Counter(expected for _, expected, _ in predictions)
    predicted_counts = Counter(got for _, _, got in predictions)
    hits = Counter(expected for _, expected, got in predictions if expected == got)

    print(f"overall accuracy: {correct}/{total} = {correct / total:.1%}\n")
    print(f"{'vibe':<14}{'n':>5}{'recall':>10}{'precision':>11}")
    for vibe in VIBES:
        n = expected_counts[vibe]
        recall = hits[vibe] / n if n else 0.0
        predicted = predicted_counts[vibe]
        precision = hits[vibe] / predicted if predicted else 0.0
        print(f"{vibe:<14}{n:>5}{recall:>10.1%}{precision:>11.1%}")

    misses = [(t, e, g) for t, e, g in predictions if e != g]
    print(f"\nmisclassified ({len(misses)}):")
    for text, expected, got in misses:
        whats = [want.key for want in understand(text).whats]
        print(f"  expected {expected:<12} got {got:<12} {text!r}  {whats}")

    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        for text, _expected in CASES:
            understand(text)
    per_call_us = (time.perf_counter() - start) / (rounds * total) * 1e6
    print(f"\nmean time per understand call: {per_call_us:.1f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
