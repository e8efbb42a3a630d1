"""PolNeAR evaluation: the matching rules, on small invented gold/prediction pairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotecheck.errors import InputError
from quotecheck.eval import content_type, evaluate_polnear
from quotecheck.models import Quote, Span

TEXT = (
    "“The levee will hold,” said Mayor Ilsa Brant.\n"
    "Engineers warned that the river could rise by two metres.\n"
    "“It is fine,” Brant said. “Really fine.”\n"
)


def _off(part: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _ann(attrs: list[dict[str, list[tuple[int, int]]]], text: str = TEXT) -> str:
    lines, t = [], 0
    for n, attr in enumerate(attrs, start=1):
        ids = {}
        for role in ("source", "cue", "content"):
            if attr.get(role):
                t += 1
                pieces = attr[role]
                offsets = ";".join(f"{s} {e}" for s, e in pieces)
                shown = " ".join(text[s:e] for s, e in pieces).replace("\n", " ")
                lines.append(f"T{t}\t{role.capitalize()} {offsets}\t{shown}")
                ids[role] = f"T{t}"
        if "content" in ids:
            args = " ".join(f"{r.capitalize()}:{tid}" for r, tid in ids.items())
            lines.append(f"E{n}\tAttribution:{ids.get('cue', ids['content'])} {args}")
    return "\n".join(lines) + "\n"


GOLD = [
    {"source": [_off("Mayor Ilsa Brant")], "cue": [_off("said")], "content": [_off("The levee will hold")]},
    {"source": [_off("Engineers")], "cue": [_off("warned")], "content": [_off("that the river could rise by two metres")]},
    {"source": [_off("Brant")], "cue": [_off("said. “Really")[:1] + (_off("said. “Really")[0] + 4,)],
     "content": [_off("It is fine"), _off("Really fine")]},
]


def _score(tmp_path: Path, gold, pred, **kw):
    gold_dir, pred_dir = _corpus(tmp_path, gold, pred, **kw)
    return evaluate_polnear(gold_dir, pred_dir=pred_dir)


def _corpus(tmp_path: Path, gold, pred, *, text: str = TEXT, name: str = "a") -> tuple[Path, Path]:
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    (gold_dir / "text").mkdir(parents=True)
    (gold_dir / "attributions").mkdir()
    pred_dir.mkdir()
    (gold_dir / "text" / f"{name}.txt").write_bytes(text.encode())
    (gold_dir / "attributions" / f"{name}.ann").write_bytes(_ann(gold, text).encode())
    if pred is not None:
        (pred_dir / f"{name}.ann").write_bytes(_ann(pred, text).encode())
    return gold_dir, pred_dir


def test_eval_gold_against_itself_scores_one(tmp_path):
    gold_dir, pred_dir = _corpus(tmp_path, GOLD, GOLD)
    report = evaluate_polnear(gold_dir, pred_dir=pred_dir)
    assert report.attribution.content_source_cue.f1 == 1.0
    assert all(v == 1.0 for k, v in report.figures().items() if k.endswith("f1"))


def test_eval_exact_match_ignores_edge_punctuation_and_quote_marks(tmp_path):
    s, e = _off("“The levee will hold,”")
    pred = [{"source": [_off("Mayor Ilsa Brant.")], "cue": [_off("said")], "content": [(s, e)]}]
    report = _score(tmp_path, GOLD, pred)
    assert report.roles.content.exact.tp == 1 and report.roles.source.exact.tp == 1
    assert report.roles.content.exact.precision == 1.0
    assert report.roles.content.exact.recall == pytest.approx(1 / 3)


def test_eval_contiguous_prediction_equals_gold_split_into_pieces(tmp_path):
    pred = [{"content": [(_off("It is fine")[0], _off("Really fine")[1])]}]
    report = _score(tmp_path, GOLD, pred)
    assert report.roles.content.exact.tp == 0  # 'Brant said' lies between the gold pieces
    text = "“It is fine.\n“Really fine.”\n"
    gold = [{"content": [_off("It is fine", text), _off("Really fine", text)]}]
    pred = [{"content": [(_off("It is fine", text)[0], _off("Really fine", text)[1])]}]
    report = _score(tmp_path / "b", gold, pred, text=text)
    assert report.roles.content.exact.tp == 1


@pytest.mark.parametrize(
    "part, matched",
    [
        ("the river could rise", True),  # 17 of 32 significant characters: at least half of gold
        ("the river", False),  # under half of the gold span
        ("Engineers warned that the river could rise by two metres", True),  # 32 of 47: half of pred
        ("Engineers warned that the river could rise by two metres.\n“It is fine,” Brant said. “Really", False),
    ],
)
def test_eval_overlap_needs_half_of_both_spans(tmp_path, part, matched):
    pred = [{"content": [_off(part)]}]
    report = _score(tmp_path, GOLD, pred)
    assert report.roles.content.overlap.tp == int(matched)
    assert report.roles.content.exact.tp == 0


def test_eval_overlap_matching_is_one_to_one_best_first(tmp_path):
    pred = [{"content": [_off("the river could rise")]}, {"content": [_off("that the river could rise by two metres")]}]
    report = _score(tmp_path, GOLD, pred)
    assert report.roles.content.overlap.tp == 1 and report.roles.content.overlap.precision == 0.5
    assert report.roles.content.exact.tp == 1 and report.attribution.content.tp == 1


def test_eval_wrong_source_counts_against_source_accuracy_only(tmp_path):
    pred = [{"source": [_off("Engineers")], "cue": [_off("said")], "content": [_off("The levee will hold")]}]
    report = _score(tmp_path, GOLD, pred)
    assert report.attribution.content.tp == 1
    assert report.attribution.source_accuracy == 0.0 and report.attribution.cue_accuracy == 1.0
    assert report.attribution.content_source.tp == 0


def test_eval_missing_source_on_both_sides_is_correct(tmp_path):
    gold = [{"content": [_off("The levee will hold")]}]
    report = _score(tmp_path, gold, gold)
    assert report.attribution.content_source_cue.f1 == 1.0


def test_eval_missing_prediction_file_gives_zero_recall(tmp_path):
    report = _score(tmp_path, GOLD, None)
    assert report.pred_files_missing == 1 and report.attribution.content.recall == 0.0


def test_eval_malformed_prediction_lines_are_counted_not_fatal(tmp_path):
    gold_dir, pred_dir = _corpus(tmp_path, GOLD, None)
    (pred_dir / "a.ann").write_text("T1\tContent 5 99999\tx\nT2\tCue 0 5\twrong\n", encoding="utf-8")
    report = evaluate_polnear(gold_dir, pred_dir=pred_dir)
    assert report.pred_issues == 2


def test_eval_first_annotation_file_by_name_is_gold(tmp_path):
    gold_dir, pred_dir = _corpus(tmp_path, GOLD, GOLD, name="art")
    (gold_dir / "attributions" / "art.ann").rename(gold_dir / "attributions" / "art_b.ann")
    (gold_dir / "attributions" / "art_a.ann").write_text(_ann(GOLD[:1]), encoding="utf-8")
    report = evaluate_polnear(gold_dir, pred_dir=pred_dir)
    assert report.attribution.gold == 1


def test_eval_recall_split_by_content_type(tmp_path):
    pred = [GOLD[1]]
    report = _score(tmp_path, GOLD, pred)
    assert report.recall_by_type.indirect.attribution_recall == 1.0
    assert report.recall_by_type.direct.gold_attributions == 2 and report.recall_by_type.direct.attribution_recall == 0.0


@pytest.mark.parametrize(
    "text, part, kind",
    [
        ("He said “we won.”", "we won", "direct"),
        ("He said that “we won” the vote.", "that “we won” the vote", "mixed"),
        ("He said that we won.", "that we won", "indirect"),
        ("It's 'fine', he said.", "It's 'fine'", "indirect"),
    ],
)
def test_eval_content_type(text, part, kind):
    assert content_type((_off(part, text),), text) == kind


def test_eval_predict_function_scores_like_prediction_files(tmp_path):
    gold_dir, pred_dir = _corpus(tmp_path, GOLD, GOLD[:2])

    def predict(text: str) -> tuple[Quote, ...]:
        out = []
        for n, attr in enumerate(GOLD[:2], start=1):
            out.append(Quote(id=f"q{n}", kind="direct", content=tuple(Span.of(text, *p) for p in attr["content"]),
                             cue=Span.of(text, *attr["cue"][0]), source=Span.of(text, *attr["source"][0])))
        return tuple(out)

    assert evaluate_polnear(gold_dir, predict=predict) == evaluate_polnear(gold_dir, pred_dir=pred_dir)


@pytest.mark.parametrize("layout", ["missing", "no_text"])
def test_eval_bad_gold_folder_raises_e050(tmp_path, layout):
    if layout == "no_text":
        (tmp_path / "attributions").mkdir()
    with pytest.raises(InputError, match=r"\[E050\]"):
        evaluate_polnear(tmp_path if layout == "no_text" else tmp_path / "nope", pred_dir=tmp_path)


def test_eval_missing_prediction_folder_raises_e052(tmp_path):
    gold_dir, _ = _corpus(tmp_path, GOLD, None)
    with pytest.raises(InputError, match=r"\[E052\]"):
        evaluate_polnear(gold_dir, pred_dir=tmp_path / "nope")
