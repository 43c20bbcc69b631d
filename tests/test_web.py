"""The web page in real headless Chromium (Debian's ``chromium``, driven by Playwright).

One browser and one server (uvicorn on a free port, the real pipeline) for the whole module.
Skipped where /usr/bin/chromium is missing, unless NEWSEVENTS_REQUIRE_BROWSER=1 (CI sets it): the
``browser`` fixture is in conftest.py.
Every page must also run without a console error: a Content-Security-Policy violation is one.
"""

from __future__ import annotations

import base64
import json
import re
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


CHN, JPN = ("China", "CHN", "CHN"), ("Japan", "JPN", "JPN")
PLACES = [("Tokyo", "JPN", 1850147, "city", 35.69, 139.69), ("Beijing", "CHN", 1816670, "city", 39.91, 116.40),
          ("Osaka", "JPN", 1853909, "city", 34.69, 135.50)]


def placed_history():
    """60 China-Japan events in 2023, each placed (Tokyo, Beijing or Osaka): more than a page of
    Browse, markers for the map, an edge of the network."""
    out = []
    for i in range(60):
        name = PLACES[i % 3][0]
        src, tgt = (CHN, JPN) if i % 4 else (JPN, CHN)
        quad, plover, cameo, goldstein = [(1, "CONSULT", "040", 1.0), (3, "ACCUSE", "112", -2.0),
                                          (4, "ASSAULT", "190", -10.0)][i % 3]
        out.append(report(f"{src[0]} met {tgt[0]} in {name} for round {i} of the talks.", trigger="met", source=src,
                          target=tgt, published=f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}", cameo=cameo,
                          cameo_name=plover.title(), plover=plover, quad=quad, goldstein=goldstein,
                          outlet=["Kyodo", "Xinhua"][i % 2], place_=PLACES[i % 3]))
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from newsevents.api import create_app

    path = tmp_path_factory.mktemp("web") / "store.duckdb"
    with open_store(path) as s:
        s.write(corpus() + dyad_history() + [hostile_report()] + placed_history())
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
    # its places, one row per place, each flashing where the text names it
    page.get_by_role("tab", name=re.compile(r"^Places \(\d+\)$")).click()
    places = page.locator("#view-article .places-table tbody tr")
    names = places.locator("td:first-child").all_inner_texts()
    assert {"Geneva", "Brussels"} <= set(names) and len(names) == len(set(names))
    page.get_by_role("button", name="Geneva").click()
    assert set(page.locator("#view-article .article-body .m-place.flash").all_inner_texts()) == {"Geneva"}


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


# ------------------------------------------------------------------ the analyst's workflow


def get(server: str, path: str, **params) -> dict:
    from urllib.parse import urlencode

    with urllib.request.urlopen(f"{server}{path}?{urlencode(params, doseq=True)}", timeout=60) as r:
        return json.loads(r.read())


