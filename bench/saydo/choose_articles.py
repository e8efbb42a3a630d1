"""Choose the articles of the said/did corpus, freeze its test split, and name the audit set.

Usage: ``python bench/saydo/choose_articles.py [--data ../shared/data] [--write]``

The rule (docs/annotation.md, annotations/saydo/README.md), applied once and committed as
``annotations/saydo/selection.json`` before anything was annotated or fitted:

* pools: every ``bbc-news`` and ``polnear-train`` article except the polnear-train articles that
  saydo-dev quotes (saydo-dev stays a test set), any article sharing an 8-word sequence with a
  saydo-dev excerpt, and near-duplicates: an article sharing half of its 8-word sequences (of the
  shorter of the two) with an article earlier by name is dropped (174 of bbc-news' 2,225), so no
  story sits on both sides of the test split;
* per pool, half the articles are a random sample (order of ``sha1("saydo-v1:" + name)``; for
  bbc-news an equal number from each of its five domains) and half are the articles richest in
  outcome words (``OUTCOME_WORDS`` matches per 1,000 words, ties by the same hash), drawn from the
  rest of the pool;
* test split: an article is in it when ``sha1("saydo-test:" + name)`` read as a number falls in
  the first 20% of its range — a property of the name alone, so it never depends on what was
  annotated or fitted;
* agreement sample: 64 articles (the first by ``sha1("saydo-agree:" + name)``, half from each
  pool) get a second, independent annotation pass;
* audit set: 40 bbc-news articles outside the selection (8 per domain, by ``sha1("saydo-audit:" +
  name)``), never annotated, read by hand when the whole-article figures are measured.

Supplement (``--supplement``, added after the first 620 were annotated and showed 0.20 links per
article — too few pairs to learn a linker and a judge from): 160 more articles (100 bbc-news, 60
polnear-train) from the rest of the pools (audit set excluded), ranked by how many of their
sentences name a plan (``PLAN_WORDS``) and how many report what became of one (``OUTCOME_WORDS``):
the score is the smaller of the two counts, ties by outcome rate and the hash. Same test rule.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "annotations" / "saydo" / "selection.json"

N_BBC = 340
N_POLNEAR = 280
N_AGREE = 64
N_AUDIT_PER_DOMAIN = 8
TEST_SHARE = 0.20
BATCH_BBC = 40
BATCH_POLNEAR = 28

#: Words that report what became of a plan: the "rich" half of the selection ranks by them.
OUTCOME_WORDS = re.compile(
    r"\b(cancel\w*|call(?:ed|s|ing)? off|postpon\w*|delay\w*|scrap\w*|abandon\w*|u-turn\w*|"
    r"back(?:ed|s|ing)? (?:out|down|away)|pull(?:ed|s|ing)? out|withdr[ae]w\w*|revers\w*|"
    r"fail(?:ed|s|ing)? to|never|went ahead|go(?:es|ing)? ahead|gone ahead|"
    r"kept (?:his|her|its|their|the) (?:promise|pledge|word)|broke(?:n)? (?:his|her|its|their|a|the) (?:promise|pledge)|"
    r"deliver\w*|fulfil\w*|honou?r\w* (?:the|its|his|her|their) (?:pledge|promise|commitment)|"
    r"missed (?:the|a|its) (?:deadline|target)|fell short|short of|on track|rescheduled|"
    r"shelved|dropped (?:plans|the plan|its plan)|reneged|went back on|made good on)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+")
#: Words that name a plan: the supplement ranks articles holding both these and outcome words.
PLAN_WORDS = re.compile(
    r"\b(plan(?:s|ned|ning)? to|planned|was due to|were due to|is due to|scheduled|had promised|promised to|"
    r"pledged?|vowed?|had agreed to|agreed to|was to have|were to have|deadline|target(?:ed)?|intend(?:s|ed)? to|"
    r"announced (?:plans|that it would)|threatened to|set to)\b",
    re.IGNORECASE,
)
_SENT = re.compile(r"(?<=[.!?])\s+")


def _h(salt: str, name: str) -> int:
    return int(hashlib.sha1(f"{salt}:{name}".encode()).hexdigest(), 16)


def in_test(name: str) -> bool:
    """The frozen test rule: the first 20% of the hash range of ``saydo-test:<name>``."""
    return _h("saydo-test", name) < int(TEST_SHARE * 2**160)


def _eight_grams(text: str) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + 8]) for i in range(len(words) - 7)}


def _saydo_dev(data: Path) -> tuple[set[str], set[tuple[str, ...]]]:
    names: set[str] = set()
    grams: set[tuple[str, ...]] = set()
    for f in ("cases.jsonl", "cases-b.jsonl"):
        for line in (data / "saydo-dev" / f).read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            for key in ("source", "source_a", "source_b"):
                src = case.get(key)
                if src and "PolNeAR" in src["repo"]:
                    names.add(Path(src["path"]).name)
            for key in ("text", "text_a", "text_b"):
                if case.get(key):
                    grams |= _eight_grams(case[key])
    return names, grams


def _near_duplicates(texts: dict[str, str]) -> set[str]:
    """Names whose 8-grams overlap an earlier name's by at least half of the shorter set."""
    grams = {n: _eight_grams(t) for n, t in texts.items()}
    seen: dict[tuple[str, ...], list[str]] = {}
    out: set[str] = set()
    for n in sorted(grams):
        counts: dict[str, int] = {}
        for g in grams[n]:
            for m in seen.get(g, ()):
                counts[m] = counts.get(m, 0) + 1
        if any(k >= 0.5 * max(1, min(len(grams[n]), len(grams[m]))) for m, k in counts.items()):
            out.add(n)
        for g in grams[n]:
            seen.setdefault(g, []).append(n)
    return out


