"""The time zones a user picks from, as people look for them: by city.

The list is the tz database's own list of the zones where people live, `zone.tab` (as
the `tzdata` package ships it), plus UTC: one zone per place, none of the old names and
oddities that `zoneinfo.available_timezones()` also gives ("US/Pacific", "Factory",
"localtime", "Etc/GMT+5"). A zone already stored that is not in it (an old name chosen
before) is still offered to the user who has it, so nothing they saved stops working.

Each zone is written city first ("Los Angeles — America"), so typing a city's first
letters in the drop-down finds it; the zones most people live in come first.

Pure functions of the installed `tzdata`; the table is read once per process.
"""

import functools
from importlib import resources

from django.utils.translation import gettext as _

# The zones most users live in, offered first (each is in zone.tab, UTC aside).
COMMON = (
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Toronto",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Madrid",
    "Europe/Paris",
    "Europe/Amsterdam",
    "Europe/Berlin",
    "Europe/Warsaw",
    "Europe/Kyiv",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "UTC",
)


def tz_file(name: str) -> str:
    """A file of the tz database as the `tzdata` package ships it."""
    return (resources.files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")


@functools.cache
def zones() -> tuple[str, ...]:
    """Every zone where people live (zone.tab's), and UTC."""
    listed = [
        line.split("\t")[2]
        for line in tz_file("zone.tab").splitlines()
        if line and not line.startswith("#")
    ]
    return (*sorted(listed), "UTC")


def label(zone: str) -> str:
    """ "Los Angeles — America", "Buenos Aires — America/Argentina"; UTC as it is."""
    area, _slash, city = zone.rpartition("/")
    if not area:
        return zone.replace("_", " ")
    return f"{city.replace('_', ' ')} — {area.replace('_', ' ')}"


def choices(current: str = "") -> list:
    """The drop-down's groups: the common zones, then every zone by city. `current`, a
    zone stored before that is not in the list, is offered first, as it is."""
    everything = sorted(zones(), key=lambda zone: label(zone).casefold())
    groups = []
    if current and current not in zones():
        groups.append((_("Your current zone"), [(current, current.replace("_", " "))]))
    groups.append((_("Common"), [(zone, label(zone)) for zone in COMMON]))
    groups.append((_("All, by city"), [(zone, label(zone)) for zone in everything]))
    return groups