@pytest.fixture
def sized(browser, server):
    """A page of a given viewport width (1366: a laptop; 390: a phone), checked for console errors."""
    contexts = []

    def open_page(width: int, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        contexts.append(context)
        p = context.new_page()
        p.problems = []
        p.on("console", lambda m: m.type == "error" and p.problems.append(m.text))
        p.on("pageerror", lambda e: p.problems.append(str(e)))
        p.set_default_timeout(20_000)
        return p

    yield open_page
    problems = [x for c in contexts for p in c.pages for x in p.problems]
    for c in contexts:
        c.close()
    assert not problems, problems


def test_export_downloads_every_row_of_the_view_in_each_format(sized, server, tmp_path):
    import io

    import pandas as pd
    import pyarrow.parquet as pq

    from newsevents.store.export import GDELT_COLUMNS

    page = sized(1366)
    page.goto(f"{server}/#/browse?kind=events&actor=CHN")
    page.locator("#view-browse .browse-table").wait_for()
    total = get(server, "/api/events", actor="CHN", limit=1)["total"]
    assert total > 50  # more than the page shows
    readers = {
        "csv": lambda b: pd.read_csv(io.BytesIO(b)),
        "parquet": lambda b: pd.read_parquet(io.BytesIO(b)),
        "gdelt": lambda b: pd.read_csv(io.BytesIO(b), sep="\t", header=None, names=GDELT_COLUMNS),
        "plover": lambda b: pd.read_json(io.BytesIO(b), lines=True),
    }
    for fmt, read in readers.items():
        page.select_option("#export-format", fmt)
        with page.expect_download() as info:
            page.locator("#export-link").click()
        download = info.value
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        frame = read(path.read_bytes())
        assert len(frame) == total, fmt
        assert download.suggested_filename.startswith("newsevents-events-")
        if fmt == "parquet":  # the filter and the version travel inside the file
            meta = json.loads(pq.read_schema(path).metadata[b"newsevents"])
            assert meta["filters"] == {"actor": ["CHN"]} and meta["version"] == newsevents.__version__
    manifest = get(server, "/api/export/manifest", format="csv", table="events", actor="CHN")
    assert manifest["rows"] == total and manifest["filters"] == {"actor": ["CHN"]}
    # GDELT and PLOVER hold events: not offered for articles
    page.goto(f"{server}/#/browse?kind=articles")
    page.locator("#view-browse .browse-table").wait_for()
    assert page.locator("#export-format option[value=gdelt]").is_disabled()
    assert "table=articles" in page.locator("#export-link").get_attribute("href")


def test_the_map_draws_a_marker_per_place_and_leads_to_the_evidence(sized, server, tmp_path):
    places = get(server, "/api/places", actor="CHN")["items"]
    assert {p["name"] for p in places} == {"Tokyo", "Beijing", "Osaka"}
    page = sized(1366)
    page.goto(f"{server}/#/map?actor=CHN")
    page.wait_for_selector("#map[data-state=ready]")
    page.wait_for_selector("#network[data-state=ready]")
    # the basemap's countries (Natural Earth via world-atlas) and one circle per place
    assert page.locator("#map svg .mark-shape path").count() > 150
    markers = page.locator("#map svg .events_marks path")
    assert markers.count() == len(places)
    named = get(server, "/api/places", actor="CHN")["named"]  # and a grey dot per place the articles name
    assert page.locator("#map svg .named_marks path").count() == len(named) >= len(places)
    assert page.locator("#map-table tbody tr").count() == len(places)
    page.locator("#map").screenshot(path=str(tmp_path / "map.png"))
    print(f"map screenshot: {tmp_path / 'map.png'}")
    # a click on a marker lists its events, each linked to its evidence sentence
    box = markers.first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    card = page.locator("#map-place")
    card.wait_for()
    name = card.locator("h2").inner_text().split(",")[0]
    here = next(p for p in places if p["name"] == name)
    assert card.locator(".place-events li").count() == len(here["examples"])
    evidence = card.locator(".place-events a").first
    text = evidence.inner_text()
    evidence.click()
    selected = page.locator("#view-article .sentence.selected")
    selected.wait_for()
    assert selected.inner_text() == text and name in text
    # the period facet narrows the map to a year, and the network draws the China-Japan edges
    page.goto(f"{server}/#/map?actor=CHN&by=year")
    page.get_by_role("link", name="2023 (60)").click()
    page.wait_for_function("() => location.hash.includes('since=2023-01-01&until=2023-12-31')")
    page.wait_for_selector("#map[data-state=ready]")
    assert page.locator("#network-table tbody tr").count() == 2
    page.locator("#network-table a").first.click()
    page.wait_for_function("() => location.hash.includes('dyad=CHN-JPN')")
    page.locator("#view-browse .browse-table").wait_for()
    dyad = get(server, "/api/network", actor="CHN", since="2023-01-01", until="2023-12-31")["items"][0]
    assert page.locator("#browse-range").inner_text().endswith(f"of {dyad['events']}")


def test_facet_counts_equal_the_totals_the_api_gives_for_them(sized, server):
    page = sized(1366)
    page.goto(f"{server}/#/browse?kind=events&actor=CHN")
    page.locator("#facets .facet").first.wait_for()
    links = page.locator("#facets .facet a")
    assert links.count() >= 8
    checked = set()
    for i in range(links.count()):
        link = links.nth(i)
        facet = link.evaluate("e => e.closest('[data-facet]').dataset.facet")
        query = link.get_attribute("href").split("?", 1)[1]
        from urllib.parse import parse_qs

        params = {k: v for k, v in parse_qs(query).items() if k != "kind"}
        assert get(server, "/api/events", limit=1, **params)["total"] == int(link.get_attribute("data-n")), query
        checked.add(facet)
    assert {"plover", "cameo", "quad", "place", "source", "target"} <= checked
    # and the page shows that many once the value is chosen
    link = page.locator("#facets .facet[data-facet=plover] a").first
    n = link.get_attribute("data-n")
    link.click()
    page.wait_for_function(f"() => document.querySelector('#browse-range').textContent.endsWith('of {n}')")


def test_filters_in_the_address_are_applied_and_survive_a_reload(sized, server):
    page = sized(1366)
    page.goto(f"{server}/#/browse?kind=events&plover=ACCUSE&dyad=CHN-JPN")
    page.locator("#view-browse .browse-table").wait_for()
    total = get(server, "/api/events", plover="ACCUSE", dyad="CHN-JPN", limit=1)["total"]
    everything = get(server, "/api/events", limit=1)["total"]
    assert 0 < total < everything
    for _ in range(2):
        page.wait_for_function(f"() => document.querySelector('#browse-range').textContent === '1–{total} of {total}'")
        assert page.locator("#browse-form select[name=plover]").input_value() == "ACCUSE"
        assert page.locator("#browse-form input[name=dyad]").input_value() == "CHN-JPN"
        assert set(page.locator("#view-browse .browse-table td:nth-child(4)").all_inner_texts()) == {"ACCUSE"}
        page.reload()
    # a filter the form has no field for is named, applied, and can be removed
    event_id = get(server, "/api/events", plover="ACCUSE", limit=1)["items"][0]["event_id"]
    page.goto(f"{server}/#/browse?kind=events&event={event_id}")
    page.wait_for_function("() => document.querySelector('#browse-range').textContent === '1–1 of 1'")
    assert f"event = {event_id}" in page.locator("#browse-result .chips").inner_text()
    # the form writes the new filters into the address
    page.goto(f"{server}/#/browse?kind=events")
    page.locator("#view-browse .browse-table").wait_for()
    page.fill("#browse-form input[name=dyad]", "JPN-CHN")
    page.check("#browse-form input[name=undirected]")
    page.get_by_role("button", name="Search").click()
    page.wait_for_function("() => location.hash.includes('dyad=JPN-CHN&undirected=true')")
    both = get(server, "/api/events", dyad="JPN-CHN", undirected="true", limit=1)["total"]
    page.wait_for_function(f"() => document.querySelector('#browse-range').textContent.endsWith('of {both}')")


def test_the_page_faults_are_gone(sized, server, tmp_path):
    page = sized(1366, 700)
    # an unknown kind: a message, not a blank page
    page.goto(f"{server}/#/browse?kind=bogus")
    page.wait_for_function("() => document.querySelector('#browse-status').classList.contains('error')")
    assert "There is no “bogus” to browse" in page.locator("#browse-status").inner_text()
    assert page.locator("#browse-form").is_visible()
    # past the end: said so, with the way back
    total = get(server, "/api/events", limit=1)["total"]
    page.goto(f"{server}/#/browse?kind=events&offset=100000")
    page.wait_for_function("() => /past the end/.test(document.querySelector('#browse-status').textContent)")
    assert page.locator("#browse-range").inner_text() == f"page past the end ({total} in all)"
    page.locator("#browse-prev").click()
    page.wait_for_function(f"() => document.querySelector('#browse-range').textContent.endsWith('of {total}')")
    # the next page starts at its top
    page.goto(f"{server}/#/browse?kind=events")
    page.locator("#view-browse .browse-table").wait_for()
    page.locator("#browse-next").scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 500
    page.locator("#browse-next").click()
    page.wait_for_function("() => document.querySelector('#browse-range').textContent.startsWith('51–')")
    assert page.evaluate("document.querySelector('#view-browse').getBoundingClientRect().top") >= -1
    # event=N is the row numbered N, and choosing a row puts it into the address
    doc = post(server, PASTED, store="true")
    page.goto(f"{server}/#/article/{doc['article']['id']}?event=2")
    selected = page.locator("#view-article .events-table tr.selected")
    selected.wait_for()
    assert selected.locator("td").first.inner_text() == "2"
    page.locator("#view-article .events-table tbody tr").first.click()
    page.wait_for_function("() => location.hash.endsWith('?event=1')")
    # a file chosen, then text pasted: the pasted text is what gets coded
    other = tmp_path / "other.txt"
    other.write_text("NATO rejected the demands of Russia in Brussels on Monday.", encoding="utf-8")
    page.goto(f"{server}/#/read")
    page.set_input_files("#input-file", str(other))
    page.fill("#input-text", PASTED)
    assert page.evaluate("document.querySelector('#input-file').files.length") == 0
    page.get_by_role("button", name="Code it").click()
    page.locator("#view-read .article-body").wait_for()
    assert page.locator("#view-read .article-body").inner_text().startswith("Russia accused Ukraine")


@pytest.mark.parametrize("width", [1366, 390])
def test_views_fit_the_screen_and_are_photographed(sized, server, tmp_path, width):
    """No view is wider than a laptop or a phone screen (wide tables scroll inside their box),
    the date column keeps its dates on one line, and each view is saved as a screenshot to look at."""
    page = sized(width)
    doc = post(server, PASTED, store="true")
    views = {
        "browse": ("#/browse?kind=events&actor=CHN", "#view-browse .browse-table"),
        "article": (f"#/article/{doc['article']['id']}?event=1", "#view-article .events-table tr.selected"),
        "map": ("#/map", "#map[data-state=ready]"),
        "timeline": ("#/timeline?a=RUS&b=USA&by=day", "#chart[data-state=ready]"),
    }
    for name, (view, ready) in views.items():
        page.goto(f"{server}/{view}")
        page.wait_for_selector(ready)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        shot = tmp_path / f"{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"{name} at {width} px: {shot}")
        if name == "browse":
            lines = page.eval_on_selector_all("#view-browse .browse-table td.nowrap", """cells => cells.map(e => {
                const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; })""")
            assert lines and set(lines) == {1}  # each date on one line, none clipped
        if name == "article" and width == 1366:  # the events table fits its panel: no column cut off
            assert page.evaluate("""() => { const t = document.querySelector('#view-article .events-table');
                return t.scrollWidth <= t.closest('.side').clientWidth; }""")
