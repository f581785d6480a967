"""Claim extraction, one rule at a time.

Every sentence here is invented in the style of wire copy (and of the stripped feeds
the evaluation corpus uses: "230000", "Syrias"); none is quoted from a real article.
Each case checks the exact field values of the claim(s) the extractor reads.
"""

from __future__ import annotations

from datetime import date

import pytest
from builders import make_article

from warlog.clean.page import clean_page
from warlog.extract import Extractor
from warlog.records import Article, ArticleClaims, Claim, PageFormat, RawPage

Triple = tuple[str, int | None, int | None]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def run(extractor: Extractor, text: str, title: str | None = None) -> ArticleClaims:
    return extractor.extract(make_article(text, title))


def claims(extractor: Extractor, text: str) -> tuple[Claim, ...]:
    return run(extractor, text).claims


def triples(found: tuple[Claim, ...]) -> list[Triple]:
    return sorted(((c.outcome, c.low, c.high) for c in found), key=repr)


def one(found: tuple[Claim, ...]) -> Claim:
    assert len(found) == 1, f"expected one claim, got {triples(found)}"
    return found[0]


def with_value(found: tuple[Claim, ...], value: int, outcome: str = "killed") -> Claim:
    """The single claim of ``outcome`` whose bound is ``value``."""
    hits = [c for c in found if c.outcome == outcome and value in (c.low, c.high)]
    assert len(hits) == 1, f"expected one {outcome} claim of {value}, got {triples(found)}"
    return hits[0]


def page_article(title: str, body: str) -> Article:
    text = f"{title}\n\n{body}"
    page = RawPage(
        body=text.encode(),
        text=text,
        format=PageFormat.TEXT,
        source="t.txt",
        title=title,
        published=date(2016, 2, 9),
    )
    arts = clean_page(page)
    assert len(arts) == 1
    return arts[0]


# --- counts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count_text", "low", "high", "approx", "vague"),
    [
        (
            "Government shelling killed 21 people in the town of Douma on Tuesday.",
            "21", 21, 21, False, False,
        ),
        (
            "At least 21 people were killed in shelling on the town of Douma on Tuesday.",
            "At least 21", 21, None, False, False,
        ),
        (
            "More than 40 people were killed in the bombing of the market, the ministry said.",
            "More than 40", 40, None, False, False,
        ),
        (
            "Up to six soldiers were killed in an ambush near Palmyra on Sunday.",
            "Up to six", None, 6, False, False,
        ),
        (
            "Between 10 and 15 soldiers were killed in the ambush near Palmyra.",
            "Between 10 and 15", 10, 15, False, False,
        ),
        (
            "Some 160 fighters were killed in the fighting near Raqqa last week.",
            "Some 160", 160, 160, True, False,
        ),
        (
            "Nearly 30 people were killed in the bombing of the market.",
            "Nearly 30", 30, 30, True, False,
        ),
        (
            "Twenty-one civilians were killed in air strikes on the town of Saraqeb.",
            "Twenty-one", 21, 21, False, False,
        ),
        (
            "One hundred and sixty militants were killed in the battle for the town.",
            "One hundred and sixty", 160, 160, False, False,
        ),
        (
            "Dozens of civilians were killed in air strikes on the city of Aleppo on Monday.",
            "Dozens", 12, 12, False, True,
        ),
        (
            "Scores of civilians were killed in the shelling of the town.",
            "Scores", 20, 20, False, True,
        ),
        (
            "A family of five was killed when a shell hit their home in Idlib.",
            "A family of five", 5, 5, False, False,
        ),
        (
            "Air strikes killed a family of five in the village of Kafranbel.",
            "a family of five", 5, 5, False, False,
        ),
        (
            "The monitor says 230000 people have been killed in Syrias war.",
            "230000", 230_000, 230_000, False, False,
        ),
    ],
)  # fmt: skip
def test_count_bounds(
    extractor: Extractor,
    text: str,
    count_text: str,
    low: int | None,
    high: int | None,
    approx: bool,
    vague: bool,
) -> None:
    c = one(claims(extractor, text))
    assert c.outcome == "killed"
    assert (c.count_text, c.low, c.high, c.approx, c.vague) == (
        count_text,
        low,
        high,
        approx,
        vague,
    )


