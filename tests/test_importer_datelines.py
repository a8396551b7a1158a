"""Datelines: every wire form of issue #12 and real forms quoted from AG News parse; ledes that only look like
one do not. (AG News is used here as a table of written forms only: it is a test split, nothing is tuned on it.)"""

from __future__ import annotations

import pytest
from pelican.plugins.news_archive.importer.assemble import Stated
from pelican.plugins.news_archive.importer.datelines import parse_dateline
from pelican.plugins.news_archive.importer.plaintext import parse_plaintext
from pelican.plugins.news_archive.importer.rules import load_rules

RULES = load_rules()
GRAMMAR = RULES.datelines

# (paragraph, dateline text, outlet, (month, day, year) or None)
FORMS = [
    # the forms named in the issue
    ("PEORIA, Ill. (AP) — A man was charged.", "PEORIA, Ill. (AP) —", "Associated Press", None),
    ("FORT LEWIS, Wash. (AP) - Soldiers returned.", "FORT LEWIS, Wash. (AP) -", "Associated Press", None),
    ("Da Nang (VNA) – The city opened a port.", "Da Nang (VNA) –", "VNA", None),
    ("Damascus, SANA- The ministry said.", "Damascus, SANA-", "SANA", None),
    ("McALLEN — Border agents said.", "McALLEN —", None, None),
    ("CHICAGO, May 4 - Futures fell.", "CHICAGO, May 4 -", None, (5, 4, None)),
    ("LIMA, march 2 - Copper output rose.", "LIMA, march 2 -", None, (3, 2, None)),
    ("KARACHI: Traders said.", "KARACHI:", None, None),
    ("(LONDON) — Prices rose.", "(LONDON) —", None, None),
    ("Atlanta (CNN)", "Atlanta (CNN)", "CNN", None),
    ("TORONTO, Canada, Jan. 5, 2018 (GLOBE NEWSWIRE) -- The company said.",
     "TORONTO, Canada, Jan. 5, 2018 (GLOBE NEWSWIRE) --", "GlobeNewswire", (1, 5, 2018)),
    ("BOWLING GREEN, Ky. (WBKO) - A crash closed the road.", "BOWLING GREEN, Ky. (WBKO) -", "WBKO", None),
    ("LOS ANGELES (KTLA) — Firefighters said.", "LOS ANGELES (KTLA) —", "KTLA", None),
    ("RALEIGH, N.C. (AP) --- Lawmakers voted.", "RALEIGH, N.C. (AP) ---", "Associated Press", None),
    ("CHARLESTON, W. Va. (AP) — The governor said.", "CHARLESTON, W. Va. (AP) —", "Associated Press", None),
    ("SACRAMENTO, Calif. (Reuters) - The state said.", "SACRAMENTO, Calif. (Reuters) -", "Reuters", None),
    ("TEHRAN (IRNA) â€” Officials said.", "TEHRAN (IRNA) â€”", "IRNA", None),
    ("Beijing, Jan 3 (Xinhua) -- China said.", "Beijing, Jan 3 (Xinhua) --", "Xinhua", (1, 3, None)),
    ("SEOUL, Sept. 30 (Yonhap) -- North Korea fired.", "SEOUL, Sept. 30 (Yonhap) --", "Yonhap", (9, 30, None)),
    ("NEW DELHI (PTI): The court said.", "NEW DELHI (PTI):", "PTI", None),
    ("Kuala Lumpur (Bernama) - The ministry said.", "Kuala Lumpur (Bernama) -", "Bernama", None),
    ("Tehran, IRNA - The minister said.", "Tehran, IRNA -", "IRNA", None),
    # written forms quoted from AG News (test split)
    ("BEIRUT, Lebanon - Yasser Arafat promised Palestinians", "BEIRUT, Lebanon -", None, None),
    ("FALLUJAH, Iraq -- The US military is drawing up plans", "FALLUJAH, Iraq --", None, None),
    ("JOHANNESBURG, Sept. 9 -- A German man", "JOHANNESBURG, Sept. 9 --", None, (9, 9, None)),
    ("BEIJING, Aug. 17 (Xinhuanet) -- China is carrying out", "BEIJING, Aug. 17 (Xinhuanet) --", "Xinhua",
     (8, 17, None)),
    ("MORGANTOWN, W.Va. (U-WIRE) -- Syracuse may enter", "MORGANTOWN, W.Va. (U-WIRE) --", None, None),
    ("KABUL (AFP) - Militants claiming to hold", "KABUL (AFP) -", "AFP", None),
    ("GREEN BAY, Wis. - Thanks to Lovie Smiths ambitious words", "GREEN BAY, Wis. -", None, None),
    ("NEW YORK Sept. 11, 2004 - Pounding ferocious forehands", "NEW YORK Sept. 11, 2004 -", None, (9, 11, 2004)),
    ("MUMBAI/NEW DELHI: The stage is set", "MUMBAI/NEW DELHI:", None, None),
    ("SINGAPORE : Singapore's unemployment rate", "SINGAPORE :", None, None),
    ("GAZA CITY: The Israeli army demolished", "GAZA CITY:", None, None),
    ("TEHRAN (IRNA) -- Defense Minister Ali Shamkhani", "TEHRAN (IRNA) --", "IRNA", None),
    ("NEW YORK, November 19 (newratings.com) - Analysts at Stifel", "NEW YORK, November 19 (newratings.com) -",
     None, (11, 19, None)),
    ("Jacksonville, FL (Sports Network) - David Garrard", "Jacksonville, FL (Sports Network) -", None, None),
    ("ST. LOUIS - When the St. Louis Cardinals", "ST. LOUIS -", None, None),
    ("AP - A company founded by a chemistry researcher", "AP -", "Associated Press", None),
    ("KAMMENA VOURLA, Greece (Reuters) - A bus carrying", "KAMMENA VOURLA, Greece (Reuters) -", "Reuters", None),
    ("GEORGE TOWN, Cayman Islands - Hurricane Ivan battered", "GEORGE TOWN, Cayman Islands -", None, None),
    # the seeds' own forms
    ("Tehran (IP) - During a meeting", "Tehran (IP) -", "Iran Press", None),
    ("Dushanbe(IP) - The Chief of Staff", "Dushanbe(IP) -", "Iran Press", None),
    ("Iran (IMNA) - During the meeting", "Iran (IMNA) -", "IMNA", None),
    ("WASHINGTON, March 3 1987 - The Treasury said.", "WASHINGTON, March 3 1987 -", None, (3, 3, 1987)),
    ("LONDON, 3 March 1987 - Gilts rose.", "LONDON, 3 March 1987 -", None, (3, 3, 1987)),
]

