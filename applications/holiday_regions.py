"""The places whose public holidays can count as days off (docs/status-rules.md, rule 8),
in words, and a guess of the country from a time zone.

The codes are the `holidays` library's own: its supported countries (ISO 3166-1 alpha-2,
`holidays.list_supported_countries`) and, per country, its subdivisions. The names come
from the library too: a country's from the class name its registry gives it
("UnitedStates" -> "United States"), a subdivision's from the entity class's
`subdivisions_aliases` (name -> code). Nothing here is a list of our own that could
drift from the library's.

The guess reads the tz database's own zone-to-country table, `zone.tab`, as the
`tzdata` package ships it (a dependency: it is there on any machine that installed
Hearback from PyPI), with the database's links (`tzdata.zi`, "L target link") so that
an old name such as US/Pacific or Asia/Calcutta finds its country too.

Pure functions of the installed libraries; each table is built once per process.
"""

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass

import holidays
from django.utils.translation import gettext as _
from holidays import registry

from applications.time_zones import tz_file

# Names the registry's class names cannot spell: accents, commas, hyphens.
COUNTRY_NAMES = {
    "AX": "Åland Islands",
    "BL": "Saint Barthélemy",
    "BQ": "Bonaire, Sint Eustatius and Saba",
    "CW": "Curaçao",
    "GW": "Guinea-Bissau",
    "HM": "Heard Island and McDonald Islands",
    "RE": "Réunion",
    "SH": "Saint Helena, Ascension and Tristan da Cunha",
    "TL": "Timor-Leste",
}
# Words that stay small inside a name ("Bosnia and Herzegovina").
SMALL_WORDS = {"And": "and", "The": "the", "Of": "of", "Da": "da"}
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z][a-z]*|[a-z]+|[0-9]+")


def _sort_key(name: str) -> str:
    """Names in alphabetical order whatever their accents ("Åland" among the A's)."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def _words(class_name: str) -> str:
    words = _WORD.findall(class_name)
    return " ".join([words[0], *(SMALL_WORDS.get(word, word) for word in words[1:])])


@functools.cache
def _classes() -> dict[str, str]:
    """Country code -> the name of the library's class for it, for every country the
    library supports (its aliases, such as UK for GB, left out)."""
    supported = holidays.list_supported_countries(include_aliases=False)
    return {
        code: class_name
        for class_name, code, *_aliases in registry.COUNTRIES.values()
        if code in supported
    }


@functools.cache
def countries() -> dict[str, str]:
    """Code -> name of every country the library knows, in the order of the names."""
    names = {
        code: COUNTRY_NAMES.get(code) or _words(class_name)
        for code, class_name in _classes().items()
    }
    return dict(sorted(names.items(), key=lambda item: _sort_key(item[1])))


def _subdivision_name(code: str, names: list[str]) -> str:
    """The first of `names` (the library's aliases of `code`, in its order) that is not
    an abbreviation: "Guadeloupe", not "GP" or "GUA"; else the first, else the code."""
    for name in names:
        if not name.isupper():
            return name
    return names[0] if names else code


@functools.cache
def subdivisions() -> dict[str, dict[str, str]]:
    """Country code -> {subdivision code: name} in the order of the names, for every
    country with subdivisions."""
    supported = holidays.list_supported_countries(include_aliases=False)
    table = {}
    for code, class_name in _classes().items():
        if not supported[code]:
            continue
        aliases = getattr(holidays, class_name).subdivisions_aliases or {}
        names_of = {}
        for name, subdivision in aliases.items():
            names_of.setdefault(subdivision, []).append(name)
        named = {
            subdivision: _subdivision_name(subdivision, names_of.get(subdivision, []))
            for subdivision in supported[code]
        }
        table[code] = dict(sorted(named.items(), key=lambda item: _sort_key(item[1])))
    return table


def region_in_words(country: str, subdivision: str = "") -> str:
    """ "United States — California", "Germany", or "" for none (codes as stored)."""
    if not country:
        return ""
    name = countries().get(country, country)
    if not subdivision:
        return name
    return f"{name} — {subdivisions().get(country, {}).get(subdivision, subdivision)}"


def region_problem(country: str, subdivision: str) -> tuple[str, str] | None:
    """(field, message) when these codes are not a place of the library's: an unknown
    country, a subdivision without a country, or one not of that country. None when
    they are fine ("" and "" is: no public holidays)."""
    if country and country not in countries():
        return "holiday_country", _(
            "“%(code)s” is not a country whose public holidays we know."
        ) % {"code": country}
    if not subdivision:
        return None
    if not country:
        return "holiday_subdivision", _(
            "Choose the country too: a region's holidays are counted with its country's."
        )
    if subdivision not in subdivisions().get(country, {}):
        return "holiday_subdivision", _(
            "“%(code)s” is not a region of %(country)s whose holidays we know."
        ) % {"code": subdivision, "country": countries()[country]}
    return None


@dataclass(frozen=True, slots=True)
class Holiday:
    date: datetime.date
    name: str


def next_holiday(country: str, subdivision: str, *, after: datetime.date) -> Holiday | None:
    """The first public holiday of the place after `after` (within the year after it),
    named in the library's default language: what the settings page shows, so that the
    user sees the choice at work. None for no place, or none within the year."""
    if not country:
        return None
    days = holidays.country_holidays(
        country, subdiv=subdivision or None, years=(after.year, after.year + 1)
    )
    later = sorted(day for day in days if after < day <= after + datetime.timedelta(days=366))
    return Holiday(later[0], days[later[0]]) if later else None


# ----------------------------------------------------------------------------------------
# A country from a time zone


@functools.cache
def _zone_countries() -> dict[str, str]:
    """Zone name -> country code: zone.tab's rows (one country per zone), then each link
    to one of those zones (an old name, or a zone merged into another country's)."""
    table = {}
    for line in tz_file("zone.tab").splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, zone, *_comment = line.split("\t")
            table[zone] = code
    for line in tz_file("tzdata.zi").splitlines():
        if line.startswith("L "):
            _link, target, name = line.split()
            if name not in table and target in table:
                table[name] = table[target]
    return table


def country_for_time_zone(zone: str) -> str:
    """The country whose public holidays someone living in `zone` most likely keeps: the
    tz database's country for it, when the holidays library knows that country; "" for a
    zone of no country (UTC, Etc/GMT+5) or one we do not know. A guess, to offer (sign-up
    shows it, for the user to keep or change), never to apply unseen."""
    code = _zone_countries().get(zone, "")
    return code if code in countries() else ""