def _rate(text: str) -> float:
    words = max(1, len(_WORD.findall(text)))
    return 1000.0 * len(OUTCOME_WORDS.findall(text)) / words


def _pick(names: list[str], texts: dict[str, str], n: int, strata: dict[str, str] | None) -> list[tuple[str, str]]:
    """Half random (stratified when ``strata``), half richest in outcome words among the rest."""
    order = sorted(names, key=lambda x: _h("saydo-v1", x))
    random_half: list[str] = []
    if strata:
        groups = sorted(set(strata.values()))
        per = (n // 2) // len(groups)
        for g in groups:
            random_half += [x for x in order if strata[x] == g][:per]
    else:
        random_half = order[: n // 2]
    chosen = set(random_half)
    rest = [x for x in order if x not in chosen]
    rich = sorted(rest, key=lambda x: (-_rate(texts[x]), _h("saydo-v1", x)))[: n - len(random_half)]
    return [(x, "random") for x in random_half] + [(x, "rich") for x in rich]


def build(data: Path) -> dict:
    excluded, grams = _saydo_dev(data)
    bbc_root = data / "bbc-news" / "text"
    pol_root = data / "polnear-train" / "text"
    bbc = {str(p.relative_to(bbc_root)): p.read_text(encoding="utf-8") for p in sorted(bbc_root.glob("*/*.txt"))}
    pol = {p.name: p.read_text(encoding="utf-8") for p in sorted(pol_root.glob("*.txt"))}
    overlapping = {n for n, t in pol.items() if _eight_grams(t) & grams} | excluded | _near_duplicates(pol)
    bbc_overlap = {n for n, t in bbc.items() if _eight_grams(t) & grams} | _near_duplicates(bbc)
    pol_pool = [n for n in pol if n not in overlapping]
    bbc_pool = [n for n in bbc if n not in bbc_overlap]
    picked = [("bbc-news", n, why) for n, why in _pick(bbc_pool, bbc, N_BBC, {n: n.split("/")[0] for n in bbc_pool})]
    picked += [("polnear-train", n, why) for n, why in _pick(pol_pool, pol, N_POLNEAR, None)]
    articles = []
    for corpus, name, why in picked:
        key = f"{corpus}/{name}"
        text = (bbc if corpus == "bbc-news" else pol)[name]
        articles.append({
            "corpus": corpus, "file": name, "why": why, "split": "test" if in_test(key) else "train",
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "outcome_rate": round(_rate(text), 2),
        })
    agree = []
    for corpus in ("bbc-news", "polnear-train"):
        pool = sorted((a for a in articles if a["corpus"] == corpus), key=lambda a: _h("saydo-agree", a["file"]))
        agree += [f"{corpus}/{a['file']}" for a in pool[: N_AGREE // 2]]
    chosen = {a["file"] for a in articles if a["corpus"] == "bbc-news"}
    audit = []
    for domain in sorted({n.split("/")[0] for n in bbc}):
        rest = sorted((n for n in bbc if n.startswith(domain + "/") and n not in chosen and n not in bbc_overlap),
                      key=lambda x: _h("saydo-audit", x))
        audit += [f"bbc-news/{n}" for n in rest[:N_AUDIT_PER_DOMAIN]]
    batches: list[list[str]] = []
    for corpus, size in (("bbc-news", BATCH_BBC), ("polnear-train", BATCH_POLNEAR)):
        names = [f"{corpus}/{a['file']}" for a in sorted(articles, key=lambda a: _h("saydo-batch", a["file"])) if a["corpus"] == corpus]
        batches += [names[i : i + size] for i in range(0, len(names), size)]
    return {
        "rule": "bench/saydo/choose_articles.py (module docstring)",
        "excluded_polnear": sorted(overlapping),
        "excluded_bbc": sorted(bbc_overlap),
        "articles": sorted(articles, key=lambda a: (a["corpus"], a["file"])),
        "agreement_sample": agree,
        "audit_bbc": audit,
        "batches": batches,
    }


def supplement(data: Path, sel: dict) -> list[dict]:
    """The link-rich supplement (module docstring), disjoint from the selection and the audit set."""
    taken = {(a["corpus"], a["file"]) for a in sel["articles"]}
    taken |= {tuple(x.split("/", 1)) for x in sel["audit_bbc"]}
    out = []
    for corpus, n, excluded in (("bbc-news", 100, set(sel["excluded_bbc"])), ("polnear-train", 60, set(sel["excluded_polnear"]))):
        root = data / corpus / "text"
        paths = sorted(root.glob("*/*.txt")) if corpus == "bbc-news" else sorted(root.glob("*.txt"))
        scored = []
        for p in paths:
            name = str(p.relative_to(root))
            if (corpus, name) in taken or name in excluded:
                continue
            text = p.read_text(encoding="utf-8")
            sents = _SENT.split(text)
            plans = sum(bool(PLAN_WORDS.search(x)) for x in sents)
            outs = sum(bool(OUTCOME_WORDS.search(x)) for x in sents)
            scored.append((-min(plans, outs), -_rate(text), _h("saydo-v1", name), name, text))
        for _, _, _, name, text in sorted(scored)[:n]:
            out.append({"corpus": corpus, "file": name, "why": "link-rich", "split": "test" if in_test(f"{corpus}/{name}") else "train",
                        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "outcome_rate": round(_rate(text), 2)})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)} (refuses to overwrite)")
    ap.add_argument("--supplement", action="store_true", help="add the link-rich supplement to the frozen selection (once)")
    args = ap.parse_args(argv)
    if args.supplement:
        sel = json.loads(OUT.read_text(encoding="utf-8"))
        if sel.get("supplement"):
            print("the supplement is already chosen", file=sys.stderr)
            return 2
        sup = supplement(args.data, sel)
        names = [f"{a['corpus']}/{a['file']}" for a in sup]
        sel["supplement"] = sup
        sel["articles"] = sorted(sel["articles"] + sup, key=lambda a: (a["corpus"], a["file"]))
        sel["batches"] += [names[0:34], names[34:67], names[67:100], names[100:120], names[120:140], names[140:160]]
        print(f"supplement: {len(sup)} articles, test {sum(a['split'] == 'test' for a in sup)}; batches {len(sel['batches'])}", file=sys.stderr)
        if args.write:
            OUT.write_text(json.dumps(sel, indent=1) + "\n", encoding="utf-8")
        return 0
    sel = build(args.data)
    arts = sel["articles"]
    for corpus in ("bbc-news", "polnear-train"):
        mine = [a for a in arts if a["corpus"] == corpus]
        print(f"{corpus}: {len(mine)} articles, test {sum(a['split'] == 'test' for a in mine)}, "
              f"rich {sum(a['why'] == 'rich' for a in mine)}", file=sys.stderr)
    print(f"excluded polnear {len(sel['excluded_polnear'])}, bbc {len(sel['excluded_bbc'])}; "
          f"batches {len(sel['batches'])}; agreement {len(sel['agreement_sample'])}; audit {len(sel['audit_bbc'])}", file=sys.stderr)
    if args.write:
        if OUT.exists():
            print(f"{OUT} exists: the selection is frozen", file=sys.stderr)
            return 2
        OUT.write_text(json.dumps(sel, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