NOT_DATELINES = [
    "Dayton, Ohio, became the first city to ban the sale.",
    "\"We will win,\" the mayor said - and the crowd cheered.",
    "“Paris - the city of light,” she wrote.",
    "THE city council voted on Monday to close the bridge.",
    "Markets rally - stocks rise on hopes of a rate cut",
    "Trump Wins Nomination - What Happens Next",
    "Berlin Wall Anniversary - A Look Back",
    "Gould Inc (GLD) - Offering of two mln shares, the company said.",
    "UPDATE: The story has been corrected.",
    "BREAKING - Shots fired downtown.",
    "The minister (who arrived late) said the talks were useful.",
    "Apple Inc said on Monday its profit rose.",
    "In March 2020, the city closed its schools.",
    "Ky. Company Wins Grant to Study Peptides",
    "STANDARD OIL <SRD> TO FORM FINANCIAL UNIT",
    "Shares of ESS Technology (ESST.O: Quote, Profile, Research), a maker of chips, fell.",
    "Pro baseball: AL Division Series -- Anaheim vs. Red Sox at Fenway Park",
    "Lucent Technologies yesterday posted higher earnings.",
]


@pytest.mark.parametrize(("paragraph", "text", "outlet", "date"), FORMS)
def test_dateline_forms(paragraph: str, text: str, outlet: str | None,
                        date: tuple[int, int, int | None] | None) -> None:
    parsed = parse_dateline(paragraph, GRAMMAR)
    assert parsed is not None, paragraph
    found, rest = parsed
    assert found.text == text
    assert found.outlet == outlet
    assert (found.month, found.day, found.year) == (date or (None, None, None))
    assert rest == paragraph[len(text):].strip()


@pytest.mark.parametrize("paragraph", NOT_DATELINES)
def test_not_datelines(paragraph: str) -> None:
    assert parse_dateline(paragraph, GRAMMAR) is None


def test_a_capitals_place_is_not_taken_for_a_call_sign() -> None:
    parsed = parse_dateline("WACO - Police said.", GRAMMAR)
    assert parsed is not None and parsed[0].place == "WACO" and parsed[0].outlet is None


def parse(text: str):
    return parse_plaintext(text, Stated(slug="t", origin="t.txt", imported_from="t.txt"), RULES)


def test_year_makes_a_date_a_month_and_day_are_evidence_only() -> None:
    dated = parse("Profit rises\n\nTORONTO, Canada, Jan. 5, 2018 (GLOBE NEWSWIRE) -- Acme said profit rose.\n")
    assert dated is not None
    assert dated.date == "2018-01-05" and dated.date_status == "derived" and dated.source == "GlobeNewswire"
    assert dated.body == ["Acme said profit rose."]
    undated = parse("Futures fall\n\nCHICAGO, May 4 - Grain futures fell on Thursday.\n")
    assert undated is not None
    assert undated.date is None and undated.date_status == "unknown"
    assert undated.date_evidence == 'dateline "CHICAGO, May 4 -" gives May 4, no year'


def test_dateline_on_a_line_of_its_own() -> None:
    article = parse("Atlanta (CNN)\nThe storm moved north on Tuesday, forecasters said.\n")
    assert article is not None
    assert article.dateline == "Atlanta (CNN)" and article.source == "CNN"
    assert article.body == ["The storm moved north on Tuesday, forecasters said."]


def test_derived_title_is_not_the_dateline() -> None:
    article = parse("FORT LEWIS, Wash. (AP) — Soldiers of the brigade returned home on Friday. More came later.")
    assert article is not None
    assert article.title == "Soldiers of the brigade returned home on Friday"
    assert article.dateline == "FORT LEWIS, Wash. (AP) —"