# --- forms --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # passive
        ("35 soldiers were killed in an ambush near Palmyra on Tuesday.", [("killed", 35, 35)]),
        # active
        ("Air strikes killed 14 civilians in the town of Ariha on Monday.", [("killed", 14, 14)]),
        # nominal
        (
            "The death toll from the bombing in the town of Azaz rose to 112 on Thursday.",
            [("killed", 112, 112)],
        ),
        ("The toll from the bombing stood at 63, the ministry said.", [("killed", 63, 63)]),
        # numbers after the noun
        ("Those killed numbered 40, most of them soldiers.", [("killed", 40, 40)]),
        (
            "The number of people killed in the attack rose to 54 on Wednesday.",
            [("killed", 54, 54)],
        ),
        # X dead and Y wounded
        (
            "Twelve people were dead and 30 wounded after the blast in the town of Azaz.",
            [("killed", 12, 12), ("wounded", 30, 30)],
        ),
        (
            "Five people were killed and 20 wounded in a blast at a market in Azaz.",
            [("killed", 5, 5), ("wounded", 20, 20)],
        ),
        (
            "Five soldiers were killed and 12 others were wounded in the attack.",
            [("killed", 5, 5), ("wounded", 12, 12)],
        ),
        (
            "Jihadists killed nine soldiers and wounded 14 others in an ambush near Palmyra.",
            [("killed", 9, 9), ("wounded", 14, 14)],
        ),
        # headline telegraphic
        ("Strike kills 18 in Idlib", [("killed", 18, 18)]),
        ("Air strikes kill 18 civilians in Idlib market", [("killed", 18, 18)]),
        ("Five killed in Aleppo shelling", [("killed", 5, 5)]),
        ("At least 12 killed as air strikes pound Douma", [("killed", 12, None)]),
        ("Seven dead 20 wounded in Damascus blast", [("killed", 7, 7), ("wounded", 20, 20)]),
        (
            "Five dead and 12 wounded in shelling on Aleppo",
            [("killed", 5, 5), ("wounded", 12, 12)],
        ),
        (
            "3 Killed 30 Wounded In Car Bomb Blast In Azaz",
            [("killed", 3, 3), ("wounded", 30, 30)],
        ),
        # a further / another
        (
            "Two soldiers died at the scene and a further three died in hospital.",
            [("killed", 2, 2), ("killed", 3, 3)],
        ),
        (
            "Two soldiers died at the scene and another two died of their wounds in hospital.",
            [("killed", 2, 2), ("killed", 2, 2)],
        ),
        ("Another two died of their wounds in hospital on Friday.", [("killed", 2, 2)]),
        (
            "A further three soldiers died of their wounds in hospital on Friday.",
            [("killed", 3, 3)],
        ),
        (
            "Two people were killed and a further three wounded in the shelling.",
            [("killed", 2, 2), ("wounded", 3, 3)],
        ),
        # participle
        (
            "A car bomb exploded near a mosque in Azaz, killing 14 civilians.",
            [("killed", 14, 14)],
        ),
        # partitive
        (
            "Four of its servicemen were killed in the attack, the ministry said.",
            [("killed", 4, 4)],
        ),
        # other outcomes
        (
            "Gunmen wounded 17 people in an attack on a checkpoint in Deraa.",
            [("wounded", 17, 17)],
        ),
        (
            "Three Russian soldiers were injured in a mortar attack on the base.",
            [("wounded", 3, 3)],
        ),
        (
            "Police detained 30 protesters in the city of Deraa on Friday.",
            [("arrested", 30, 30)],
        ),
        (
            "Security forces arrested 45 people in the town of Douma on Friday.",
            [("arrested", 45, 45)],
        ),
        ("Gunmen kidnapped 12 aid workers on the road to Idlib.", [("kidnapped", 12, 12)]),
        (
            "Gunmen abducted 20 workers from a cement factory near Aleppo.",
            [("kidnapped", 20, 20)],
        ),
        (
            "At least 30 people remain missing after the air strike on the market.",
            [("missing", 30, None)],
        ),
        (
            "Fifteen people were reported missing after the boat sank off Tartus.",
            [("missing", 15, 15)],
        ),
        (
            "Eight people are missing after the strike on the market in Idlib.",
            [("missing", 8, 8)],
        ),
    ],
)
def test_claim_forms(extractor: Extractor, text: str, expected: list[Triple]) -> None:
    assert triples(claims(extractor, text)) == sorted(expected, key=repr)


