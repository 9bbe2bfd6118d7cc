"""Accuracy of places.vibes.classify_vibe over the labelled set.

Run from the repo root:  .venv/bin/python bench/vibe_accuracy.py

Prints overall accuracy, per-vibe recall and precision, the misclassified
cases with their scores, and the mean time per call.

The labelled set (tests/places/vibe_cases.py) ends with held-out batches that
were each scored once before the lexicon was changed again. Those first-look
numbers are a fairer estimate of accuracy on unseen phrasing than the overall
figure, which includes sentences the lexicon was built against:

    batch 2 (after the first lexicon draft)        38/53  71.7%
    batch 3 (after broadening synonyms)            36/46  78.3%
    batch 4 (after stemming and minimum score)     29/36  80.6%
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

from places.vibes import VIBES, classify_vibe, classify_vibe_scores  # noqa: E402
from tests.places.vibe_cases import CASES  # noqa: E402


def main() -> int:
    predictions = [(text, expected, classify_vibe(text)) for text, expected in CASES]
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
        scores = {v: round(s, 2) for v, s in classify_vibe_scores(text).items() if s}
        print(f"  expected {expected:<12} got {got:<12} {text!r}  {scores}")

    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        for text, _expected in CASES:
            classify_vibe(text)
    per_call_us = (time.perf_counter() - start) / (rounds * total) * 1e6
    print(f"\nmean time per classify_vibe call: {per_call_us:.1f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
