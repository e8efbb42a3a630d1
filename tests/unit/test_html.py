"""The HTML report: parsed (structure, links, self-containment) and rendered in headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser

import pytest

from quotecheck.io.html import render_analyses, render_comparison
from quotecheck.models import Analysis, Finding

#: Findings here come from the tiny said/did model of tests/saydo_tiny.py, not the shipped one:
#: these tests are about what happens to findings, whatever model makes them.
pytestmark = pytest.mark.usefixtures("tiny_saydo_env")

PAIR = ("Acme Corp said it would close the Leeds plant in March.", "Acme Corp closed the Leeds plant in October.")


class Page(HTMLParser):
    """A flat record of a page: every element (tag, attrs, text inside), and the text of each div.text."""

    VOID = {"meta", "br", "img", "hr", "input", "link"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.stack: list[dict] = []
        self.texts: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "text": "", "classes": set((dict(attrs).get("class") or "").split())}
        self.elements.append(el)
        if tag not in self.VOID:
            if tag == "div" and "text" in el["classes"]:
                self.texts.append("")
            self.stack.append(el)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for el in self.stack:
            el["text"] += data
        if any(el["tag"] == "div" and "text" in el["classes"] for el in self.stack):
            self.texts[-1] += data

    def find(self, tag=None, cls=None):
        return [e for e in self.elements if (tag is None or e["tag"] == tag) and (cls is None or cls in e["classes"])]

    @property
    def ids(self) -> list[str]:
        return [e["attrs"]["id"] for e in self.elements if "id" in e["attrs"]]


@pytest.fixture
def seed_analysis(fake_checker, seed_text):
    return fake_checker.analyze(seed_text)


@pytest.fixture
def comparison(fake_checker):
    return fake_checker.compare(*PAIR)


def test_html_report_is_self_contained(seed_analysis, comparison):
    for html in (render_analyses([("seed", seed_analysis)]), render_comparison(comparison, ("a.txt", "b.txt"))):
        page = Page(html)
        assert html.startswith("<!DOCTYPE html>")
        assert not page.find("script") and not page.find("link") and not page.find("img") and not page.find("iframe")
        assert all(not e["attrs"].get("src") for e in page.elements)
        assert all(e["attrs"]["href"].startswith("#") for e in page.find("a") if "href" in e["attrs"])
        assert not re.search(r"url\(|@import|https?://(?!json-schema)", html)
        csp = [e for e in page.find("meta") if e["attrs"].get("http-equiv") == "Content-Security-Policy"]
        assert csp and "default-src 'none'" in csp[0]["attrs"]["content"]


def test_html_text_is_shown_whole(seed_analysis, comparison):
    assert Page(render_analyses([("seed", seed_analysis)])).texts == [seed_analysis.text]
    assert Page(render_comparison(comparison)).texts == [comparison.a.text, comparison.b.text]


def test_html_escapes_markup_in_the_text(fake_checker):
    text = "“<script>alert(1)</script> & more,” Ana Ruiz said. Acme & Co said it would close <b>it</b>."
    html = render_analyses([("x<y>", fake_checker.analyze(text))])
    page = Page(html)
    assert page.texts == [text] and not page.find("script") and not page.find("b")


def test_html_ids_are_unique_and_every_link_resolves(seed_analysis, comparison):
    for html in (render_analyses([("seed", seed_analysis), ("again", seed_analysis)]), render_comparison(comparison)):
        page = Page(html)
        assert len(page.ids) == len(set(page.ids))
        hrefs = [e["attrs"]["href"][1:] for e in page.find("a") if "href" in e["attrs"]]
        assert hrefs and set(hrefs) <= set(page.ids)


def test_html_highlights_quotes_speakers_intentions_and_actions(seed_analysis):
    page = Page(render_analyses([("seed", seed_analysis)]))
    highlighted = {cls: "".join(e["text"] for e in page.find("span", cls)) for cls in ("qc", "src", "int", "act")}
    for q in seed_analysis.quotes:
        assert f"d1-{q.id}" in page.ids
        assert all(c.text in highlighted["qc"] for c in q.content)
        if q.source is not None:
            assert q.source.text in highlighted["src"]
    for s in seed_analysis.statements:
        assert s.span.text in highlighted["int" if s.kind == "intention" else "act"]
    speakers = [e["text"] for e in page.find("td", "speaker")]
    assert speakers == [q.speaker_name or "?" for q in seed_analysis.quotes]


#: A kept plan and a late one, in the style of the tiny said/did model these tests run with
#: (tests/saydo_tiny.py): the report shows one consistent finding and one timing mismatch.
FINDINGS_TEXT = (
    "Acme said it would open the depot in May. Acme opened the depot in May. "
    "Brightwell said it would close the plant in March. Brightwell closed the plant in October."
)


def test_html_lists_findings_with_explanation_and_evidence_links(fake_checker):
    analysis = fake_checker.analyze(FINDINGS_TEXT)
    assert {f.verdict for f in analysis.findings} == {"consistent", "mismatch"}, analysis.findings
    page = Page(render_analyses([("acme", analysis)]))
    items = page.find("li", "finding")
    assert len(items) == len(analysis.findings)
    for item, finding in zip(items, analysis.findings):
        assert finding.explanation in item["text"] and finding.verdict in item["classes"]
    roles = [e["attrs"]["data-role"] for e in page.find("a", "evlink")]
    assert roles.count("intention") == roles.count("action") == len(analysis.findings)


def test_html_compare_shows_both_texts_side_by_side(comparison):
    page = Page(render_comparison(comparison, ("statement.txt", "report.txt")))
    pair = page.find("div", "pair")
    assert len(pair) == 1
    docs = page.find("section", "doc")
    assert [d["attrs"]["id"] for d in docs] == ["a", "b"]
    assert "Statement: statement.txt" in docs[0]["text"] and "Report: report.txt" in docs[1]["text"]
    links = {e["attrs"]["data-role"]: e["attrs"]["href"] for e in page.find("a", "evlink")}
    assert links["intention"].startswith("#a-") and links["action"].startswith("#b-")
    (finding,) = comparison.findings
    assert finding.type == "timing" and finding.explanation in page.find("li", "finding")[0]["text"]
    evidence = "".join(e["text"] for e in page.find("span", "ev"))
    assert "in March" in evidence and "in October" in evidence


# -- the findings summary the page opens with ----------------------------------------------------


def _finding(n: int, verdict: str, type_: str | None = None) -> Finding:
    return Finding(
        id=f"d1:f{n}", actor_name="Acme Corp", intention=f"d1:s{n}", action=f"d1:s{n + 10}", verdict=verdict,
        type=type_, score=0.5, similarity=0.5, explanation=f"finding number {n}",
    )


def _page_of(*findings: Finding) -> Page:
    return Page(render_analyses([("a.txt", Analysis(doc_id="d1", text=" ".join(PAIR), findings=findings))]))


def test_html_page_opens_with_a_findings_summary_linking_to_each_finding(seed_analysis):
    html = render_analyses([("seed", seed_analysis)])
    assert html.index('<nav class="overview">') < html.index('<section class="doc"')
    page = Page(html)
    rows = [e for e in page.elements if e["tag"] == "tr" and e["classes"] & {"mismatch", "consistent", "unverified"}]
    counted = {}
    for f in seed_analysis.findings:
        counted[(f.verdict, f.type)] = counted.get((f.verdict, f.type), 0) + 1
    assert len(rows) == len(counted)
    links = page.find("a", "findinglink")
    assert len(links) == len(seed_analysis.findings)
    for link in links:
        target = link["attrs"]["href"][1:]
        item = re.search(rf'<li class="finding [a-z]+" id="{re.escape(target)}">(.*?)</ul></li>', html)
        assert item, target  # each summary link lands on its finding ...
        evidence = re.findall(r'class="evlink" data-role="(\w+)" href="#([^"]+)"', item.group(1))
        assert {"intention", "action"} <= {role for role, _ in evidence}  # ... which links to its evidence
        assert {href for _, href in evidence} <= set(page.ids)


@pytest.mark.parametrize(
    "verdicts, summary",
    [
        ((("mismatch", "timing"),), "1 finding: 1 mismatch (1 timing)"),
        ((("mismatch", "timing"), ("mismatch", "target")), "2 findings: 2 mismatches (1 timing, 1 target)"),
        ((("consistent", None), ("consistent", None)), "2 findings: 2 consistent"),
        ((), "0 findings"),
    ],
)
def test_html_summary_counts_with_correct_plurals(verdicts, summary):
    page = _page_of(*(_finding(i, v, t) for i, (v, t) in enumerate(verdicts, 1)))
    header = page.find("header")[0]["text"]
    assert summary in header and "1 mismatches" not in header and "1 texts" not in header and "1 text" in header
    assert "1 quotes" not in page.find("section", "doc")[0]["text"]


def test_html_unverified_is_shown_and_never_counted_as_a_mismatch():
    page = _page_of(_finding(1, "unverified"), _finding(2, "mismatch", "quantity"))
    header = page.find("header")[0]["text"]
    assert "2 findings: 1 mismatch (1 quantity), 1 unverified" in header
    (row,) = [e for e in page.elements if e["tag"] == "tr" and "unverified" in e["classes"]]
    assert "UNVERIFIED" in row["text"] and row["text"].count("d1:f") == 1
    (mismatch_row,) = [e for e in page.elements if e["tag"] == "tr" and "mismatch" in e["classes"]]
    assert "d1:f1" not in mismatch_row["text"]
    (item,) = [e for e in page.find("li", "finding") if "unverified" in e["classes"]]
    assert "UNVERIFIED" in item["text"] and "MISMATCH" not in item["text"]
    assert "li.unverified .verdict" in render_analyses([("a", Analysis(doc_id="d1", text="x", findings=()))])


def test_html_summary_links_each_finding_to_its_own_document(seed_analysis):
    page = Page(render_analyses([("seed", seed_analysis), ("again", seed_analysis)]))
    targets = [e["attrs"]["href"] for e in page.find("a", "findinglink")]
    n = len(seed_analysis.findings)
    assert len(targets) == len(set(targets)) == 2 * n  # the same analysis twice: two sets of links
    assert sum(t.startswith("#d1-") for t in targets) == sum(t.startswith("#d2-") for t in targets) == n


def test_html_compare_summary_links_resolve(comparison):
    page = Page(render_comparison(comparison, ("plan.txt", "report.txt")))
    (link,) = page.find("a", "findinglink")
    assert link["attrs"]["href"][1:] in [e["attrs"]["id"] for e in page.find("li", "finding")]


# -- rendered in headless Chromium -------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1280,900",
]
MEASURE = """<script>
(function () {
  function box(el) { var r = el.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; }
  var q = document.querySelector('.seg.qc');
  var out = {
    docs: Array.prototype.map.call(document.querySelectorAll('section.doc'), box),
    findings: box(document.querySelector('section.findings')),
    items: Array.prototype.map.call(document.querySelectorAll('li.finding'), function (li) {
      return {box: box(li), text: li.innerText}; }),
    quoteBackground: q ? getComputedStyle(q).backgroundColor : null,
    bodyWidth: document.body.scrollWidth
  };
  var pre = document.createElement('pre'); pre.id = 'layout'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def chromium(tmp_path, args: list[str]) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (make test-deps installs it)")
def test_html_compare_renders_side_by_side_in_chromium(tmp_path, comparison):
    html = render_comparison(comparison, ("statement.txt", "report.txt"))
    report = tmp_path / "report.html"
    report.write_text(html, encoding="utf-8")
    shot = tmp_path / "report.png"
    out = chromium(tmp_path, [f"--screenshot={shot}", report.as_uri()])
    assert shot.exists(), out.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1280, 900) and len(png) > 10_000

    # the same page with a script that measures the layout (the report itself has none, and its
    # policy would block one, so the measured copy drops the policy)
    probe = tmp_path / "probe.html"
    probe.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html).replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    out = chromium(tmp_path, ["--dump-dom", "--virtual-time-budget=2000", probe.as_uri()])
    found = re.search(r'<pre id="layout">(.*?)</pre>', out.stdout, re.S)
    assert found, out.stderr[-2000:]
    layout = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    left, right = layout["docs"]
    assert left["w"] > 300 and right["w"] > 300 and abs(left["y"] - right["y"]) < 1
    assert left["x"] + left["w"] <= right["x"]  # side by side, not overlapping
    assert layout["findings"]["y"] >= max(left["y"] + left["h"], right["y"] + right["h"])  # findings below both
    (item,) = layout["items"]
    assert item["box"]["h"] > 0 and "MISMATCH (timing)" in item["text"]
    assert layout["quoteBackground"] not in (None, "rgba(0, 0, 0, 0)")
    assert layout["bodyWidth"] <= 1280  # nothing overflows sideways


def test_html_finding_names_the_holder_of_a_quoted_pledge_and_cuts_no_word():
    from tests.viewdata import pledge_document, quoted_pledge

    acme = pledge_document()
    page = Page(render_analyses([("library", quoted_pledge()), ("acme", acme)]))
    actors = [e["text"] for e in page.find("span", "actor")]
    assert actors == ["Mayor Ana Ruiz", "Acme Corp"]
    wholes = [s.span.text for s in acme.statements]
    (explanation,) = [e["text"] for e in page.find("p", "explanation") if "Acme" in e["text"]]
    fragments = re.findall(r"“([^“”]*)…”", explanation)
    assert fragments  # the judge's explanation shortened a span ...
    for fragment in fragments:  # ... and the page shows it cut after a whole word
        whole = next(w for w in wholes if w.startswith(fragment))
        assert not re.match(r"\w", whole[len(fragment)])
    content = [e["text"] for e in page.find("td", "content")]
    assert all("…" not in c for c in content)  # the quote table shows each content whole