@pytest.mark.parametrize(
    ("text", "value", "victims", "kind"),
    [
        ("Air strikes killed 14 civilians in the town of Ariha on Monday.", 14, "civilians", "civilians"),
        ("35 soldiers were killed in an ambush near Palmyra on Tuesday.", 35, "soldiers", "combatants"),
        ("Police detained 30 protesters in the city of Deraa on Friday.", 30, "protesters", "civilians"),
        (
            "Three Russian soldiers were injured in a mortar attack on the base.",
            3, "Russian soldiers", "combatants",
        ),
    ],
)  # fmt: skip
def test_victims(extractor: Extractor, text: str, value: int, victims: str, kind: str) -> None:
    c = one(claims(extractor, text))
    assert c.low == value
    assert (c.victims.text, c.victims.kind) == (victims, kind)


def test_victim_nationality_and_affiliation(extractor: Extractor) -> None:
    c = one(
        claims(extractor, "Three Russian soldiers were injured in a mortar attack on the base.")
    )
    assert c.victims.nationality == "Russian"
    c = one(
        claims(extractor, "35 pro-government forces were killed, including at least nine Russians.")
    )
    assert c.victims.kind == "combatants"
    assert c.victims.affiliation is not None


# --- sub-counts ---------------------------------------------------------------------------


def test_including_nationality_is_a_part(extractor: Extractor) -> None:
    c = one(
        claims(extractor, "35 pro-government forces were killed, including at least nine Russians.")
    )
    assert (c.outcome, c.low, c.high) == ("killed", 35, 35)
    assert len(c.parts) == 1
    part = c.parts[0]
    assert (part.low, part.high, part.kind, part.victims) == (9, None, "nationality", "Russians")


@pytest.mark.parametrize(
    ("text", "total", "children", "women"),
    [
        (
            "The air strikes killed 18 people including five children and two women in the town of Ariha.",
            18, 5, 2,
        ),
        (
            "At least 14 people, including eight children, were killed in an air strike on a school.",
            14, 8, None,
        ),
        (
            "At least nine civilians were killed, among them four women, in shelling on Douma.",
            9, None, 4,
        ),
        (
            "Eleven children were among 18 people killed in the air strike on the village.",
            18, 11, None,
        ),
        ("11 children among 18 dead in Idlib air strike", 18, 11, None),
    ],
)  # fmt: skip
def test_children_and_women_are_parts_of_one_claim(
    extractor: Extractor, text: str, total: int, children: int | None, women: int | None
) -> None:
    c = one(claims(extractor, text))
    assert (c.outcome, c.low) == ("killed", total)
    assert (c.children, c.women) == (children, women)
    kinds = sorted(p.kind for p in c.parts)
    assert kinds == sorted(
        [k for k, n in (("children", children), ("women", women)) if n is not None]
    )


