"""Count expressions in casualty claims: bounds, hedges, vague amounts and what is skipped.

Every sentence here is made up in the style of wire copy, including the style the
evaluation corpus uses (commas and apostrophes stripped: "Syrias", "230000").
"""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warlog.extract.numbers import Count, find_counts, is_pronoun_one, parse_count


def bounds(text: str) -> list[tuple[str, int | None, int | None]]:
    return [(c.text, c.low, c.high) for c in find_counts(text)]


def texts(text: str) -> list[str]:
    return [c.text for c in find_counts(text)]


# --- bare figures -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("21", 21),
        ("2,719", 2719),
        ("250,000", 250_000),
        ("230000", 230_000),
        ("1300", 1300),
        ("0", 0),
        ("1.5 million", 1_500_000),
        ("2 million", 2_000_000),
        ("3,500 thousand", 3_500_000),
    ],
)
def test_bare_figure_is_both_bounds(text: str, value: int) -> None:
    count = parse_count(text)
    assert count == Count(value, value, False, False, text, 0, len(text), value)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The monitor said 2015 22 dead were buried", ["22"]),
        ("Officials counted 30 40 wounded in the hospitals", ["30", "40"]),
        # A zero-padded "000" is a code or a time, never a toll on its own.
        ("Shelling killed 250 000 people", ["250"]),
    ],
)
def test_numbers_are_not_merged_across_spaces(sentence: str, expected: list[str]) -> None:
    assert texts(sentence) == expected


@given(st.integers(min_value=0, max_value=10_000_000))
def test_any_plain_figure_after_a_verb_is_found(n: int) -> None:
    assert bounds(f"Air strikes killed {n} people") == [(str(n), n, n)]


@given(st.integers(min_value=1000, max_value=10_000_000))
def test_any_comma_grouped_figure_is_read_whole(n: int) -> None:
    assert bounds(f"The war has killed {n:,} people") == [(f"{n:,}", n, n)]


# --- bounds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "value"),
    [
        ("at least 21", 21, 21),
        ("At least nine", 9, 9),
        ("more than 100", 100, 100),
        ("over 50", 50, 50),
        ("well over 200", 200, 200),
        ("upwards of 30", 30, 30),
        ("no fewer than 12", 12, 12),
        ("a minimum of 8", 8, 8),
        ("in excess of 1,000", 1000, 1000),
        ("21 or more", 21, 21),
        ("100-plus", 100, 100),
        ("30+", 30, 30),
        ("more than a dozen", 12, 12),
        ("at least dozens", 12, 12),
    ],
)
def test_lower_bound_phrases_leave_high_open(text: str, low: int, value: int) -> None:
    count = parse_count(text)
    assert count is not None
    assert (count.low, count.high, count.value, count.approx) == (low, None, value, False)


@pytest.mark.parametrize(
    ("text", "high"),
    [
        ("up to six", 6),
        ("as many as 40", 40),
        ("at most 3", 3),
        ("no more than 15", 15),
        ("fewer than 10", 10),
        ("less than 20", 20),
        ("under 100", 100),
        ("a maximum of 70", 70),
        ("five or fewer", 5),
    ],
)
def test_upper_bound_phrases_leave_low_open(text: str, high: int) -> None:
    count = parse_count(text)
    assert count is not None
    assert (count.low, count.high, count.value) == (None, high, high)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("between 10 and 15", 10, 15),
        ("Between ten and fifteen", 10, 15),
        ("10 to 15", 10, 15),
        ("10-15", 10, 15),
        ("10 – 15", 10, 15),
        ("10 or 15", 10, 15),
        ("two or three", 2, 3),
        ("15 or 10", 10, 15),
        ("dozens or hundreds", 12, 100),
    ],
)
def test_ranges_set_both_bounds_and_value_is_the_low_end(text: str, low: int, high: int) -> None:
    count = parse_count(text)
    assert count is not None
    assert (count.low, count.high, count.value) == (low, high, low)


def test_hyphen_pair_running_downwards_is_a_score_not_a_range() -> None:
    assert parse_count("2-1") is None
    assert bounds("The home side won 2-1 on Sunday") == []


@pytest.mark.parametrize(
    "text",
    [
        "some 160",
        "about 40",
        "around 300",
        "nearly 100",
        "almost 2,719",
        "approximately 50",
        "roughly 30",
        "an estimated 250,000",
        "estimated 90",
        "close to 40",
        "circa 60",
        "60 or so",
        "twenty-odd",
        "20-odd",
    ],
)
def test_hedged_figures_are_approx_with_equal_bounds(text: str) -> None:
    count = parse_count(text)
    assert count is not None
    assert count.approx is True
    assert count.vague is False
    assert count.low == count.high == count.value
    assert count.value is not None


def test_hedges_keep_the_stated_figure() -> None:
    assert [(c.low, c.value) for c in find_counts("nearly 100 and almost 50")] == [
        (100, 100),
        (50, 50),
    ]


def test_bounded_figures_are_not_approx() -> None:
    assert [c.approx for c in find_counts("at least 5, up to 9 and 3 to 4")] == [
        False,
        False,
        False,
    ]


