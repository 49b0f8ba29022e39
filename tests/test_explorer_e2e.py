"""The explorer's shareable views, review queue, Arabic and timeline, in a real headless Chromium over a real
`rasad serve` (the setup of tests/test_e2e.py: its browser, page and server helpers).

The database holds examples/ and articles of our own: three that need a look (one hedged ("يعتقد أنها"),
one placed only in a governorate, one that names no place at all) and one the day after the hedged one. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest

import test_e2e as e2e
from rasad.pipeline.incidents import JOIN_RULES
from test_e2e import CHROMIUM, EXAMPLES, Site, _run, _serve, shot, total, wait_total
from test_queue import RECORDS

browser = e2e.browser  # the fixtures of test_e2e: one Chromium for the module, a fresh page per test
page = e2e.page

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")

NEEDS_A_LOOK = [
    *RECORDS,  # test_queue's: one event for each of three reasons
    # the day after the hedged one in Idleb: Idleb's timeline spans two days
    {"id": "q-next-day", "source": "Test Wire", "published": "2023-08-04", "title": "قتيل بقصف على سراقب",
     "text": "قُتل مدني اليوم الجمعة بقصف مدفعي لقوات النظام على مدينة سراقب في ريف إدلب الشرقي."},
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("explorer")
    db = str(tmp / "explorer.db")
    batch = tmp / "needs-a-look.jsonl"
    batch.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in NEEDS_A_LOOK), encoding="utf-8")
    _run("ingest", str(EXAMPLES), str(batch), "--db", db)
    token = _run("users", "add", "reviewer", "--db", db).strip().splitlines()[-1].strip()
    with _serve(db) as url:
        yield Site(url, token, False)


def hash_params(pg) -> dict[str, str]:
    h = pg.evaluate("location.hash")
    return dict(urllib.parse.parse_qsl(h.split("?", 1)[1])) if "?" in h else {}


def open_explorer(pg, site: Site, query: str = "") -> None:
    """A fresh load of the explorer at this query (not a hash change within the page on screen)."""
    pg.goto("about:blank")
    pg.goto(f"{site.url}/#/{'?' + query if query else ''}")
    pg.wait_for_selector("#events tbody tr")
    pg.wait_for_selector("#timeline rect.bar", state="attached")


def test_the_view_is_in_the_url_reload_restores_it_and_back_steps_through_it(page, site):
    all_events = site.api("/events?per_page=200")["events"]
    gov = next(g for g in ("Idleb", "Dar'a", "Homs") if sum(e["admin1"] == g for e in all_events) >= 2)
    in_gov = [e for e in all_events if e["admin1"] == gov]
    day = min(e["date"] for e in in_gov if e["date"])
    since_day = [e for e in in_gov if e["date"] and e["date"] >= day]

    open_explorer(page, site)
    page.select_option("#f-admin1", gov)
    wait_total(page, len(in_gov))
    assert hash_params(page)["admin1"] == gov
    page.fill("#f-since", day)
    page.press("#f-since", "Enter")
    wait_total(page, len(since_day))
    page.select_option("#per-page", "10")
    page.wait_for_function("() => new URLSearchParams(location.hash.split('?')[1]).get('per_page') === '10'")

    # a click on a row selects its event: marked in the table, summarised above it, kept in the URL
    chosen = since_day[0]["id"]
    page.click(f"#events tbody tr[data-event-id='{chosen}'] td:nth-child(2)")
    page.wait_for_selector(f"#events tbody tr.selected[data-event-id='{chosen}']")
    page.wait_for_selector(f"#selected-event[data-event-id='{chosen}']")
    assert hash_params(page)["event"] == str(chosen)
    # the map view too: a zoom changes it in the URL (in place: a zoom is not a step of the history)
    page.wait_for_timeout(500)  # the selection may pan the map to its marker
    before = float(hash_params(page)["map"].split("/")[0])
    page.click(".leaflet-control-zoom-in")
    page.wait_for_function("z => Number(new URLSearchParams(location.hash.split('?')[1]).get('map').split('/')[0]) > z",
                           arg=before)
    view = hash_params(page)
    shot(page, "url-state-before-reload.png")

    # reloading the URL (or opening it in another browser) shows the same view
    url = page.url
    page.reload()
    page.wait_for_selector(f"#events tbody tr.selected[data-event-id='{chosen}']")
    assert page.url == url
    assert page.input_value("#f-admin1") == gov and page.input_value("#f-since") == day
    assert page.input_value("#per-page") == "10"
    wait_total(page, len(since_day))
    page.wait_for_selector(f"#selected-event[data-event-id='{chosen}']")
    assert hash_params(page)["map"] == view["map"]
    page.wait_for_function("id => document.querySelector('#map').dataset.selected === String(id)", arg=chosen)
    page.wait_for_selector(f".leaflet-popup .popup a[href='#/events/{chosen}']")  # its popup open on the map
    shot(page, "url-state-reloaded.png")

    # a fresh browser context given the same URL: the same view
    other = page.context.browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        p2 = other.new_page()
        p2.goto(url)
        p2.wait_for_selector(f"#events tbody tr.selected[data-event-id='{chosen}']")
        assert p2.input_value("#f-admin1") == gov and p2.input_value("#f-since") == day
        assert total(p2) == len(since_day)
    finally:
        other.close()

    # back: the selection goes, then the page size, then the date filter; forward brings it again
    page.go_back()
    page.wait_for_function("() => document.querySelector('#selected-event').hidden")
    assert "event" not in hash_params(page)
    assert page.locator("#events tbody tr.selected").count() == 0
    page.go_back()
    page.wait_for_function("() => document.querySelector('#per-page').value === '25'")
    page.go_back()
    page.wait_for_function("() => document.querySelector('#f-since').value === ''")
    wait_total(page, len(in_gov))
    assert page.input_value("#f-admin1") == gov and "since" not in hash_params(page)
    page.go_forward()
    page.wait_for_function("d => document.querySelector('#f-since').value === d", arg=day)
    wait_total(page, len(since_day))

    # an event page's way back leads to the view it was opened from
    page.click(f"#events a[href='#/events/{since_day[0]['id']}']")
    page.wait_for_selector("#event-page .report")
    back = page.get_attribute("#event-page a.back", "href")
    assert f"admin1={urllib.parse.quote(gov)}" in back and f"since={day}" in back
    page.click("#event-page a.back")
    page.wait_for_selector("#events tbody tr")
    assert page.input_value("#f-since") == day
    wait_total(page, len(since_day))
    assert re.search(r"map=[\d.]+/[\d.]+/[\d.]+", page.evaluate("location.hash"))


def sign_in(pg, site: Site) -> None:
    pg.fill("#signin-token", site.token)
    pg.click("#signin-button")
    pg.wait_for_selector("#signed-in:not([hidden])")


def event_of_doc(site: Site, doc: str) -> dict:
    return site.event_of_doc(doc)


def reason_count(pg, reason: str) -> int:
    return int(pg.get_attribute(f"#queue-reasons button[data-reason='{reason}']", "data-count"))


def audit_actions(pg, site: Site, event_id: int) -> list[list[str]]:
    pg.goto(f"{site.url}/#/events/{event_id}")
    pg.wait_for_selector(f"#event-page[data-event-id='{event_id}'] #audit")
    return [r.locator("td").all_text_contents() for r in pg.locator("#audit table.audit tbody tr").all()]


def test_review_queue_by_reason_with_actions_from_the_list_and_the_keyboard(page, site):
    hedged = event_of_doc(site, "q-hedged")
    governorate = event_of_doc(site, "q-governorate")
    nowhere = event_of_doc(site, "q-nowhere")
    assert "hedged" in hedged["reasons"] and "admin1_level" in governorate["reasons"]
    assert {"no_admin1", "no_coordinates"} <= set(nowhere["reasons"])

    # the counts per reason, as the API gives them, in the queue's panel and in the explorer's filters
    counts = {r["reason"]: r["count"] for r in site.api("/review/reasons?status=unreviewed")["reasons"]}
    page.goto(f"{site.url}/#/review")
    page.wait_for_selector("#queue-reasons button[data-reason='hedged']")
    page.wait_for_selector("#queue tbody tr")
    for reason in ("hedged", "admin1_level", "no_admin1", "attacker_elsewhere"):
        assert reason_count(page, reason) == counts[reason] >= 1, reason
    assert page.locator("#queue-signin").count() == 1 and page.is_disabled("#queue tbody tr .q-confirm")
    sign_in(page, site)
    page.wait_for_selector("#queue tbody tr .q-confirm:not([disabled])")
    # sorted by how many reasons, most first; then by date
    page.click("#queue th button[data-sort='date']")
    page.wait_for_function("() => location.hash.includes('sort=-date')")
    page.wait_for_selector("#queue th[aria-sort='descending'] button[data-sort='date']")
    dates = page.eval_on_selector_all("#queue tbody tr td:nth-child(2)", "tds => tds.map(td => td.textContent)")
    assert [d for d in dates if d != "–"] == sorted((d for d in dates if d != "–"), reverse=True)
    shot(page, "review-queue.png")

    # one reason: the hedged report alone; confirmed with the keyboard, it leaves the queue
    page.click("#queue-reasons button[data-reason='hedged']")
    page.wait_for_function("() => location.hash.includes('reason=hedged')")
    page.wait_for_function("""() => { const trs = [...document.querySelectorAll('#queue tbody tr[data-event-id]')];
        return trs.length > 0 && trs.every(tr => tr.dataset.reasons.split(' ').includes('hedged')); }""")
    page.wait_for_selector(f"#queue tbody tr[data-event-id='{hedged['id']}']")
    assert page.locator("#queue tbody tr[data-event-id]").count() == counts["hedged"]
    page.click(f"#queue tbody tr[data-event-id='{hedged['id']}'] td:nth-child(2)")  # a click puts the cursor there
    page.wait_for_selector(f"#queue-table[data-current='{hedged['id']}']")
    page.keyboard.press("c")
    page.wait_for_selector(f"#queue-status-msg[data-last-event='{hedged['id']}']")
    page.wait_for_function("n => Number(document.querySelector(\"#queue-reasons button[data-reason='hedged']\").dataset.count) === n",
                           arg=counts["hedged"] - 1)
    assert page.locator(f"#queue tbody tr[data-event-id='{hedged['id']}']").count() == 0

    # every reason again: correct the governorate-level event from its row
    page.click("#queue-reasons button[data-reason='any']")
    page.wait_for_function("() => !location.hash.includes('reason=')")
    page.wait_for_selector("#queue-reasons button[data-reason='any'].active")
    page.wait_for_selector(f"#queue tbody tr[data-event-id='{governorate['id']}']")
    row = page.locator(f"#queue tbody tr[data-event-id='{governorate['id']}']")
    row.locator(".q-correct").click()
    page.wait_for_selector("#queue-correct")
    page.select_option("#queue-field", "location")
    page.fill("#queue-value", "حماة")
    page.fill("#queue-note", "the text names the countryside of Hama only")
    shot(page, "review-queue-correct.png")
    page.click("#queue-save")
    page.wait_for_selector(f"#queue-status-msg[data-last-event='{governorate['id']}']")
    page.wait_for_function("id => !document.querySelector(`#queue tbody tr[data-event-id='${id}']`)", arg=governorate["id"])

    # reject with the keyboard: walk down to the event that names no place
    ids = page.eval_on_selector_all("#queue tbody tr[data-event-id]", "trs => trs.map(tr => Number(tr.dataset.eventId))")
    for _ in ids:  # up to the first row (the cursor stayed where the corrected event was), then down to it
        page.keyboard.press("k")
    page.wait_for_selector(f"#queue-table[data-current='{ids[0]}']")
    for _ in range(ids.index(nowhere["id"])):
        page.keyboard.press("ArrowDown" if _ % 2 else "j")
    page.wait_for_selector(f"#queue-table[data-current='{nowhere['id']}']")
    page.keyboard.press("x")
    page.wait_for_selector(f"#queue-status-msg[data-last-event='{nowhere['id']}']")
    assert site.api(f"/events/{nowhere['id']}")["status"] == "rejected"

    # each action is in its event's audit trail, as if made on the event's page
    confirmed = audit_actions(page, site, hedged["id"])
    assert any(r[0] == "reviewer" and "confirm" in r[2] and "review queue: hedged" in r[6] for r in confirmed), confirmed
    assert page.locator("#event-reasons a[data-reason='hedged']").count() == 1  # the event page names its reasons
    corrected = audit_actions(page, site, governorate["id"])
    assert any("correct" in r[2] and "حماة" in r[5] and "countryside of Hama" in r[6] for r in corrected), corrected
    rejected = audit_actions(page, site, nowhere["id"])
    assert any("reject" in r[2] and "no_admin1" in r[6] for r in rejected), rejected
    shot(page, "review-audit.png")

    # the explorer's filter panel counts each reason too, and filters by it
    page.goto(f"{site.url}/#/?status=all")
    page.wait_for_selector("#f-reason option[value='no_admin1']", state="attached")
    want = {r["reason"]: r["count"] for r in site.api("/review/reasons?status=all")["reasons"]}
    got = page.eval_on_selector_all("#f-reason option[data-count]", "os => os.map(o => [o.value, Number(o.dataset.count)])")
    assert {k: v for k, v in got if k != "any"} == want
    page.select_option("#f-reason", "no_admin1")
    wait_total(page, want["no_admin1"])
    assert hash_params(page)["reason"] == "no_admin1"
    # under the map: how many of the selection have no point, and their list one click away
    page.select_option("#f-reason", "")
    page.wait_for_function("n => document.querySelector('#map-unplaced').dataset.count === String(n)",
                           arg=want["no_coordinates"])
    assert "without coordinates" in page.text_content("#map-unplaced")
    page.click("#list-unplaced")
    wait_total(page, want["no_coordinates"])
    assert hash_params(page)["reason"] == "no_coordinates"
    assert all(e["lat"] is None for e in site.api("/events?status=all&reason=no_coordinates")["events"])


ACLED_SUB_TYPES = {"Armed clash", "Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
                   "Attack", "Abduction/forced disappearance", "Grenade", "Suicide bomb"}


def test_arabic_names_plurals_and_isolated_file_names(page, site):
    one = site.api("/events?admin1=Idleb&since=2023-08-03&until=2023-08-03")
    assert one["total"] == 1
    # English first: the plural forms
    open_explorer(page, site, "admin1=Idleb&since=2023-08-03&until=2023-08-03")
    wait_total(page, 1)
    assert page.text_content("#page-info").endswith("· 1 event")
    assert page.text_content("#events tbody tr .sub:last-child") == "1 report" or \
        "1 report" in page.text_content("#events tbody tr")
    assert "1 reports" not in page.text_content("#events")

    page.click("#lang-switch")
    page.wait_for_function("() => document.documentElement.dir === 'rtl'")
    page.wait_for_selector("#events tbody tr")
    wait_total(page, 1)
    # the governorate chosen shows in Arabic, in the filter and in the table
    page.wait_for_function("() => document.querySelector('#f-admin1').selectedOptions[0].textContent.startsWith('إدلب')")
    page.wait_for_function("() => document.querySelector('#events td[data-admin1=\"Idleb\"]').textContent === 'إدلب'")
    info = page.text_content("#page-info")
    assert info.endswith("حدث واحد") and "1 حدث" not in info  # "one event", said by the noun
    row = page.text_content("#events tbody tr")
    assert "تقرير واحد" in row and "التقارير" not in row
    # sub-event types in Arabic
    subs = page.eval_on_selector_all("#events tbody tr td:nth-child(3) .sub", "ds => ds.map(d => d.textContent)")
    assert subs and not set(subs) & ACLED_SUB_TYPES
    # the actors too (actors.tsv's Arabic names), in the table and in the actor filter
    page.wait_for_function("() => !/[A-Za-z]/.test(document.querySelector('#events tbody tr td:nth-child(4)').textContent)")
    actors = page.eval_on_selector_all("#f-actor option", "os => os.map(o => o.textContent)")
    assert len(actors) > 1 and not [a for a in actors[1:] if re.search("[A-Za-z]", a)], actors
    shot(page, "explorer-ar-filtered.png")

    # every governorate of the list, and Dar'a above all, in Arabic
    page.goto(f"{site.url}/#/?admin1=Dar%27a")
    page.wait_for_function("() => document.querySelector('#f-admin1').selectedOptions[0].textContent.startsWith('درعا')")
    names = page.eval_on_selector_all("#f-admin1 option", "os => os.map(o => o.textContent)")
    assert not [n for n in names[1:] if re.search("[A-Za-z]", n)], names
    plurals = page.eval_on_selector_all("#events tbody tr td:nth-child(9) .sub", "ds => ds.map(d => d.textContent)")
    assert plurals and all(re.fullmatch(r"تقرير واحد|تقريران|\d+ (تقارير|تقريراً|تقرير)", p) for p in plurals), plurals

    # the event page: precision, claimant types and qualifiers in Arabic; file names isolated left-to-right
    ev = site.event_of_doc("01_ambush_rising_toll.txt")
    page.goto(f"{site.url}/#/events/{ev['id']}")
    page.wait_for_selector(".report .doc-text mark[data-field]")
    date_row = page.text_content("#summary dd[data-field='date']")
    assert "الدقة" in date_row and not re.search("[A-Za-z]", date_row)
    kinds = page.eval_on_selector_all("table.claims tbody tr td:nth-child(2)", "tds => tds.map(td => td.textContent)")
    assert kinds and not [k for k in kinds if re.search("[A-Za-z]", k)], kinds
    assert page.text_content("#summary dd[data-field='actor1']") == "تنظيم الدولة الإسلامية (داعش)"
    assert page.text_content("#summary dd[data-field='actor2']") == "القوات المسلحة السورية"
    sub = page.text_content("#summary dd[data-field='sub_event_type']")
    assert sub not in ACLED_SUB_TYPES and re.search("[\u0600-\u06ff]", sub)
    files = page.eval_on_selector_all(".report-head bdi.doc-meta", """bs => bs.map(b => [b.textContent,
        getComputedStyle(b).direction, getComputedStyle(b).unicodeBidi])""")
    name = next(f for f in files if f[0] == "01_ambush_rising_toll.txt")
    assert name[1] == "ltr" and name[2] == "isolate"
    reasons = page.eval_on_selector_all(".merge-reason li", "ls => ls.map(l => l.textContent)")
    assert all(not r.startswith(("same ", "nearby", "reported the same")) for r in reasons), reasons
    # each report says what extracted it: the named rules that made its incident, rasad's version, fingerprints
    rules = page.eval_on_selector_all(".report .provenance code", "cs => cs.map(c => c.textContent)")
    assert rules and set(rules) <= {*JOIN_RULES, "casualties", "attack", "figure_for_an_incident_told_elsewhere",
                                    "per_site", "per_governorate"}, rules
    line = page.text_content(".report .provenance")
    assert "القواعد التي أنتجته" in line and "rasad " in line, line
    shot(page, "event-ar-complete.png")


def tick_labels(pg) -> list[str]:
    return pg.eval_on_selector_all("#timeline .axis-dates .tick text", "ts => ts.map(t => t.textContent)")


def test_timeline_labels_once_keeps_one_bar_s_fatalities_and_bins_long_ranges(page, site):
    everything = site.api("/timeline?bin=day")
    days = [r["date"] for r in everything]
    # one bar: its fatalities show as a dot
    hama = site.api("/timeline?bin=day&admin1=Hama")
    assert len(hama) == 1
    open_explorer(page, site, "admin1=Hama")
    page.wait_for_selector("#timeline circle.fatalities-dot", state="attached")
    dots = page.eval_on_selector_all("#timeline circle.fatalities-dot", "cs => cs.map(c => Number(c.dataset.fatalities))")
    assert dots == [hama[0]["fatalities"]]
    assert page.locator("#timeline rect.bar").count() == 1
    shot(page, "timeline-one-bar.png")

    # a narrow filter, two days: bars per day, one label a day at most, on whole days, none repeated
    idleb = [r["date"] for r in site.api("/timeline?bin=day&admin1=Idleb")]
    assert idleb == ["2023-08-03", "2023-08-04"]
    open_explorer(page, site, "admin1=Idleb")
    assert page.get_attribute("#timeline", "data-bin") == "day"
    assert page.locator("#timeline rect.bar").count() == 2
    labels = tick_labels(page)
    assert labels == ["3 Aug", "4 Aug"], labels
    assert page.locator("#timeline circle.fatalities-dot").count() == 2
    shot(page, "timeline-two-days.png")

    # everything, years of it: per day would be slivers, so the bars are weeks or months, at least 2 px wide
    open_explorer(page, site, "sort=id")  # (#/ alone would show this tab's last view again)
    assert int(max(days)[:4]) - int(min(days)[:4]) >= 1  # years
    assert page.get_attribute("#timeline", "data-bin") in ("week", "month")
    widths = page.eval_on_selector_all("#timeline rect.bar", "rs => rs.map(r => Number(r.getAttribute('width')))")
    assert min(widths) >= 2
    labels = tick_labels(page)
    assert len(labels) == len(set(labels)), labels
    # per day asked for: widened, and the note says so
    page.select_option("#timeline-bin", "day")
    page.wait_for_function("() => new URLSearchParams(location.hash.split('?')[1]).get('bin') === 'day'")
    page.wait_for_function("() => document.querySelector('#timeline-bin-note').textContent.includes('Too many bars per day')")
    assert page.get_attribute("#timeline-bin-note", "data-bin") in ("week", "month")
    # the events counted in the bars are all the events with a date
    assert sum(int(n) for n in page.eval_on_selector_all("#timeline rect.bar", "rs => rs.map(r => r.dataset.events)")) \
        == sum(r["events"] for r in everything)
    shot(page, "timeline-binned.png")


def test_tallies_say_their_period_what_they_count_who_says_it_and_link_to_the_sentence(page, site):
    stats = site.api("/statistics")
    assert stats, "examples/ hold a tally"
    rows = [(st, c) for st in stats for c in st["counts"]]
    page.goto(f"{site.url}/#/tallies")
    page.wait_for_selector("#tallies-table tbody tr")
    shown = page.locator("#tallies-table tbody tr")
    assert shown.count() == len(rows)
    for i, (st, c) in enumerate(rows):
        tr = shown.nth(i)
        period = tr.locator(".tally-period").text_content()
        if st["period_start"] and st["period_end"] and st["period_start"] != st["period_end"]:
            assert period == f"{st['period_start']} – {st['period_end']}"
        elif st["period_end"] and not st["period_start"]:
            assert period == f"until {st['period_end']}"
        assert f"{c['value']:,}" in tr.locator(".tally-figure").text_content()
        assert tr.locator(".tally-what").text_content().strip() not in ("", "–")
        claimant = tr.locator(".tally-claimant").text_content()
        assert (st["claimant"] if st["claimant"] != "outlet" else (st["outlet"] or st["doc"])) in claimant
        sentence = next(e for e in st["evidence"] if e["field"] == "statistic")
        assert tr.locator(".tally-sentence .sentence").text_content() == sentence["text"]
    shot(page, "tallies-table.png")

    # the link opens the article with that sentence marked
    st = rows[0][0]
    sentence = next(e for e in st["evidence"] if e["field"] == "statistic")
    shown.nth(0).locator("a.sentence-link").click()
    page.wait_for_selector(f"#document-page[data-document-id='{st['document_id']}'] mark[data-field='statistic']")
    assert page.text_content("#document-page mark[data-field='statistic']") == sentence["text"]
    shot(page, "tally-sentence.png")
    page.click("#document-page a.back")
    page.wait_for_selector("#tallies-table tbody tr")
