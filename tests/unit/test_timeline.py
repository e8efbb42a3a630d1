"""The promise tracker's HTML timeline: self-contained, one lane per actor, dated marks linking to
evidence; rendered in headless Chromium with no request leaving the page (issue 18, part 4)."""

from __future__ import annotations

import json
import re
import struct

import pytest

from quotecheck.io.timeline import render_timeline
from quotecheck.tracker import promises
from tests.unit.test_html import CHROMIUM, Page, chromium
from tests.viewdata import dated_corpus


@pytest.fixture
def corpus():
    analyses, cross = dated_corpus()
    return analyses, promises(analyses, findings=cross)


@pytest.fixture
def html(corpus):
    analyses, report = corpus
    return render_timeline(report, texts={a.doc_id: a.text for a in analyses})


def test_timeline_is_self_contained(html):
    page = Page(html)
    assert html.startswith("<!DOCTYPE html>")
    assert not page.find("script") and not page.find("link") and not page.find("img") and not page.find("iframe")
    assert all(not e["attrs"].get("src") for e in page.elements)
    assert not re.search(r"url\(|@import|https?://", html)
    csp = [e for e in page.find("meta") if e["attrs"].get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]["attrs"]["content"]


def test_timeline_ids_are_unique_and_every_link_resolves(html):
    page = Page(html)
    assert len(page.ids) == len(set(page.ids))
    hrefs = [e["attrs"]["href"] for e in page.find("a") if "href" in e["attrs"]]
    assert hrefs and all(h.startswith("#") for h in hrefs) and {h[1:] for h in hrefs} <= set(page.ids)


def test_timeline_one_lane_per_actor_one_row_per_promise(corpus, html):
    _, report = corpus
    page = Page(html)
    lanes = page.find("section", "lane")
    assert [lane["attrs"]["data-actor"] for lane in lanes] == [a.actor for a in report.actors]
    rows = [e["attrs"]["data-promise"] for e in page.find("div", "row")]
    assert rows == [p.id for p in report.all()]


def _left(element) -> float:
    return float(re.search(r"left:([\d.]+)%", element["attrs"]["style"]).group(1))


def test_timeline_marks_are_placed_by_date(corpus, html):
    _, report = corpus
    page = Page(html)
    stated = {e["attrs"]["href"]: _left(e) for e in page.find("a", "stated")}
    by_date = sorted(report.all(), key=lambda p: p.stated.date)
    lefts = [stated["#p-" + re.sub(r"[^A-Za-z0-9_-]", "-", p.id)] for p in by_date]
    assert lefts == sorted(lefts) and lefts[0] == 0.0
    reports = page.find("a", "report")
    assert set().union(*(e["classes"] for e in reports)) - {"mark", "report"} == {"changed", "kept", "broken"}
    assert all(_left(e) <= 100 for e in reports)


def test_timeline_overdue_promise_shows_the_late_stretch(corpus, html):
    _, report = corpus
    rows = dict(re.findall(r'<div class="row" data-promise="([^"]+)">(.*?)</div>', html))
    late = [pid for pid, row in rows.items() if "bar late" in row]
    assert late == [p.id for p in report.all() if p.status == "overdue"]
    (row,) = [rows[pid] for pid in late]
    due = float(re.search(r'class="mark due" style="left:([\d.]+)%', row).group(1))
    assert float(re.search(r'class="bar late" style="left:([\d.]+)%', row).group(1)) == due  # from the due date on


def test_timeline_evidence_quotes_each_span_in_its_article(corpus, html):
    analyses, report = corpus
    page = Page(html)
    marked = [e["text"] for e in page.find("mark")]
    for p in report.all():
        assert p.stated.span.text in marked
        for r in p.reports:
            assert r.where.span.text in marked
    where = " ".join(e["text"] for e in page.find("span", "where"))
    for p in report.all():
        assert f"{p.stated.source}" in where and f"[{p.stated.span.start}, {p.stated.span.end})" in where


def test_timeline_escapes_markup(corpus):
    analyses, _ = corpus
    evil = analyses[4].model_copy(update={"statements": (analyses[4].statements[0].model_copy(update={"actor_name": "<script>x</script>"}),)})
    html = render_timeline(promises([evil]))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_timeline_undated_promises_have_no_mark():
    analyses, cross = dated_corpus(dated=False)
    page = Page(render_timeline(promises(analyses, findings=cross)))
    assert len(page.find("div", "undated")) == 5 and not page.find("a", "stated")


MEASURE = """<script>
(function () {
  function box(el) { var r = el.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; }
  var out = {
    lanes: document.querySelectorAll('section.lane').length,
    rows: Array.prototype.map.call(document.querySelectorAll('div.row'), function (r) {
      return {row: box(r), marks: Array.prototype.map.call(r.querySelectorAll('.mark'), box)}; }),
    bodyWidth: document.body.scrollWidth
  };
  var pre = document.createElement('pre'); pre.id = 'layout'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def _page_requests(tmp_path, url: str) -> list[str]:
    """URLs the page itself asked for while Chromium loaded it (the browser's own requests left out)."""
    log = tmp_path / "net.json"
    chromium(tmp_path, [f"--log-net-log={log}", "--virtual-time-budget=2000", "--dump-dom", url])
    data = json.loads(log.read_text(encoding="utf-8"))
    start = data["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        e["params"].get("url", "") for e in data["events"]
        if e["type"] == start and e.get("params", {}).get("initiator") not in (None, "not an origin")
    ]


@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (make test-deps installs it)")
def test_timeline_renders_in_chromium_with_no_request(tmp_path, html):
    page = tmp_path / "promises.html"
    page.write_text(html, encoding="utf-8")
    shot = tmp_path / "promises.png"
    out = chromium(tmp_path, [f"--screenshot={shot}", page.as_uri()])
    assert shot.exists(), out.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1280, 900) and len(png) > 10_000

    leak = tmp_path / "leak.html"  # the probe itself is tested: a page that loads an image is caught
    leak.write_text('<html><body><img src="http://127.0.0.1:9/x.png"></body></html>', encoding="utf-8")
    assert any("127.0.0.1:9" in u for u in _page_requests(tmp_path, leak.as_uri()))
    assert _page_requests(tmp_path, page.as_uri()) == []

    # the same page with a script that measures the layout (the page has none, and its policy
    # would block one, so the measured copy drops the policy)
    probe = tmp_path / "probe.html"
    probe.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html).replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    out = chromium(tmp_path, ["--dump-dom", "--virtual-time-budget=2000", probe.as_uri()])
    found = re.search(r'<pre id="layout">(.*?)</pre>', out.stdout, re.S)
    assert found, out.stderr[-2000:]
    layout = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    assert layout["lanes"] == 4 and layout["bodyWidth"] <= 1280
    for row in layout["rows"]:
        assert row["row"]["h"] > 0 and row["marks"]
        for mark in row["marks"]:  # every mark sits on its own row, inside it
            assert row["row"]["x"] - 10 <= mark["x"] and mark["x"] + mark["w"] <= row["row"]["x"] + row["row"]["w"] + 10
            assert row["row"]["y"] <= mark["y"] + mark["h"] / 2 <= row["row"]["y"] + row["row"]["h"]
