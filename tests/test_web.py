"""The web page in real headless Chromium (Debian's ``chromium``, driven by Playwright).

One browser and one server (uvicorn on a free port, the real pipeline) for the whole module.
Skipped where /usr/bin/chromium is missing, unless NEWSEVENTS_REQUIRE_BROWSER=1 (CI sets it): the
``browser`` fixture is in conftest.py.
Every page must also run without a console error: a Content-Security-Policy violation is one.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
import urllib.request

import pytest
from factories import RUS, USA, report
from test_store import corpus

import newsevents
from newsevents import open_store
from newsevents.settings import Settings

pytestmark = pytest.mark.browser


PASTED = ("Russia accused Ukraine of shelling villages in the Donbas on Tuesday.\n\n"
          "The United States urged Russia to withdraw its troops from the border.")
HOSTILE = ("The United States urged Russia to withdraw its troops from the border. "
           "<script>window.__pwned = 1; alert(1)</script> <img src=x onerror=\"window.__pwned = 2; alert(2)\"> "
           "NATO rejected the demands.")


def dyad_history():
    """RUS-USA events over two weeks, both ways and in every quad class, for the timeline."""
    days = [("2022-01-03", USA, RUS, "urged", "0214", "REQUEST", 1, 3.4),
            ("2022-01-03", RUS, USA, "threatened", "138", "THREATEN", 3, -7.0),
            ("2022-01-05", USA, RUS, "sent aid to", "070", "AID", 2, 7.0),
            ("2022-01-10", RUS, USA, "accused", "112", "ACCUSE", 3, -2.0),
            ("2022-01-13", USA, RUS, "sanctioned", "163", "SANCTION", 4, -8.0),
            ("2022-01-14", USA, RUS, "briefed", "010", None, 0, 0.0)]
    return [report(f"{src[0]} {verb} {tgt[0]} over the troops at the border.", trigger=verb, source=src, target=tgt,
                   published=day, cameo=cameo, cameo_name=verb, plover=plover, quad=quad, goldstein=goldstein)
            for day, src, tgt, verb, cameo, plover, quad, goldstein in days]


# Markup in every field a page shows: each would set window.__pwned, open a dialog or load a frame
# if it became markup rather than text.
ATTACKS = {
    "source": '<script>window.__pwned = "source"; alert(1)</script>',
    "target": '<img src=x onerror="window.__pwned = \'target\'; alert(2)">',
    "quote": '<svg onload="window.__pwned = \'quote\'"><circle r=1></circle></svg>',
    "title": '<iframe src="javascript:parent.__pwned = \'title\'"></iframe>',
    "outlet": '<img src=x onerror="window.__pwned = \'outlet\'">',
    "cameo_name": '<b onmouseover="window.__pwned = \'cameo\'">Condemn</b>',
}


def hostile_report():
    """A stored article whose every shown field is markup (France and Germany, in Paris: no
    other test's filters or timeline see it)."""
    body = (f"France {ATTACKS['source']} condemned Germany {ATTACKS['target']} in Paris, saying "
            f"\"{ATTACKS['quote']}\" on Tuesday.")
    doc = report(body, trigger="condemned", source=(f"France {ATTACKS['source']}", "FRA", "FRA"),
                 target=(f"Germany {ATTACKS['target']}", "DEU", "DEU"), cameo="122", cameo_name=ATTACKS["cameo_name"],
                 plover="ACCUSE", quad=3, goldstein=-2.0, published="2022-03-01", outlet=ATTACKS["outlet"],
                 url="javascript:window.__pwned = 'url'", place_=("Paris", "FRA", 2988507), quote=ATTACKS["quote"])
    doc.article.title = ATTACKS["title"] + " France condemns Germany"
    return doc


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from newsevents.api import create_app

    path = tmp_path_factory.mktemp("web") / "store.duckdb"
    with open_store(path) as s:
        s.write(corpus() + dyad_history() + [hostile_report()])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(Settings(store_path=str(path)), pipeline=newsevents.get_pipeline())
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    p = context.new_page()
    p.problems = []
    p.dialogs = []
    p.on("console", lambda m: m.type == "error" and p.problems.append(m.text))
    p.on("pageerror", lambda e: p.problems.append(str(e)))
    p.on("dialog", lambda d: (p.dialogs.append(d.message), d.dismiss()))
    p.set_default_timeout(20_000)
    yield p
    problems = p.problems
    context.close()
    assert not problems, problems


def post(server: str, text: str, **params) -> dict:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    req = urllib.request.Request(f"{server}/api/extract?{query}", data=text.encode(), method="POST",
                                 headers={"Content-Type": "text/plain; charset=utf-8"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def test_a_pasted_article_is_highlighted_and_each_event_row_leads_to_its_sentence(page, server):
    page.goto(f"{server}/#/read")
    page.fill("#input-text", PASTED)
    page.get_by_role("button", name="Code it").click()
    rows = page.locator("#view-read .events-table tbody tr")
    rows.first.wait_for()
    assert rows.count() == 2
    triggers = "".join(page.locator("#view-read .article-body .m-trigger").all_inner_texts())
    assert triggers.startswith("accused") and "urged" in triggers
    actors = page.locator("#view-read .article-body .m-actor").all_inner_texts()
    assert {"Russia", "Ukraine", "United States"} <= set(actors)
    # the mouse: a row marks its sentence, trigger and actors
    rows.nth(1).click()
    selected = page.locator("#view-read .sentence.selected")
    assert selected.count() == 1 and selected.inner_text().startswith("The United States urged Russia")
    assert "".join(page.locator("#view-read .sel-trigger").all_inner_texts()).startswith("urged")
    assert "".join(page.locator("#view-read .sel-source").all_inner_texts()) == "The United States"
    assert "".join(page.locator("#view-read .sel-target").all_inner_texts()) == "Russia"
    assert "selected" in rows.nth(1).get_attribute("class")
    # the keyboard: move up a row and press Enter
    rows.nth(1).focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    assert selected.inner_text().startswith("Russia accused Ukraine")
    assert "".join(page.locator("#view-read .sel-trigger").all_inner_texts()) == "accused"


def test_article_text_runs_nothing(page, server):
    doc = post(server, HOSTILE, store="true")
    page.goto(f"{server}/#/article/{doc['article']['id']}")
    body = page.locator("#view-article .article-body")
    body.wait_for()
    page.locator("#view-article .events-table tbody tr").first.wait_for()
    # shown as the text it is ...
    assert "<script>window.__pwned = 1; alert(1)</script>" in body.inner_text()
    assert '<img src=x onerror="window.__pwned = 2; alert(2)">' in body.inner_text()
    # ... and nothing in it became markup or ran
    assert page.locator("#view-article .article-body script, #view-article .article-body img").count() == 0
    # the same text pasted into the page
    page.goto(f"{server}/#/read")
    page.fill("#input-text", HOSTILE)
    page.get_by_role("button", name="Code it").click()
    page.locator("#view-read .events-table tbody tr").first.wait_for()
    assert "<script>" in page.locator("#view-read .article-body").inner_text()
    page.wait_for_timeout(300)  # an onerror would fire once the (missing) image failed to load
    assert page.evaluate("() => [window.__pwned, document.querySelectorAll('main script, main img').length]") == [None, 0]
    assert page.dialogs == []


def test_the_canonical_article_shows_the_ultimatum_in_its_sentence(page, server, sample_text):
    doc = post(server, sample_text, store="true")
    page.goto(f"{server}/#/article/{doc['article']['id']}")
    rows = page.locator("#view-article .events-table tbody tr", has_text="USAGOV").filter(has_text="ultimatum")
    rows.first.click()
    selected = page.locator("#view-article .sentence.selected")
    assert selected.inner_text().startswith("Russia put forward a tough ultimatum to the USA and NATO")
    assert page.locator("#view-article .sel-trigger").inner_text() == "ultimatum"
    assert "".join(page.locator("#view-article .sel-target").all_inner_texts()) == "the USA"


def test_browse_filters_events_and_opens_the_reporting_sentence(page, server):
    page.goto(server)
    page.locator("#view-browse .browse-table").wait_for()  # a store with articles opens on Browse
    page.select_option("#browse-form select[name=kind]", "events")
    page.fill("#browse-form input[name=actor]", "NATO")
    page.fill("#browse-form input[name=place]", "Brussels")
    page.get_by_role("button", name="Search").click()
    page.wait_for_function("() => location.hash.includes('actor=NATO&place=Brussels')")
    page.wait_for_function("() => document.querySelectorAll('#view-browse .browse-table tbody tr').length === 1")
    assert page.locator("#browse-range").inner_text() == "1–1 of 1"
    page.locator("#view-browse .browse-table a").click()
    selected = page.locator("#view-article .sentence.selected")
    selected.wait_for()
    assert selected.inner_text() == "NATO rejected the demands of Russia in Brussels."
    assert page.locator("#view-article .events-table tr.selected").count() == 1


def test_the_dyad_timeline_draws_a_vega_lite_chart(page, server, tmp_path):
    page.goto(f"{server}/#/timeline?a=RUS&b=USA&by=day")
    page.wait_for_selector("#chart[data-state=ready]")
    with urllib.request.urlopen(f"{server}/api/stats?dyad=RUS-USA&undirected=true&by=day&per=none") as r:
        days = [d for d in json.loads(r.read())["items"] if d["period"]]
    events = sum(d["events"] for d in days)
    assert page.locator("#timeline-status").inner_text() == f"{events} events in {len(days)} days."
    # a rect per day and quad class with events, in that class's colour; a point per day on the line
    quads = ["neutral", "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"]
    fills = page.eval_on_selector_all("#chart svg .mark-rect.role-mark path", "els => els.map(e => e.getAttribute('fill'))")
    assert len(fills) == sum(1 for d in days for q in quads if d[q])
    assert set(fills) == {"#8d8d8d", "#7fbf7b", "#1b7837", "#f4a261", "#c0392b"}
    # the classes of one day stack: one event is one unit of height, and the rects of a day meet
    boxes = page.eval_on_selector_all("#chart svg .mark-rect.role-mark path", """els => els.map(e => {
        const b = e.getBBox(); return [Math.round(b.x), b.y, b.height]; })""")
    unit = min(h for _, _, h in boxes)
    per_day = {}
    for x, top, height in boxes:
        per_day.setdefault(x, []).append((top, height))
    assert sorted(round(sum(h for _, h in cells) / unit) for cells in per_day.values()) == sorted(
        d["events"] for d in days)
    for cells in per_day.values():
        cells.sort()
        assert all(abs(top + height - below) < 1 for (top, height), (below, _) in zip(cells, cells[1:]))
    assert page.locator("#chart svg .mark-symbol.role-mark path").count() == len(days)
    assert page.locator("#timeline-table tbody tr").count() == len(days)
    shot = tmp_path / "timeline.png"
    page.locator("#chart").screenshot(path=str(shot))
    print(f"timeline screenshot: {shot}")
    # the screenshot, decoded by the browser itself: the bars are there in their colours
    counts = page.evaluate("""async (src) => {
        const img = new Image(); img.src = src; await img.decode();
        const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
        const g = c.getContext('2d'); g.drawImage(img, 0, 0);
        const px = g.getImageData(0, 0, c.width, c.height).data;
        const colours = {green: [0x1b, 0x78, 0x37], orange: [0xf4, 0xa2, 0x61], red: [0xc0, 0x39, 0x2b]};
        const out = {blank: 0, total: px.length / 4};
        for (const k in colours) out[k] = 0;
        for (let i = 0; i < px.length; i += 4) {
            if (px[i] > 245 && px[i + 1] > 245 && px[i + 2] > 245) out.blank++;
            for (const [k, [r, g2, b]] of Object.entries(colours))
                if (Math.abs(px[i] - r) < 8 && Math.abs(px[i + 1] - g2) < 8 && Math.abs(px[i + 2] - b) < 8) out[k]++;
        }
        return out;
    }""", "data:image/png;base64," + base64.b64encode(shot.read_bytes()).decode())
    assert counts["green"] > 500 and counts["orange"] > 500 and counts["red"] > 500, counts
    assert counts["blank"] < counts["total"] * 0.97, counts


INERT = """() => ({
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    // markup the page makes never carries handlers in attributes (it uses addEventListener)
    handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on')))
                .map(e => e.outerHTML.slice(0, 80)),
    injected: [...document.querySelectorAll('main script, main img, main iframe, main object, main embed')]
                .map(e => e.outerHTML.slice(0, 80)),
    links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
             .filter(h => !/^(#|https?:|\\/)/.test(h)),
})"""


ARTICLE = "() => document.querySelector('#view-article .article-body') || document.querySelector('#article-status.error')"
BROWSE = ("() => document.querySelector('#view-browse .browse-table') || "
          "/match|available/.test(document.querySelector('#browse-status').textContent)")
TIMELINE = "() => ['ready', 'empty', 'error'].includes(document.querySelector('#chart').dataset.state)"
IMG = "%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D1%22%3E"


@pytest.mark.parametrize("view, ready, shown", [
    ("#/article/{id}", ARTICLE, ["source", "target", "quote", "title", "cameo_name"]),
    ("#/browse?kind=articles&actor=FRA", BROWSE, ["title", "outlet"]),
    ("#/browse?kind=events&actor=FRA", BROWSE, ["source", "target", "cameo_name"]),
    ("#/browse?kind=mentions&actor=FRA", BROWSE, ["source", "target"]),
    ("#/browse?kind=quotes&actor=FRA", BROWSE, ["source", "quote"]),
    ("#/timeline?a=FRA&b=DEU&by=day", TIMELINE, []),
    # markup in the address itself
    (f"#/article/{IMG}", ARTICLE, []),
    (f"#/browse?kind=events&actor={IMG}", BROWSE, []),
    (f"#/timeline?a={IMG}&b=USA", TIMELINE, []),
])
def test_article_text_is_inert_in_every_view(page, server, view, ready, shown):
    with urllib.request.urlopen(f"{server}/api/articles?actor=FRA&place=Paris") as r:
        article_id = json.loads(r.read())["items"][0]["article_id"]
    page.goto(f"{server}/{view.format(id=article_id)}")
    page.wait_for_function(ready)
    page.wait_for_timeout(300)  # an onerror fires once its (missing) image fails to load
    section = page.locator("main section:not([hidden])")
    text = section.inner_text()
    for field in shown:  # shown as the text it is
        assert ATTACKS[field][:40] in text, (field, text[:2000])
    # an onmouseover (or onfocus, onclick) set from the text would fire now
    page.evaluate("""() => document.querySelectorAll('main section:not([hidden]) *').forEach(e => {
        for (const kind of ['mouseover', 'focus']) e.dispatchEvent(new Event(kind, {bubbles: true})); })""")
    assert page.evaluate(INERT) == {"pwned": None, "handlers": [], "injected": [], "links": []}
    assert page.dialogs == []
    if view.startswith("#/article/%3C"):  # no such article: the browser logs the API's 404
        page.problems[:] = [p for p in page.problems if "404 (Not Found)" not in p]
