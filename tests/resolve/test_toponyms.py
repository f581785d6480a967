"""The geoparser: candidates, evidence and the decision, on sentences written in news style."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from warlog.cli import main
from warlog.evaluate.places import ACCURACY_KM, MAX_KM, GoldDoc, GoldToponym, read_gold, score
from warlog.resolve import Resolver
from warlog.resolve.ranker import FEATURES, MODEL_PATH, Ranker
from warlog.resolve.toponyms import Geoparser, Mention, Toponym, haversine_km

GEO = Path(__file__).resolve().parents[3] / "shared" / "eval" / "geo"


@pytest.fixture(scope="module")
def geoparser() -> Geoparser:
    return Geoparser()


def _span(text: str, name: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return Mention(start, start + len(name), name)


def _one(geoparser: Geoparser, text: str, name: str, **kw: object) -> Toponym:
    (top,) = geoparser.geoparse(text, [_span(text, name)], **kw)  # type: ignore[arg-type]
    return top


@pytest.mark.parametrize(
    ("text", "name", "country", "admin1"),
    [
        (
            "Gunmen killed two shepherds near the village of Mandali in Diyala province.",
            "Mandali",
            "IQ",
            "Diyala",
        ),
        ("Clashes raged in rural Idlib for a third day.", "rural Idlib", "SY", "Idlib"),
        ("The storm hit Paris, Texas, on Monday.", "Paris", "US", "Texas"),
        ("Flooding closed roads across Texas.", "Texas", "US", "Texas"),
        ("A fire broke out in Athens, Ga., overnight.", "Athens", "US", "Georgia"),
    ],
    ids=["village-in-diyala", "rural-idlib", "paris-texas", "texas-is-the-state", "ap-abbrev"],
)
def test_hierarchy_and_cues_place_the_mention(
    geoparser: Geoparser, text: str, name: str, country: str, admin1: str
) -> None:
    top = _one(geoparser, text, name)
    assert (top.country, top.admin1) == (country, admin1), top


def test_rural_idlib_is_the_province_not_the_city(geoparser: Geoparser) -> None:
    top = _one(geoparser, "Shelling hit rural Idlib overnight.", "rural Idlib")
    assert top.precision == "province"


def test_bare_paris_is_france_without_context(geoparser: Geoparser) -> None:
    assert _one(geoparser, "Talks resumed in Paris on Monday.", "Paris").country == "FR"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Islamic State fighters stormed Baiji, north of Tikrit in Salahuddin province, "
            "and the army said it had retaken the refinery.",
            "Baiji",
        ),
        (
            "A roadside bomb killed three soldiers in Qaim near the border town of Rutba in "
            "Anbar, police said.",
            "Qaim",
        ),
    ],
    ids=["baiji-not-china", "qaim-not-iran"],
)
def test_a_town_in_an_iraqi_story_stays_in_iraq_without_focus(
    geoparser: Geoparser, text: str, name: str
) -> None:
    (found,) = [t for t in geoparser.geoparse(text) if t.name == name]
    assert found.country == "IQ"
    resolver = Resolver(geoparser.gazetteer)
    assert resolver._country(text) == "IQ"


@pytest.mark.parametrize(
    ("text", "not_place"),
    [
        ("Abu Omar, a commander of the brigade, told reporters the town had fallen.", "Abu Omar"),
        ("The Islamic Dawa Party won the most seats in Baghdad.", "Dawa"),
        ("Daily Sabah reported that the convoy was hit.", "Daily Sabah"),
    ],
    ids=["person", "party", "outlet"],
)
def test_names_of_people_parties_and_outlets_are_no_places(
    geoparser: Geoparser, text: str, not_place: str
) -> None:
    found = geoparser.geoparse(text)
    assert not [t for t in found if not_place in t.name or t.name in not_place], found


def test_abu_omar_in_fakes_is_no_place(geoparser: Geoparser) -> None:
    """Every "Abu Omar" in the FA-KES dev texts is a person, never a place mention."""
    path = GEO.parent / "fakes" / "dev.jsonl"
    texts = [
        json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line
    ]
    with_name = [t for t in texts if "Abu Omar" in t]
    assert with_name, "the dev set names Abu Omar"
    for text in with_name:
        names = [t.name for t in geoparser.geoparse(text, demonyms=False)]
        assert not [n for n in names if "Abu Omar" in n], names


def test_demonyms_resolve_to_their_country_when_given_as_spans(geoparser: Geoparser) -> None:
    text = "American and Russian diplomats met in Geneva."
    tops = geoparser.geoparse(text, [_span(text, "American"), _span(text, "Russian")])
    assert [t.country for t in tops] == ["US", "RU"]
    assert all(t.feature == "demonym" for t in tops)


def test_focus_country_is_a_prior(geoparser: Geoparser) -> None:
    text = "Fighting was reported near Rawa."
    assert _one(geoparser, text, "Rawa").country != "IQ"
    assert _one(geoparser, text, "Rawa", focus="IQ").country == "IQ"


def test_every_toponym_says_how_it_was_decided(geoparser: Geoparser) -> None:
    top = _one(geoparser, "The storm hit Paris, Texas, on Monday.", "Paris")
    assert "hierarchy: Texas" in top.how
    assert 0.5 < top.confidence <= 1.0
    data = top.to_json()
    for key in ("start", "end", "name", "lat", "lon", "country", "admin1", "admin2"):
        assert key in data
    for key in ("precision", "feature", "geonameid", "how", "confidence"):
        assert key in data


def test_unknown_name_is_left_unresolved(geoparser: Geoparser) -> None:
    text = "They met in Xqzvtrpl."
    top = _one(geoparser, text, "Xqzvtrpl")
    assert top.lat is None and top.confidence == 0.0


def test_shipped_ranker_has_every_feature() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert data["name"].startswith("warlog.place_ranker.v")
    assert set(data["weights"]) == set(FEATURES) == set(data["second"])
    assert Ranker.load().second is not None


def test_ranker_refuses_a_model_missing_features() -> None:
    with pytest.raises(ValueError, match="must name exactly"):
        Ranker.from_json({"name": "x", "weights": {"bias": 1.0}})


def test_haversine() -> None:
    assert haversine_km(0, 0, 0, 0) == 0
    assert abs(haversine_km(33.51, 36.29, 36.20, 37.16) - 310) < 10  # Damascus to Aleppo


def test_scorer_counts_unresolved_as_the_far_side_of_the_earth() -> None:
    doc = GoldDoc("d", "Paris and Atlantis.", (GoldToponym(0, 5, "Paris", 48.85, 2.35),))

    def right(d: GoldDoc) -> list[Toponym | None]:
        return [
            Toponym(0, 5, "Paris", 48.9, 2.3, "FR", None, None, "town", None, None, None, (), 1)
        ]

    assert score([doc], right, "right").accuracy == 1.0
    missing = score([doc], lambda d: [None], "none")
    assert missing.accuracy == 0.0 and missing.errors_km == [MAX_KM]
    assert missing.as_dict()["coverage"] == 0.0
    assert ACCURACY_KM == 161.0


def test_read_gold_names_the_bad_line(tmp_path: Path) -> None:
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"id": 1, "text": "x", "toponyms": []}\n{"id": 2}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"gold.jsonl:2"):
        list(read_gold(bad))


def test_geoparse_cli_resolves_given_spans(tmp_path: Path) -> None:
    doc = {"id": "a", "text": "The storm hit Paris, Texas.", "toponyms": [{"start": 14, "end": 19}]}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["geoparse", str(path), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["id"] == "a"
    (top,) = out["toponyms"]
    assert (top["name"], top["country"], top["admin1"]) == ("Paris", "US", "Texas")


def test_geoparse_cli_bad_jsonl_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": 1, "text": "ok"}\n{"id": 2, "text": 5}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["geoparse", str(path), "--json"])
    assert result.exit_code == 1
    assert "in.jsonl:2" in result.output and "Traceback" not in result.output


def test_geoparse_cli_bad_focus_is_refused() -> None:
    result = CliRunner().invoke(main, ["geoparse", "-", "--focus-country", "Syria"], input="x")
    assert result.exit_code == 1 and "ISO alpha-2" in result.output