# --- spelled numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("nine", 9),
        ("Nine", 9),
        ("NINE", 9),
        ("Thirty", 30),
        ("thirty-five", 35),
        ("thirty five", 35),
        ("One hundred and sixty", 160),
        ("two hundred fifty thousand", 250_000),
        ("a hundred", 100),
        ("a thousand and five", 1005),
        ("twelve hundred", 1200),
        ("zero", 0),
    ],
)
def test_spelled_numbers(text: str, value: int) -> None:
    count = parse_count(text)
    assert count is not None
    assert (count.low, count.high, count.value, count.vague) == (value, value, value, False)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a dozen", 12),
        ("two dozen", 24),
        ("3 dozen", 36),
        ("half a dozen", 6),
        ("a score", 20),
        ("a family of five", 5),
        ("a pair of", 2),
        ("a couple of", 2),
    ],
)
def test_collective_words_are_exact_figures(text: str, value: int) -> None:
    count = parse_count(text)
    assert count is not None
    assert (count.low, count.high, count.value) == (value, value, value)
    assert (count.approx, count.vague) == (False, False)


def test_two_number_words_in_a_row_stay_two_counts() -> None:
    assert bounds("the ages listed were nine ten") == [("nine", 9, 9), ("ten", 10, 10)]


# --- vague amounts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("dozens", 12),
        ("Dozens", 12),
        ("hundreds", 100),
        ("thousands", 1000),
        ("millions", 1_000_000),
        ("tens of thousands", 10_000),
        ("hundreds of thousands", 100_000),
        ("several hundred", 100),
        ("a few thousand", 1000),
        ("many hundreds", 100),
    ],
)
def test_vague_amounts_take_acled_figures(text: str, value: int) -> None:
    count = parse_count(text)
    assert count is not None
    assert (count.low, count.high, count.value, count.vague) == (value, value, value, True)


@pytest.mark.parametrize(
    ("sentence", "text", "value"),
    [
        ("Scores of people were wounded", "Scores", 20),
        ("Tens of families fled", "Tens", 10),
        ("scores more were missing", "scores", 20),
    ],
)
def test_tens_and_scores_need_a_following_noun(sentence: str, text: str, value: int) -> None:
    assert [(c.text, c.value, c.vague) for c in find_counts(sentence)] == [(text, value, True)]


@pytest.mark.parametrize("sentence", ["The rivals settle scores", "It scores tens"])
def test_tens_and_scores_alone_are_not_amounts(sentence: str) -> None:
    assert find_counts(sentence) == []


@pytest.mark.parametrize(
    "text",
    [
        "several",
        "a number of",
        "an unknown number of",
        "a big number of",
        "a huge number of",
        "many",
        "a few",
        "some",
        "numerous",
    ],
)
def test_vague_amounts_without_a_figure_have_no_bounds(text: str) -> None:
    assert parse_count(text) == Count(None, None, False, True, text, 0, len(text), None)


@pytest.mark.parametrize(
    "sentence", ["The siege lasted several weeks", "Many years of war", "It took some days"]
)
def test_vague_words_before_a_unit_of_time_are_skipped(sentence: str) -> None:
    assert find_counts(sentence) == []


def test_a_couple_of_hundred_is_an_approximate_two_hundred() -> None:
    count = parse_count("a couple of hundred")
    assert count is not None
    assert (count.low, count.high, count.approx, count.vague) == (200, 200, True, False)


def test_some_before_a_figure_is_a_hedge_not_a_vague_amount() -> None:
    assert [(c.text, c.vague, c.approx) for c in find_counts("some 160 and some people")] == [
        ("some 160", False, True),
        ("some", True, False),
    ]


# --- "one" ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "pronoun"),
    [
        ("one of the victims was a nurse", True),
        ("No one was hurt in the blast", True),
        ("the one who fled survived", True),
        ("The strike killed one civilian", False),
        ("One soldier died and two were hurt", False),
    ],
)
def test_one_is_found_and_callers_can_spot_the_pronoun(sentence: str, pronoun: bool) -> None:
    first = find_counts(sentence)[0]
    assert (first.text.lower(), first.value) == ("one", 1)
    assert is_pronoun_one(first, sentence) is pronoun


def test_is_pronoun_one_ignores_other_counts() -> None:
    sentence = "two of the men"
    assert is_pronoun_one(find_counts(sentence)[0], sentence) is False


