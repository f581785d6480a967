"""A deterministic synthetic corpus of scraped conflict-news pages, for benchmarks.

Pages imitate what scrapers save: plain text with a headline (often shown twice),
a dateline in one of many formats, photo captions with agency credits, the story,
then copyright lines, "You may also like" link lists and the odd leaked PHP dump;
and simple HTML article pages. Some pages hold two glued articles, and some are
near-copies of an earlier page (the same wire story with other debris) so
near-duplicate detection does real work.

Every page's story is drawn from its own seeded generator, so a near-copy can
rebuild the story it copies from a stored seed instead of keeping every page in
memory: the benchmark's parent process has to stay small (see bench_ingest.py).
"""

from __future__ import annotations

import html
import json
import random
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

GENERATOR_VERSION = 1
MANIFEST = ".manifest.json"  # dot-named: warlog's directory walk skips it

# Shares of pages; the rest are plain single-article text pages.
HTML_SHARE = 0.10
GLUED_SHARE = 0.03
NEAR_COPY_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class Theatre:
    country: str
    adjective: str
    capital: str
    since: int  # the year the war began
    places: tuple[str, ...]
    groups: tuple[str, ...]  # armed groups fighting the government
    forces: tuple[str, ...]  # the government's side and its backers


# fmt: off
THEATRES = (
    Theatre(
        "Syria",
        "Syrian",
        "Damascus",
        2011,
        ("Aleppo", "Idlib", "Deir Ezzor", "Raqqa", "Homs", "Hama", "Daraa", "Palmyra",
         "Mayadeen", "Eastern Ghouta", "Manbij", "Qamishli", "Abu Kamal", "Jisr al-Shughur"),
        ("Islamic State fighters", "Daesh militants", "Hayat Tahrir al-Sham fighters",
         "rebel factions", "jihadists", "al-Nusra Front militants"),
        ("Syrian government forces", "regime troops", "Russian warplanes",
         "pro-government militiamen", "the Syrian army", "Kurdish-led SDF fighters"),
    ),
    Theatre(
        "Iraq",
        "Iraqi",
        "Baghdad",
        2014,
        ("Mosul", "Fallujah", "Ramadi", "Tikrit", "Kirkuk", "Baiji", "Tal Afar", "Samarra",
         "Hawija", "Anbar province", "Diyala", "Sinjar"),
        ("Islamic State militants", "IS fighters", "insurgents", "suicide bombers",
         "gunmen"),
        ("Iraqi security forces", "the Popular Mobilisation Forces", "coalition aircraft",
         "Iraqi counter-terrorism troops", "Kurdish peshmerga forces"),
    ),
    Theatre(
        "Yemen",
        "Yemeni",
        "Sanaa",
        2014,
        ("Hodeidah", "Taez", "Marib", "Aden", "Saada", "Al-Bayda", "Shabwa", "Hajjah",
         "Lahj", "Mokha"),
        ("Houthi rebels", "al-Qaeda militants", "AQAP fighters", "tribal gunmen"),
        ("Saudi-led coalition jets", "pro-government forces", "southern separatists",
         "Yemeni troops", "coalition warplanes"),
    ),
    Theatre(
        "Libya",
        "Libyan",
        "Tripoli",
        2014,
        ("Sirte", "Benghazi", "Derna", "Misrata", "Sabha", "Ajdabiya", "Gharyan",
         "Tarhuna", "Zawiya"),
        ("Islamic State militants", "armed groups", "militiamen", "jihadist fighters"),
        ("forces loyal to the unity government", "Haftar's forces",
         "the Libyan National Army", "Misrata brigades"),
    ),
    Theatre(
        "Afghanistan",
        "Afghan",
        "Kabul",
        2001,
        ("Kunduz", "Helmand", "Kandahar", "Ghazni", "Nangarhar", "Herat", "Jalalabad",
         "Lashkar Gah", "Faryab", "Uruzgan", "Zabul"),
        ("Taliban fighters", "Taliban insurgents", "Islamic State Khorasan militants",
         "gunmen", "suicide attackers"),
        ("Afghan security forces", "Afghan commandos", "US air strikes",
         "the Afghan National Army", "police officers"),
    ),
    Theatre(
        "Somalia",
        "Somali",
        "Mogadishu",
        2006,
        ("Kismayo", "Baidoa", "Beledweyne", "Afgoye", "Marka", "Lower Shabelle",
         "Middle Juba", "Bosaso", "Galkayo"),
        ("al-Shabaab militants", "al-Shabaab fighters", "Islamist insurgents", "gunmen"),
        ("Somali troops", "African Union peacekeepers", "AMISOM forces",
         "US drone strikes", "Somali special forces"),
    ),
    Theatre(
        "Nigeria",
        "Nigerian",
        "Abuja",
        2009,
        ("Maiduguri", "Borno state", "Yobe", "Adamawa", "Damboa", "Bama", "Gwoza",
         "Monguno", "Konduga", "Damasak"),
        ("Boko Haram fighters", "ISWAP militants", "jihadists", "armed bandits"),
        ("Nigerian troops", "the Nigerian army", "vigilantes of the Civilian JTF",
         "the Multinational Joint Task Force"),
    ),
    Theatre(
        "Mali",
        "Malian",
        "Bamako",
        2012,
        ("Gao", "Timbuktu", "Mopti", "Kidal", "Menaka", "Segou", "Boulkessi", "Tessalit"),
        ("jihadists", "JNIM fighters", "Islamic State in the Greater Sahara militants",
         "armed men on motorbikes"),
        ("Malian soldiers", "French Barkhane troops", "UN peacekeepers",
         "the Malian army"),
    ),
    Theatre(
        "Ukraine",
        "Ukrainian",
        "Kyiv",
        2014,
        ("Donetsk", "Luhansk", "Mariupol", "Avdiivka", "Debaltseve", "Horlivka",
         "Shyrokyne", "Popasna", "Marinka", "Stanytsia Luhanska"),
        ("pro-Russian separatists", "rebel fighters", "separatist forces"),
        ("Ukrainian government troops", "Ukrainian forces", "the Ukrainian army",
         "volunteer battalions"),
    ),
)