# --- not claims ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "forbidden", "expected"),
    [
        # targets, strikes, sorties, bombs
        (
            "French jets destroyed 35 targets linked to the group, the army said.",
            [35],
            [],
        ),
        (
            "Warplanes carried out 100 strikes on the area, killing 21 jihadists.",
            [100],
            [("killed", 21, 21)],
        ),
        (
            "The jets flew 45 sorties over Idlib on Monday, killing 12 fighters.",
            [45],
            [("killed", 12, 12)],
        ),
        (
            "About 60 bombs were dropped in the raids, which killed nine people.",
            [60],
            [("killed", 9, 9)],
        ),
        # fighters who went to fight, people who fled or were displaced, who returned
        (
            "Some 2,719 Russians have gone to fight for the group, and 160 of them have been killed.",
            [2719],
            [("killed", 160, 160)],
        ),
        (
            "Around 3,000 people fled the town after shelling killed 12 civilians.",
            [3000],
            [("killed", 12, 12)],
        ),
        (
            "The fighting has displaced 200,000 people and killed 40 soldiers.",
            [200_000],
            [("killed", 40, 40)],
        ),
        (
            "Some 200,000 people have been displaced by the fighting, the UN said.",
            [200_000],
            [],
        ),
        (
            "Of those fighters, 73 of them have returned home and 12 were killed.",
            [73],
            [("killed", 12, 12)],
        ),
        # years, dates, times, durations
        (
            "In 2015 air strikes killed 30 civilians in the town of Douma.",
            [2015],
            [("killed", 30, 30)],
        ),
        (
            "The war that began in 2011 has killed 12 soldiers in the town.",
            [2011],
            [("killed", 12, 12)],
        ),
        (
            "Photos dated 06-08-2013 show that 14 people were killed in the attack.",
            [6, 8, 2013],
            [("killed", 14, 14)],
        ),
        (
            "The shelling killed 17 people on 14 March in the town of Douma.",
            [14],
            [("killed", 17, 17)],
        ),
        (
            "At 10:30 an explosion killed 9 people in the market.",
            [10, 30],
            [("killed", 9, 9)],
        ),
        (
            "In the past 24 hours, shelling killed 17 people in the province.",
            [24],
            [("killed", 17, 17)],
        ),
        (
            "Strikes over 24 hours killed 17 people in the province.",
            [24],
            [("killed", 17, 17)],
        ),
        # an explicit denial
        ("Shells hit the town on Monday but no one was killed, activists said.", [], []),
    ],
)
def test_not_claims(
    extractor: Extractor, text: str, forbidden: list[int], expected: list[Triple]
) -> None:
    found = claims(extractor, text)
    for c in found:
        assert c.low not in forbidden and c.high not in forbidden, (c.count_text, triples(found))
    assert triples(found) == sorted(expected, key=repr)


# --- scope --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "scope"),
    [
        ("More than 250,000 people have been killed since 2011, the monitor said.", 250_000, "cumulative"),
        (
            "The crisis, which flared in March 2011, has so far claimed the lives of over 250,000 people.",
            250_000, "cumulative",
        ),
        ("Moscow officially acknowledges that 92 soldiers have been killed in Syria.", 92, "cumulative"),
        (
            "“The latest attack brings to 76 the number of soldiers killed since the escalation,” the monitor said.",
            76, "cumulative",
        ),
        ("Since the start of the year, 1,300 soldiers have been killed in the desert.", 1300, "cumulative"),
        # a tally over the days since Saturday, not one incident (issue 12)
        ("At least 40 people have been killed since Saturday in the shelling of the town.", 40, "cumulative"),
        (
            "The army has shelled the town since Sunday, following the attacks on a market which killed 29 people.",
            29, "incident",
        ),
        (
            "The army has pushed into the district since Sunday, and an air strike on Tuesday killed 29 people.",
            29, "incident",
        ),
        ("The death toll from the bombing in the town of Azaz rose to 112 on Thursday.", 112, "incident"),
        ("Air strikes killed 14 civilians in the town of Ariha on Monday.", 14, "incident"),
    ],
)  # fmt: skip
def test_scope(extractor: Extractor, text: str, value: int, scope: str) -> None:
    assert with_value(claims(extractor, text), value).scope == scope