# --- what find_counts skips -----------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The war has killed at least 230000 people since 2011", ["at least 230000"]),
        ("Fighting in 2014 displaced 1300 families", ["1300"]),
        ("The ceasefire of March 2019 collapsed", []),
        ("On 3 March 2015 22 people died", ["22"]),
        ("On March 3 2015 22 people died", ["22"]),
        ("It was the deadliest year since the 2011 uprising", []),
        ("Between 2011 and 2014 the toll rose", []),
        ("The 2014-2015 offensive and the 2016-17 siege", []),
        ("From 2011 to 2014 the group grew", []),
        ("By mid-2014 the city had fallen", []),
        ("Air strikes killed 2000 people", ["2000"]),
        ("at least 2011 people died", ["at least 2011"]),
    ],
)
def test_years_and_dates_are_skipped(sentence: str, expected: list[str]) -> None:
    assert texts(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The blast hit at 19:14 local time",
        "Shelling began at 0147 PM",
        "The curfew starts at 1400 GMT",
        "Sirens sounded at 7 am and again at 10 p.m.",
    ],
)
def test_times_are_skipped(sentence: str) -> None:
    assert find_counts(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Prices rose 40 percent and fuel 40% in a week",
        "Turnout was 52 per cent",
        "The clashes lasted 24 hours",
        "Troops advanced 5 km over three days",
        "Aid worth $5 million and 300 dollars in cash",
        "The fund pledged US$ 20 million",
        "Shells fell every two minutes for six weeks",
        "The town was bombed three times",
    ],
)
def test_units_money_and_durations_are_skipped(sentence: str) -> None:
    assert find_counts(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "A 15-day truce was agreed",
        "A 5-year-old boy was among the dead",
        "a twenty-five-year-old medic",
        "A three-storey building collapsed",
        "The COVID-19 ward was hit",
        "An Su-25 jet was downed",
    ],
)
def test_numbers_glued_to_words_by_a_hyphen_are_skipped(sentence: str) -> None:
    assert find_counts(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The second attack came at dawn",
        "It was the 21st raid this month",
        "The 3rd brigade moved north",
        "The twenty-first convoy arrived",
    ],
)
def test_ordinals_are_skipped(sentence: str) -> None:
    assert find_counts(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The victim was aged 12",
        "Those aged between 18 and 25 were detained",
        "Most were children under five",
        "Resolution 2254 calls for a truce",
        "Convoy No. 7 was stopped on Route 4",
        "A growth rate of 2.5 was reported",
    ],
)
def test_ages_labels_and_decimals_are_skipped(sentence: str) -> None:
    assert find_counts(sentence) == []


# --- spans and ordering ---------------------------------------------------------------


def test_count_span_covers_the_qualifier_words() -> None:
    sentence = "Gunmen killed at least nine people"
    [count] = find_counts(sentence)
    assert (count.text, count.start, count.end) == ("at least nine", 14, 27)
    assert sentence[count.start : count.end] == count.text


@given(st.text(alphabet="0123456789 ,.-:atlesomnrhvfiuwdzy", max_size=60))
def test_find_counts_spans_are_exact_ordered_and_disjoint(sentence: str) -> None:
    counts = find_counts(sentence)
    for count in counts:
        assert sentence[count.start : count.end] == count.text
    for before, after in itertools.pairwise(counts):
        assert before.end <= after.start


def test_offsets_survive_characters_that_lower_case_to_two() -> None:
    sentence = "İdlib: AT LEAST NINE killed"
    [count] = find_counts(sentence)
    assert sentence[count.start : count.end] == "AT LEAST NINE"
    assert count.low == 9


def test_parse_count_offsets_skip_surrounding_spaces() -> None:
    count = parse_count("  about 40 ")
    assert count is not None
    assert (count.text, count.start, count.end, count.approx) == ("about 40", 2, 10, True)


@pytest.mark.parametrize(
    "text",
    ["", "killed", "at least", "40 percent", "nine people", "the second", "at least 21."],
)
def test_parse_count_wants_the_whole_string_to_be_a_count(text: str) -> None:
    assert parse_count(text) is None


def test_parse_count_applies_no_context_rules() -> None:
    assert parse_count("2011") == Count(2011, 2011, False, False, "2011", 0, 4, 2011)


def test_count_is_immutable() -> None:
    count = parse_count("21")
    assert count is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        count.low = 3  # type: ignore[misc]


# --- whole sentences ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Syrias war has killed at least 230000 people since 2011 and displaced millions",
            [("at least 230000", 230000, None), ("millions", 1_000_000, 1_000_000)],
        ),
        (
            "Government air strikes killed 22 civilians including nine children in Idlib "
            "on Tuesday the Observatory said",
            [("22", 22, 22), ("nine", 9, 9)],
        ),
        (
            "Some 160 people were killed and dozens wounded when a car bomb exploded near a "
            "market in the northern town at 1030 am",
            [("Some 160", 160, 160), ("dozens", 12, 12)],
        ),
        (
            "The toll rose from 10 to 15 overnight and up to six more were missing",
            [("10", 10, 10), ("15", 15, 15), ("up to six", None, 6)],
        ),
        (
            "Between 10 and 15 militants and a family of five died in the 2-day raid",
            [("Between 10 and 15", 10, 15), ("a family of five", 5, 5)],
        ),
        (
            "Police said more than 100 were arrested and 40 percent of shops shut for 24 hours",
            [("more than 100", 100, None)],
        ),
        (
            "One hundred and sixty bodies were found on 12 May 2016 the UN said",
            [("One hundred and sixty", 160, 160)],
        ),
        (
            "Rebels said they killed 1300 soldiers in 2015 a claim the army denied",
            [("1300", 1300, 1300)],
        ),
    ],
)
def test_wire_sentences(sentence: str, expected: list[tuple[str, int | None, int | None]]) -> None:
    assert bounds(sentence) == expected