SOURCES = (
    "the Syrian Observatory for Human Rights", "a local official", "the defence ministry",
    "a military spokesman", "medical sources", "the United Nations", "witnesses",
    "a security source who spoke on condition of anonymity", "the state news agency",
    "the provincial governor", "a hospital director", "a police spokesman",
    "residents reached by telephone", "the interior ministry", "a monitoring group",
    "Amnesty International", "the International Committee of the Red Cross",
    "a tribal elder", "an army officer", "the health ministry",
)
ROLES = (
    "deputy foreign minister", "military spokesman", "provincial governor",
    "police chief", "defence minister", "UN envoy", "army commander", "local council head",
    "rights activist", "hospital director", "district chief", "opposition leader",
)
FIRST = (
    "Ahmed", "Omar", "Sergei", "Hassan", "Mohammed", "Ali", "Abdullah", "Igor", "Fatima",
    "Khalid", "Yusuf", "Maria", "Ibrahim", "Rami", "Dmitry", "Amina", "Jean", "Mustafa",
    "Abdirahman", "Olena", "Bashir", "Nasser", "Salim", "Tariq", "Aisha", "Mahamat",
)
LAST = (
    "al-Hassan", "Rahman", "Konashenkov", "Haddad", "Abdi", "Nour", "Petrenko", "Karimi",
    "Yusufzai", "Diallo", "Traore", "al-Obeidi", "Mansour", "Sheikh", "Lavrov", "Bakr",
    "Osman", "Kovalenko", "Saleh", "Jaber", "Hamid", "Mahmoud", "Shinwari", "Coulibaly",
)
WEAPONS = (
    "a car bomb", "an improvised explosive device", "mortar fire", "a suicide bomber",
    "an air strike", "artillery shelling", "a roadside bomb", "rocket fire", "a drone strike",
    "heavy machine-gun fire", "a barrel bomb", "a landmine",
)
TARGETS = (
    "a crowded market", "an army checkpoint", "a mosque", "a military convoy", "a hospital",
    "a school", "a police station", "a displacement camp", "a wedding party", "a bus station",
    "a government building", "a bakery", "a fuel depot", "a border crossing",
)
VICTIMS = (
    "civilians", "soldiers", "militants", "fighters", "policemen", "children", "people",
    "aid workers", "members of the security forces", "worshippers",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
WHEN = (
    "on {day}", "late on {day}", "early on {day}", "on {day} morning", "overnight",
    "on {day} evening", "last week", "earlier this month", "in {month}",
)

HEADLINES = (
    "{N} {victims} killed in {place} {attack}",
    "At least {n} {victims} killed in {country}: {source_short}",
    "{Forces} retake {place} from {groups}",
    "{Groups} claim attack on {target_short} in {place}",
    "{N} dead as {weapon} hits {target} in {place}",
    "UN warns of humanitarian catastrophe in {place}",
    "{Adjective} army says {n} {groups} killed near {place}",
    "Clashes in {place} leave {n} dead, dozens wounded",
    "Death toll from {place} {attack} rises to {n}",
    "{Forces} launch offensive to recapture {place}",
    "{Country}: {n} killed as fighting flares in {place}",
    "Ceasefire collapses in {place} as {groups} advance",
    "{N} {victims} die in {place} siege, monitor says",
    "Air strikes pound {place} for {ordinal} straight day",
    "Thousands flee {place} after {groups} offensive",
    "{Groups} kill {n} in raid on {place} village",
    "{Role} says {n} foreign fighters killed in {country}",
    "Rights group accuses {forces} of abuses in {place}",
)
ATTACKS = ("attack", "bombing", "air strike", "ambush", "shelling", "suicide blast", "raid")
TARGETS_SHORT = ("checkpoint", "army base", "convoy", "hotel", "airport", "prison", "market")

# Sentence templates for story paragraphs; every {slot} is drawn anew where it occurs.
SENTENCES = (
    "At least {n} {victims} were killed and {n2} others wounded when {weapon} struck {target} in {place} {when}, {source} said.",
    "{Forces} said they had regained control of several villages on the outskirts of {place} after days of heavy fighting.",
    "{Source} said the death toll was likely to rise because many of the wounded were in critical condition.",
    "\"We heard a huge explosion and then people were screaming everywhere,\" said {person}, a shopkeeper who witnessed the attack.",
    "No group immediately claimed responsibility, but {groups} have carried out similar attacks in the area in the past.",
    "The fighting has displaced more than {big} people since {month} {year}, according to figures from the United Nations.",
    "{Person}, the {role}, told reporters in {capital} that the operation would continue until the area was secured.",
    "{Groups} said in a statement posted online that they had killed {n} members of the {adjective} security forces.",
    "The claim could not be independently verified because access to {place} is restricted for journalists.",
    "{Source} said {forces} had carried out {n} air strikes in the past 24 hours, targeting positions held by {groups}.",
    "Residents said shops and schools remained closed and that fuel and bread were running short across {place}.",
    "The conflict in {country}, which began in {since}, has killed more than {big} people and forced millions from their homes.",
    "\"The situation is catastrophic and getting worse by the hour,\" {person}, a {role}, said {when}.",
    "Aid agencies have repeatedly warned that hospitals in {place} are overwhelmed and short of medicine.",
    "The attack came a day after {forces} announced the start of a new offensive against {groups} in {place}.",
    "{Source} reported that {n} of the dead were children, and that several families had been buried under the rubble.",
    "Earlier, {weapon} killed {n} {victims} near {target} in the nearby town of {place}.",
    "Officials in {capital} have blamed {groups} for a wave of attacks that has killed at least {n2} people this month.",
    "{Forces} have been trying for weeks to push {groups} out of the districts they still hold in {place}.",
    "A spokesman for {forces} denied that civilians had been hit, saying only military targets were struck.",
    "The United Nations said it was deeply concerned by reports of civilian casualties and called for an independent investigation.",
    "The road linking {place} to {place2} has been cut for {n} days, leaving thousands of families without supplies.",
    "According to {source}, {n} {victims} were also abducted during the raid and their fate remains unknown.",
    "Medics at a field hospital in {place} said they had received {n} bodies and more than {n2} wounded by nightfall.",
    "{Person} said the attackers arrived in {n} pick-up trucks and opened fire on anyone in the street.",
    "In a separate incident {when}, {n} {victims} were killed when their vehicle hit a roadside bomb outside {place2}.",
    "The {adjective} government has vowed to hold those responsible to account and has declared {n} days of mourning.",
    "Analysts say {groups} have lost much of their territory but remain capable of staging deadly attacks.",
    "Talks on a ceasefire for {place}, brokered by the United Nations, broke down {when} without agreement.",
    "The offensive is backed by {forces}, which have provided air cover and artillery support since {month}.",
    "{Source} put the number of dead at {n}, while local activists said it was closer to {n2}.",
    "Video footage shared on social media appeared to show plumes of black smoke rising over {place}.",
    "\"They came at dawn and burned everything,\" {person} told reporters by telephone from {place2}.",
    "Government officials said {n} suspects had been arrested in connection with the attack.",
    "The area around {target} was sealed off by {forces} as rescue teams searched for survivors.",
    "More than {big} people have fled {place} since the start of the year, according to {source}.",
    "The {role} said the militants had used civilians as human shields, slowing the advance of troops.",
    "Earlier this year, {groups} seized a string of villages along the road between {place} and {place2}.",
    "The Red Cross said its teams had evacuated {n} wounded people from {place} under a temporary truce.",
    "{Forces} said {n} of their men had been killed and {n2} wounded in the clashes, the heaviest in months.",
    "Security has deteriorated sharply in {place} since {month} {year}, when {groups} stepped up their attacks.",
    "Witnesses said the blast shattered windows several hundred metres away and set nearby cars on fire.",
    "A statement from {source} said the strike had destroyed a weapons depot and a command centre.",
    "It was the deadliest attack in {place} since {month} {year}, when {n2} people were killed in a similar bombing.",
    "Local authorities imposed a curfew on {place} {when} and closed the main roads into the city.",
    "{Person}, who fled with his family to {place2}, said shelling had hit their neighbourhood every night for a week.",
    "The {adjective} foreign ministry condemned the attack as a \"cowardly act of terrorism\" and urged international support.",
    "Diplomats said the UN Security Council would hold an emergency meeting on {country} later in the week.",
    "{Groups} have been weakened by months of air strikes but still control pockets of territory near {place}.",
    "Fighting also broke out in {place2}, where {n} {victims} were reported killed, {source} said.",
)
CAPTIONS = (
    "{Forces} stand guard at a checkpoint in {place}",
    "Smoke rises over {place} after an air strike",
    "Residents inspect the damage at a market in {place} following {weapon}",
    "Displaced families wait for aid at a camp near {place}",
    "A member of {forces} walks past a destroyed building in {place}",
    "Mourners carry the coffin of a victim during a funeral in {place}",
    "Rescue workers search for survivors under the rubble in {place}",
    "A military vehicle drives along a road outside {place} on {month} {d}, {year}",
)
CREDITS = (
    "AFP / {PERSON}", "AFP", "Reuters", "Reuters/{Person}", "AP Photo/{Person}", "Screenshot",
    "File photo", "Anadolu Agency", "EPA/{PERSON}", "Handout", "Getty Images",
)
OUTLETS = (
    ("Al Arabiya", "english.alarabiya.net"), ("Press TV", "presstv.ir"), ("Arab News", "arabnews.com"),
    ("Daily Sabah", "dailysabah.com"), ("The New Arab", "newarab.com"), ("Al Bawaba", "albawaba.com"),
    ("Kurdistan 24", "kurdistan24.net"), ("Middle East Monitor", "middleeastmonitor.com"),
    ("Garowe Online", "garoweonline.com"), ("Premium Times", "premiumtimesng.com"),
    ("Kyiv Post", "kyivpost.com"), ("TOLOnews", "tolonews.com"), ("Libya Observer", "libyaobserver.ly"),
    ("The Defense Post", "thedefensepost.com"), ("dpa", "dpa-international.com"),
    ("Asharq Al-Awsat", "english.aawsat.com"), ("Ahram Online", "english.ahram.org.eg"),
)
COPYRIGHTS = (
    "© {year} {outlet}", "Copyright © {year} {outlet}. All rights reserved.",
    "© {year} dpa GmbH", "All rights reserved © {outlet} {year}", "(c) {year} {outlet}",
    "© Copyright {year}, {outlet}",
)
TRAILERS = ("You may also like", "Related Articles", "Read more", "Related", "More from {outlet}")
SITE_HEADERS = ("Latest news", "Breaking News", "Top Stories", "Trending Now", "Menu", "Home")
BYLINES = ("By admin", "By {Person}", "By Staff Writer", "Written by {Person}", "Photo of author")
# fmt: on


def _num(rng: random.Random, lo: int, hi: int) -> str:
    n = rng.randint(lo, hi)
    # Newsrooms write small numbers as words and large ones with thousands separators.
    if n < 10 and rng.random() < 0.5:
        return ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")[n - 1]
    return f"{n:,}"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(slots=True)
class _Filler:
    """Fills template slots for one story, keeping its theatre and date."""

    rng: random.Random
    theatre: Theatre
    published: date

    def fill(self, template: str) -> str:
        return _SLOT.sub(self._slot, template)

    def _slot(self, m: re.Match[str]) -> str:
        name = m.group(1)
        value = _SLOTS[name.lower()](self)
        if name.isupper():
            return value.upper()
        if name[0].isupper():
            return value[0].upper() + value[1:]
        return value


_SLOTS: dict[str, Callable[[_Filler], str]] = {
    "n": lambda f: _num(f.rng, 2, 160),
    "n2": lambda f: _num(f.rng, 3, 400),
    "big": lambda f: (
        f"{f.rng.choice((10, 25, 50, 120, 250, 380)) * 1000 + f.rng.randint(0, 99) * 100:,}"
    ),
    "victims": lambda f: f.rng.choice(VICTIMS),
    "place": lambda f: f.rng.choice(f.theatre.places),
    "place2": lambda f: f.rng.choice(f.theatre.places),
    "country": lambda f: f.theatre.country,
    "adjective": lambda f: f.theatre.adjective,
    "capital": lambda f: f.theatre.capital,
    "since": lambda f: str(f.theatre.since),
    "groups": lambda f: f.rng.choice(f.theatre.groups),
    "forces": lambda f: f.rng.choice(f.theatre.forces),
    "source": lambda f: f.rng.choice(SOURCES),
    "source_short": lambda f: f.rng.choice(("monitor", "officials", "Moscow", "UN", "army")),
    "person": lambda f: _person(f.rng),
    "role": lambda f: f.rng.choice(ROLES),
    "weapon": lambda f: f.rng.choice(WEAPONS),
    "target": lambda f: f.rng.choice(TARGETS),
    "target_short": lambda f: f.rng.choice(TARGETS_SHORT),
    "attack": lambda f: f.rng.choice(ATTACKS),
    "when": lambda f: f.fill(f.rng.choice(WHEN)),
    # A story's "on Tuesday" falls within the few days before it was published.
    "day": lambda f: DAYS[f.published.weekday() - f.rng.randint(0, 2)],
    "month": lambda f: MONTHS[f.rng.randint(0, 11)],
    "year": lambda f: str(f.rng.randint(2011, f.published.year)),
    "d": lambda f: str(f.rng.randint(1, 28)),
    "ordinal": lambda f: f.rng.choice(("second", "third", "fourth", "fifth", "sixth")),
}


def make_title(rng: random.Random) -> str:
    """A headline alone, for link lists that name other stories."""
    published = date(2012, 1, 1) + timedelta(days=rng.randint(0, 365 * 9))
    title = _Filler(rng, rng.choice(THEATRES), published).fill(rng.choice(HEADLINES))
    return title[0].upper() + title[1:]


@dataclass(frozen=True, slots=True)
class Story:
    """What a page says, independent of how a site dressed it."""

    title: str
    published: date
    paragraphs: tuple[str, ...]
    theatre: Theatre


def make_story(seed: int) -> Story:
    rng = random.Random(seed)
    theatre = rng.choice(THEATRES)
    published = date(2012, 1, 1) + timedelta(days=rng.randint(0, 365 * 9))
    f = _Filler(rng, theatre, published)
    title = f.fill(rng.choice(HEADLINES))
    title = title[0].upper() + title[1:]
    paragraphs = []
    for _ in range(rng.randint(8, 30)):
        target = rng.randint(20, 60)
        words: list[str] = []
        used: set[int] = set()
        while len(words) < target:
            k = rng.randrange(len(SENTENCES))
            if k in used:
                continue  # a reporter does not repeat a sentence within a paragraph
            used.add(k)
            sentence = f.fill(SENTENCES[k]).split()
            # Stop short rather than overshoot the paragraph's length by a whole sentence.
            if words and len(words) + len(sentence) > 60:
                break
            words.extend(sentence)
        paragraphs.append(" ".join(words))
    if rng.random() < 0.25:
        # Wire ledes open with the place in capitals, as in "BEIRUT: ...".
        paragraphs[0] = (
            f"{theatre.capital.upper()}{rng.choice((': ', ' (AFP) - ', ' - '))}{paragraphs[0]}"
        )
    return Story(title, published, tuple(paragraphs), theatre)


def dateline(rng: random.Random, d: date) -> str:
    month, mon = MONTHS[d.month - 1], MONTHS[d.month - 1][:3]
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(d.day, "th")
    hh, mm, ss = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
    formats = (
        f"Published {month} {d.day}{suffix}, {d.year} - {hh:02d}:{mm:02d} GMT",
        f"{d.day:02d} {month} {d.year}",
        f"Updated {d.day} {month} {d.year}",
        f"{DAYS[d.weekday()][:3]} {mon} {d.day}, {d.year} {hh:02d}:{mm:02d}:{ss:02d}",
        f"{DAYS[d.weekday()]}, {d.day} {month} {d.year}",
        f"Posted on {month} {d.day}, {d.year}",
        f"{d.isoformat()}",
        f"{d.day:02d}.{d.month:02d}.{d.year}",
        f"Last updated: {mon} {d.day}, {d.year} at {hh % 12 + 1}:{mm:02d} pm",
        f"{month} {d.day}, {d.year} | {hh:02d}:{mm:02d}",
    )
    return rng.choice(formats)


@dataclass(slots=True)
class Debris:
    """How one site dressed a story: drawn from its own generator, apart from the story."""

    rng: random.Random
    outlet: tuple[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.outlet = self.rng.choice(OUTLETS)

    def filler(self, story: Story) -> _Filler:
        return _Filler(self.rng, story.theatre, story.published)

    def caption(self, story: Story) -> str:
        f = self.filler(story)
        credit = f.fill(self.rng.choice(CREDITS))
        return f"{f.fill(self.rng.choice(CAPTIONS))}. ({credit})"

    def related(self) -> list[str]:
        return [make_title(self.rng) for _ in range(self.rng.randint(0, 5))]

    def php_dump(self) -> str:
        items = []
        for _ in range(self.rng.randint(3, 12)):
            n = self.rng.randint(1_700_000, 1_800_000)
            y, m, d = self.rng.randint(2014, 2019), self.rng.randint(1, 12), self.rng.randint(1, 28)
            title = make_title(self.rng)
            item = {
                "id": str(n),
                "sort": str(n + 1_690_000),
                "contenttypeid": "21",
                "pic": f"/{y}/{m:02d}/{d:02d}/img_{self.rng.getrandbits(40)}_4x3.jpg",
                "title": title,
            }
            items.append(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
        payload = "[" + " ,".join(items) + " ]"
        return f'string({len(payload.encode())}) "{payload}"'


def render_text_article(story: Story, dress: Debris, *, first: bool) -> list[str]:
    """Lines of one article as a text scrape shows it, furniture included."""
    rng = dress.rng
    lines: list[str] = []
    if first and rng.random() < 0.25:
        lines += [
            f"{DAYS[story.published.weekday()]}, {dateline_plain(story.published)}",
            rng.choice(SITE_HEADERS),
            f"Main » {story.title}",
            "",
        ]
    lines += [story.title, ""]
    if rng.random() < 0.45:
        lines += [story.title]
    if rng.random() < 0.15:
        lines += [dress.filler(story).fill(rng.choice(BYLINES)), ""]
    captions: list[str] = []
    r = rng.random()
    if r < 0.12:
        n = rng.randint(2, 4)
        for i in range(n):
            captions += [f"{i + 1} / {n}", dress.caption(story)]
    elif r < 0.50:
        c = dress.caption(story)
        captions += [c, c] if rng.random() < 0.3 else [c]
    date_line = (
        dateline(rng, story.published)
        if rng.random() < 0.92
        else f"Updated {rng.randint(2, 50)} min ago"
    )
    lines += [*captions, date_line] if rng.random() < 0.5 else [date_line, *captions]
    lines += [""]
    paragraphs = list(story.paragraphs)
    if rng.random() < 0.08:
        lines += [f"  • {paragraphs[0]}", f"  • {paragraphs[min(2, len(paragraphs) - 1)]}", ""]
    sep = ["", ""] if rng.random() < 0.1 else [""] if rng.random() < 0.85 else []
    for p in paragraphs:
        lines += [p, *sep]
    return lines


def dateline_plain(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def render_text(stories: list[Story], dress: Debris) -> str:
    rng = dress.rng
    lines: list[str] = []
    for i, story in enumerate(stories):
        lines += render_text_article(story, dress, first=i == 0)
    name = dress.outlet[0]
    if rng.random() < 0.5:
        year = stories[0].published.year + rng.randint(0, 4)
        lines += ["", rng.choice(COPYRIGHTS).format(year=year, outlet=name)]
    if rng.random() < 0.35:
        lines += ["", rng.choice(TRAILERS).format(outlet=name), *dress.related()]
    if rng.random() < 0.06:
        lines += ["", "", dress.php_dump()]
    text = "\n".join(lines).rstrip("\n")
    return text + ("\n" if rng.random() < 0.7 else "")


def render_html(story: Story, dress: Debris) -> str:
    rng = dress.rng
    e = html.escape
    name, domain = dress.outlet
    slug = re.sub(r"[^a-z0-9]+", "-", story.title.lower()).strip("-")
    url = f"https://{domain}/{story.published.year}/{story.published.month:02d}/{slug}"
    head = [
        f"<title>{e(story.title)} | {e(name)}</title>",
        '<meta charset="utf-8">',
        f'<meta property="article:published_time" content="{story.published.isoformat()}">',
    ]
    if rng.random() < 0.5:
        head.append(f'<meta property="og:site_name" content="{e(name)}">')
    if rng.random() < 0.5:
        head.append(f'<link rel="canonical" href="{e(url)}">')
    nav = "".join(
        f'<li><a href="/{s.lower().replace(" ", "-")}">{s}</a></li>'
        for s in ("Home", "World", "Middle East", "Africa", "Opinion", "Video")
    )
    body = [
        f"<header><nav><ul>{nav}</ul></nav></header>",
        "<main><article>",
        f"<h1>{e(story.title)}</h1>",
    ]
    if rng.random() < 0.3:
        body.append(f'<p class="byline">By {e(_person(rng))}</p>')
    if rng.random() < 0.4:
        body.append(
            f'<figure><img src="/img/{rng.getrandbits(40)}.jpg" alt="">'
            f"<figcaption>{e(dress.caption(story))}</figcaption></figure>"
        )
    body += [f"<p>{e(p)}</p>" for p in story.paragraphs]
    body.append("</article></main>")
    if rng.random() < 0.6:
        links = "".join(
            f'<li><a href="/news/{rng.getrandbits(32)}">{e(t)}</a></li>' for t in dress.related()
        )
        body.append(f"<aside><h2>You may also like</h2><ul>{links}</ul></aside>")
    year = story.published.year
    body.append(f"<footer><p>© {year} {e(name)}. All rights reserved.</p></footer>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head>'
        + "\n".join(head)
        + "</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


@dataclass(slots=True)
class Manifest:
    """What was planted, so a run can be checked against it."""

    pages: int
    seed: int
    version: int = GENERATOR_VERSION
    text_pages: int = 0
    html_pages: int = 0
    glued_pages: int = 0
    near_copies: int = 0
    articles: int = 0
    bytes: int = 0


def generate(out: Path, pages: int, seed: int = 20261122) -> Manifest:
    """Write ``pages`` pages under ``out`` (1,000 to a folder) and a manifest beside them."""
    rng = random.Random(seed)
    man = Manifest(pages=pages, seed=seed)
    # Story seeds of single-story pages so far: near-copies pick their original here.
    originals: list[int] = []
    for i in range(pages):
        dress = Debris(random.Random(rng.getrandbits(64)))
        r = rng.random()
        if originals and r < NEAR_COPY_SHARE:
            stories = [_edited(make_story(rng.choice(originals)), rng)]
            man.near_copies += 1
        elif r < NEAR_COPY_SHARE + GLUED_SHARE:
            stories = [make_story(rng.getrandbits(64)), make_story(rng.getrandbits(64))]
            man.glued_pages += 1
        else:
            story_seed = rng.getrandbits(64)
            originals.append(story_seed)
            stories = [make_story(story_seed)]
        as_html = len(stories) == 1 and rng.random() < HTML_SHARE
        body = render_html(stories[0], dress) if as_html else render_text(stories, dress)
        path = out / f"{i // 1000:03d}" / f"{i:06d}.{'html' if as_html else 'txt'}"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = body.encode("utf-8")
        path.write_bytes(data)
        man.bytes += len(data)
        man.articles += len(stories)
        if as_html:
            man.html_pages += 1
        else:
            man.text_pages += 1
    (out / MANIFEST).write_text(json.dumps(asdict(man), indent=2) + "\n", encoding="utf-8")
    return man


def _edited(story: Story, rng: random.Random) -> Story:
    """The same wire story as another site ran it: trimmed or lightly rewritten, or verbatim."""
    paras = list(story.paragraphs)
    r = rng.random()
    if r < 0.3 and len(paras) > 8:
        paras = paras[:-1]  # the republisher cut the last paragraph
    elif r < 0.6:
        i = rng.randrange(len(paras))
        words = paras[i].split()
        words[rng.randrange(len(words))] = rng.choice(("reportedly", "also", "later", "again"))
        paras[i] = " ".join(words)
    return Story(story.title, story.published, tuple(paras), story.theatre)


def read_manifest(out: Path) -> dict[str, int] | None:
    try:
        found = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None