# --- claimant -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "claimant", "relay"),
    [
        (
            "At least 14 civilians were killed in air strikes on the town of Ariha, the Syrian Observatory for Human Rights said.",
            14, "sohr", None,
        ),
        (
            "Air strikes on the town killed 14 civilians on Monday, according to the Syrian Observatory for Human Rights.",
            14, "sohr", None,
        ),
        (
            "“Twelve fighters were killed in the clashes,” Observatory head Rami Abdel Rahman told AFP.",
            12, "sohr", None,
        ),
        (
            "Fifteen militants were killed in the raid, Oleg Syromolotov said, quoted by state news agency TASS.",
            15, "russian_mfa", "TASS",
        ),
        ("State news agency SANA said 33 terrorists were killed near the town.", 33, "syrian_state_media", None),
        (
            "The Islamic State group said its fighters had killed 20 soldiers near Palmyra.",
            20, "islamic_state_media", None,
        ),
        # pronoun carry-over from a named speaker
        (
            "Rami Abdel Rahman, head of the Syrian Observatory for Human Rights, said the fighting was fierce. "
            "He said 17 soldiers were killed in the clashes.",
            17, "sohr", None,
        ),
        (
            "Russian Defence Ministry spokesman Igor Konashenkov said on Monday that the air force had stepped up its campaign. "
            "“Forty militants were killed in the strikes,” he told AFP.",
            40, "russian_mod", None,
        ),
        # "it said" after a named outlet: the armed group killed is not the speaker
        (
            "The Syrian Central Military Media said troops were advancing on Mayadeen. "
            "It said its strikes killed 120 ISIS fighters near the city.",
            120, "syrian_state_media", None,
        ),
        # no attribution
        ("At least 14 civilians were killed in air strikes on the town of Ariha on Monday.", 14, None, None),
        ("Russian strikes killed 120 ISIS fighters near Mayadeen, it said.", 120, None, None),
    ],
)  # fmt: skip
def test_claimant(
    extractor: Extractor, text: str, value: int, claimant: str | None, relay: str | None
) -> None:
    c = with_value(claims(extractor, text), value)
    if claimant is None:
        assert c.claimant is None, c.claimant
        return
    assert c.claimant is not None
    assert c.claimant.id == claimant
    if relay is not None:
        assert relay in c.claimant.chain


# --- perpetrator --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "perpetrator"),
    [
        ("Twenty civilians were killed in Russian raids on the town of Ariha.", 20, "russia"),
        ("Syria: 21 ISIS jihadists killed in Russian raids", 21, "russia"),
        ("Russian strikes killed 120 ISIS fighters near Mayadeen, it said.", 120, "russia"),
        ("Nine people were killed in a Daesh attack on a checkpoint near Palmyra.", 9, "islamic_state"),
        ("A Daesh attack on the checkpoint killed nine soldiers.", 9, "islamic_state"),
        ("Regime barrel bombs killed 14 civilians in the town of Daraya.", 14, "syrian_government"),
        ("Twelve civilians were killed by government forces in the village of Tremseh.", 12, "syrian_government"),
        ("35 IS jihadists were killed in clashes with Kurdish forces near Raqqa.", 35, "sdf"),
        ("Turkish drones killed seven fighters near Qamishli.", 7, "turkey"),
        ("Government forces killed 33 rebels near the town, state news agency SANA said.", 33, "syrian_government"),
        ("A roadside bomb killed six soldiers near Deraa on Sunday.", 6, None),
        ("At least 14 civilians were killed in air strikes on the town of Ariha on Monday.", 14, None),
    ],
)  # fmt: skip
def test_perpetrator(extractor: Extractor, text: str, value: int, perpetrator: str | None) -> None:
    c = with_value(claims(extractor, text), value)
    assert (c.perpetrator.id if c.perpetrator else None) == perpetrator


# --- event type ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "event_type"),
    [
        ("Air strikes killed 14 civilians in the town of Ariha on Monday.", 14, "air/drone strike"),
        ("A drone strike killed four people in a car near Idlib.", 4, "air/drone strike"),
        ("Regime barrel bombs killed 14 civilians in the town of Daraya.", 14, "air/drone strike"),
        ("Rebel shelling killed six civilians in the Old City of Aleppo.", 6, "shelling/artillery/missile"),
        ("A car bomb exploded near a mosque in Azaz, killing 14 people.", 14, "car bomb"),
        ("A suicide bomber blew himself up at a checkpoint, killing eight soldiers.", 8, "suicide bomb"),
        ("A roadside bomb killed six soldiers near Deraa on Sunday.", 6, "remote explosive/IED"),
        (
            "At least 50 people died from suffocation after a chemical attack on the town of Khan Sheikhoun.",
            50, "chemical weapon",
        ),
        ("Chlorine gas killed seven people in the town of Saraqeb.", 7, "chemical weapon"),
        ("Jihadists executed 12 men in a public square in the town of Mayadeen.", 12, "execution"),
        ("IS militants beheaded four men in Raqqa on Friday.", 4, "execution"),
        ("Eleven soldiers were killed in fierce clashes with rebels near Hama.", 11, "armed clash"),
        ("Gunmen opened fire on a bus near Homs, killing five passengers.", 5, "attack/shooting"),
        (
            "A military transport plane crashed near Latakia, killing all 39 people on board.",
            39, "accident/crash",
        ),
    ],
)  # fmt: skip
def test_event_type(extractor: Extractor, text: str, value: int, event_type: str) -> None:
    assert with_value(claims(extractor, text), value).event_type == event_type


