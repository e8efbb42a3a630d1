"""Fuzz the model-free stages: exceptions, slow inputs and span violations (issue 12).

Usage: ``.venv/bin/python bench/bench_fuzz.py [--inputs 100000] [--structure 2000] [--seed 12]
[--out bench/fuzz.json] [--no-write]`` (quick run: ``--inputs 2000 --structure 50 --no-write``).

**Inputs** (seeded, so a run is repeatable and a failure can be replayed from its number):

- *generated*: news fragments (names, titles, cue verbs and nouns, content words, dates), quote
  marks of every kind (curly, straight, doubled ``''`` and ``````, guillemets, dashes), and odd
  characters (NBSP, tabs, CR LF, combining accents, zero-width and line separators, NUL, lone
  surrogates, emoji), joined with or without spaces;
- *mutated*: the sentences of our own fixture cases (``fixtures/**/*.qc.yaml``, never texts
  from ``../shared/data``) with the transformations quotecheck itself performs or meets —
  straight/curly marks swapped, doubled apostrophes, NBSP, CR LF, tabs, combining characters —
  plus deleted, duplicated and shuffled pieces;
- *hostile*: one fragment repeated into a long unpunctuated sentence ("said " × 4,000 was
  quadratic), up to 60 kB, one in every 200 inputs.

**Checks** per input, through ``Checker.extract_quotes`` (all inputs) and ``Checker.structure``
(the first ``--structure``): an exception of any kind; a *slow* input, over 1 s per 10 kB
(inputs under 10 kB count as 10 kB); a *span violation*: a span outside the text, whose text is
not its slice, sentences out of order or overlapping, quote contents out of order or
overlapping, or repeated ids. Figures go to ``bench/fuzz.json`` (section ``"fuzz"``); the lead
merges them into the README table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "fuzz.json"
#: Seconds per 10 kB above which an input counts as slow (issue 12's bound).
SLOW_SECONDS_PER_10KB = 1.0

NAMES = [
    "Ash Carter", "Carter", "President Obama", "Obama", "Sen. Ada Fenwick", "Fenwick", "the president", "the senator", "the company",
    "Acme Corp", "ACME", "Institute for the Study of War", "ISW", "the institute", "the paper", "The Washington Post", "the daily",
    "he", "she", "they", "it", "officials", "Russia", "the Kremlin", "Russian jets", "Defense Secretary Ash Carter", "the secretary",
    "Jane Doe, an economist at Acme,", "Trump", "Clinton", "the firm", "Mr. Trump", "a spokesman", "the White House",
    "Kall -- co-editor of a book --", "Sen. X (R-Ga.)", "which he", "what the senators", "His", "Trump’s", "analysts", "PENCE:",
]
CUES = [
    "said", "says", "told reporters", "according to", "saying", "claimed", "warned", "is expected to", "said in a statement",
    "called for", "to accuse", "claim that", "promised", "added", "noted", "said on Tuesday that", "told The Post", "wrote",
    "continued", "reads", "pointed out", "spoke of", "argued", "was endorsed by", "fears that", "Says", "Warned", "has also said",
    "vowed to", "pledged", "would", "will", "closed", "opened", "cancelled", "did not",
]
WORDS = [
    "the plan", "close", "the plant", "in March", "42", "percent", "that", "and", "but", "we will win", "it was", "not", "a", "deal",
    "tax", "voters", "in an interview", "on Tuesday", "last week", "because", "while", "who", "the", "of", "$5 million", "2024",
    "March 14, 2024", "next year", "the bridge", "reopen", "in May", "strike", "Syria", "no", "never", "more than 30",
]
MARKS = ['"', "“", "”", "‘", "’", "''", "``", "«", "»", "„", "'", "―", "—", "–", "--", "-"]
PUNCT = [",", ".", ";", ":", "(", ")", "?", "!", "...", "\n", "\n\n", " \n ", "\t", "\r\n", "\u00a0"]
ODD = ["\u0301", "\u200b", "\ufeff", "é", "ß", "İ", "ſ", "K", "\x00", "\ud800", "\udfff", "😀", "\u2028", "\x0b", "\x1c", "x" * 60, "\u202e"]


def _fragment(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.22:
        return rng.choice(NAMES)
    if r < 0.40:
        return rng.choice(CUES)
    if r < 0.62:
        return rng.choice(WORDS)
    if r < 0.80:
        return rng.choice(MARKS)
    if r < 0.96:
        return rng.choice(PUNCT)
    return rng.choice(ODD)


def generated(rng: random.Random) -> str:
    parts = rng.choice((8, 40, 200, 600))
    out = []
    for _ in range(rng.randint(0, parts)):
        out.append(_fragment(rng))
        if rng.random() < 0.8:
            out.append(" ")
    return "".join(out)


_SWAPS = [('"', "“"), ("“", '"'), ("”", '"'), ('"', "''"), ("'", "’"), ("’", "'"), (" ", "\u00a0"), ("\n", "\r\n"), (" ", "\t"), ("e", "e\u0301")]


def mutated(rng: random.Random, sentences: list[str]) -> str:
    text = " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 12)))
    if rng.random() < 0.5:
        text = "\n".join(text.split(". ")) if rng.random() < 0.5 else text
    for _ in range(rng.randint(0, 6)):
        op = rng.random()
        if op < 0.5:
            a, b = rng.choice(_SWAPS)
            text = text.replace(a, b) if rng.random() < 0.5 else text.replace(a, b, 1)
        elif op < 0.7 and text:
            i = rng.randrange(len(text))
            text = text[:i] + text[i + rng.randint(1, 8) :]
        elif op < 0.85 and text:
            i, j = sorted(rng.randrange(len(text) + 1) for _ in range(2))
            text = text[:j] + text[i:j] + text[j:]
        else:
            i = rng.randrange(len(text) + 1)
            text = text[:i] + rng.choice(MARKS + PUNCT + ODD) + text[i:]
    return text


def hostile(rng: random.Random) -> str:
    unit = rng.choice(["said ", "x said y. ", "Said ", "he said, ", '"a b," he said. ', "according to ", "to accuse ", "“", '"', "A: b\n",
                       "the president said ", "saying ", "( said ", "Aa said Aa ", "-- said -- ", "It said it ", "he said: "])
    return unit * (rng.randint(1000, 60_000) // len(unit))


def make_input(k: int, seed: int, sentences: list[str]) -> str:
    rng = random.Random(f"{seed}:{k}")
    if k % 200 == 199:
        return hostile(rng)
    return mutated(rng, sentences) if k % 3 == 2 else generated(rng)


def span_violations(analysis) -> list[str]:
    """What is wrong with the spans of ``analysis`` (empty when nothing is)."""
    text, problems = analysis.text, []

    def check(where: str, span) -> None:
        if span is None:
            return
        if not (0 <= span.start <= span.end <= len(text)) or text[span.start : span.end] != span.text:
            problems.append(f"{where} [{span.start}, {span.end}) is not a slice of the text")

    for i, s in enumerate(analysis.sentences):
        check(f"sentence {i}", s)
    for a, b in zip(analysis.sentences, analysis.sentences[1:]):
        if b.start < a.end:
            problems.append(f"sentences [{a.start}, {a.end}) and [{b.start}, {b.end}) overlap or are out of order")
    for q in analysis.quotes:
        for piece in q.content:
            check(f"{q.id} content", piece)
        for x, y in zip(q.content, q.content[1:]):
            if y.start < x.end:
                problems.append(f"{q.id} content pieces overlap or are out of order")
        check(f"{q.id} cue", q.cue)
        check(f"{q.id} source", q.source)
        if not q.content:
            problems.append(f"{q.id} has no content")
    starts = [q.content[0].start for q in analysis.quotes if q.content]
    if starts != sorted(starts):
        problems.append("quotes are not in text order")
    for e in analysis.entities:
        for m in e.mentions:
            check(f"{e.id} mention", m)
    for s in analysis.statements:
        for span in (s.span, s.target, s.stated_at, *s.quantities, *s.times):
            check(f"{s.id}", span)
    ids = [x.id for x in (*analysis.entities, *analysis.quotes, *analysis.statements)]
    if len(ids) != len(set(ids)):
        problems.append("repeated ids")
    return problems


def run(inputs: int, structure: int, seed: int) -> dict[str, object]:
    from quotecheck.checker import Checker
    from quotecheck.corpus.synth import fixture_sentences

    sentences = fixture_sentences(ROOT / "fixtures")
    checker = Checker()
    stats: dict[str, object] = {"exceptions": 0, "slow": 0, "span_violations": 0}
    examples: list[dict[str, object]] = []
    worst = 0.0
    longest = (0.0, "", 0)  # seconds, stage, characters of the slowest single input (issue 16: none over 5 s)
    total_chars = 0
    started = time.monotonic()

    def note(kind: str, k: int, text: str, detail: str) -> None:
        stats[kind] = int(stats[kind]) + 1  # type: ignore[arg-type]
        if len(examples) < 20:
            examples.append({"kind": kind, "input": k, "chars": len(text), "detail": detail[:300], "start": repr(text[:120])})

    for stage, count in (("extract_quotes", inputs), ("structure", structure)):
        run_stage = checker.extract_quotes if stage == "extract_quotes" else checker.structure
        run_stage("Acme said it would close the plant.")  # models load once, outside the timings
        for k in range(count):
            text = make_input(k, seed, sentences)
            total_chars += len(text)
            t0 = time.perf_counter()
            try:
                analysis = run_stage(text)
            except Exception as err:  # noqa: BLE001 - counting them is the point
                note("exceptions", k, text, f"{stage}: {type(err).__name__}: {err}")
                continue
            seconds = time.perf_counter() - t0
            per_10kb = seconds / max(1.0, len(text) / 10_000)
            worst = max(worst, per_10kb)
            longest = max(longest, (seconds, stage, len(text)))
            if per_10kb > SLOW_SECONDS_PER_10KB:
                note("slow", k, text, f"{stage}: {seconds:.2f} s for {len(text)} characters")
            bad = span_violations(analysis)
            if bad:
                note("span_violations", k, text, f"{stage}: " + "; ".join(bad[:3]))
            if k and k % 20_000 == 0:
                print(f"  {stage}: {k} inputs, {stats}", flush=True)
    return {
        **stats,
        "inputs_extract_quotes": inputs,
        "inputs_structure": structure,
        "characters": total_chars,
        "seconds": round(time.monotonic() - started, 1),
        "max_seconds_one_input": {"seconds": round(longest[0], 2), "stage": longest[1], "chars": longest[2]},
        "max_seconds_per_10kB": round(worst, 4),
        "seed": seed,
        "examples": examples,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="inputs through extract_quotes")
    parser.add_argument("--structure", type=int, default=2_000, help="of those, how many also go through the structure stage")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    section = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_average_at_start": round(os.getloadavg()[0], 2)},
        **run(args.inputs, args.structure, args.seed),
    }
    print(json.dumps({k: v for k, v in section.items() if k != "examples"}))
    if not args.no_write:
        results = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
        results["fuzz"] = section
        tmp = args.out.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(results, indent=2, ensure_ascii=True) + "\n", encoding="utf-8")
        os.replace(tmp, args.out)
    failures = int(section["exceptions"]) + int(section["slow"]) + int(section["span_violations"])  # type: ignore[arg-type]
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