# --- evidence -----------------------------------------------------------------------------

EVIDENCE_TEXTS = [
    "Strike kills 18 in Idlib\n\n"
    "An air strike hit a crowded market in the town of Ariha on Monday, rescuers said. "
    "Five people were killed and 20 wounded in a second raid, the Syrian Observatory for Human Rights said.\n\n"
    "More than 250,000 people have been killed since 2011.",
    "BEIRUT: At least 21 people were killed in shelling on the town of Douma on Tuesday.\n"
    "“35 pro-government forces were killed, including at least nine Russians,” the monitor said.\n"
    "Police detained 30 protesters in the city of Deraa on Friday.",
]


@pytest.mark.parametrize("text", EVIDENCE_TEXTS)
def test_evidence_offsets_point_into_the_text(extractor: Extractor, text: str) -> None:
    result = run(extractor, text)
    assert len(result.claims) >= 3
    for n, c in enumerate(result.claims):
        assert c.index == n
        assert c.article_id == "art-1"
        assert c.evidence.sentence == result.article.text[c.evidence.start : c.evidence.end]
        assert c.count_text in c.evidence.sentence


def test_evidence_from_a_cleaned_page(extractor: Extractor) -> None:
    art = page_article(
        "Air strikes kill dozens in Aleppo",
        "Air strikes killed at least 43 people in rebel-held districts of Aleppo on Monday, "
        "a monitor said.\n\nFive children were among the dead, residents said.",
    )
    result = extractor.extract(art)
    assert result.claims
    for c in result.claims:
        assert c.evidence.sentence == art.text[c.evidence.start : c.evidence.end]
        assert c.article_id == art.id


# --- lead ---------------------------------------------------------------------------------


def test_lead_takes_the_headline_count(extractor: Extractor) -> None:
    art = page_article(
        "Strike kills 18 in Idlib",
        "An air strike hit a crowded market in the town of Ariha on Monday, rescuers said.\n\n"
        "Separately, 40 soldiers were killed in clashes near Hama on Sunday, the monitor said.",
    )
    result = extractor.extract(art)
    assert triples(result.claims) == [("killed", 18, 18), ("killed", 40, 40)]
    headline = with_value(result.claims, 18)
    assert headline.in_headline
    assert not with_value(result.claims, 40).in_headline
    assert result.lead is not None
    assert result.lead.killed == 18
    assert result.lead.claims[0] == headline.index


def test_vague_headline_takes_the_figure_from_the_first_sentence(extractor: Extractor) -> None:
    art = page_article(
        "Air strikes kill dozens in Aleppo",
        "Air strikes killed at least 43 people in rebel-held districts of Aleppo on Monday, "
        "a monitor said.\n\nThe raids hit a market and a bakery, residents said.",
    )
    result = extractor.extract(art)
    headline = with_value(result.claims, 12)
    assert headline.in_headline and headline.vague
    precise = with_value(result.claims, 43)
    assert (precise.low, precise.high, precise.vague) == (43, None, False)
    assert result.lead is not None
    assert result.lead.killed == 43
    assert result.lead.claims[0] == precise.index


def test_lead_counts_headline_wounded(extractor: Extractor) -> None:
    art = page_article(
        "Seven dead 20 wounded in Damascus blast",
        "A bomb exploded near a bus station in the capital on Tuesday, state media said.",
    )
    result = extractor.extract(art)
    assert result.lead is not None
    assert (result.lead.killed, result.lead.wounded) == (7, 20)


def test_no_casualties_no_lead(extractor: Extractor) -> None:
    art = page_article(
        "Army pushes into Aleppo suburbs",
        "Government troops advanced into two districts on the edge of Aleppo on Monday, "
        "state media said.\n\nThe army said it had taken a hill overlooking the main road.",
    )
    result = extractor.extract(art)
    assert result.claims == ()
    assert result.lead is None
