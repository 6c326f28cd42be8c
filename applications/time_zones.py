"""The time zones a user picks from, as people look for them: by city.

The list is the tz database's own list of the zones where people live, `zone.tab` (as
the `tzdata` package ships it), plus UTC: one zone per place, none of the old names and
oddities that `zoneinfo.available_timezones()` also gives ("US/Pacific", "Factory",
"localtime", "Etc/GMT+5"). A zone already stored that is not in it (an old name chosen
before) is still offered to the user who has it, so nothing they saved stops working.

Each zone is written city first ("Los Angeles — America"), so typing a city's first
letters in the drop-down finds it; the zones most people live in come first.

A zone's old name ("Asia/Calcutta", "Europe/Kiev"), which browsers still report, stands
for the zone of the list it is now called (`current`): the sign-up page pre-selects that
one, and a form posting the old name saves the current one.

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


# Old names whose own place is in zone.tab, where the compiled links below point to another
# country's zone with the same clock (Africa/Asmera to Nairobi): the place they name, as
# the tz database's `backward` file notes it ("#= Africa/Asmara"). tzdata.zi keeps the
# links but not these notes, so they are typed here.
OLD_NAMES_OF_LISTED_PLACES = {
    "Africa/Asmera": "Africa/Asmara",
    "Africa/Timbuktu": "Africa/Bamako",
    "America/Coral_Harbour": "America/Atikokan",
    "America/Virgin": "America/St_Thomas",
    "Antarctica/South_Pole": "Antarctica/McMurdo",
    "Atlantic/Jan_Mayen": "Arctic/Longyearbyen",
    "Iceland": "Atlantic/Reykjavik",
    "Pacific/Ponape": "Pacific/Pohnpei",
    "Pacific/Truk": "Pacific/Chuuk",
    "Pacific/Yap": "Pacific/Chuuk",
}


@functools.cache
def zones() -> tuple[str, ...]:
    """Every zone where people live (zone.tab's), and UTC."""
    listed = [
        line.split("\t")[2]
        for line in tz_file("zone.tab").splitlines()
        if line and not line.startswith("#")
    ]
    return (*sorted(listed), "UTC")


@functools.cache
def old_names() -> dict[str, str]:
    """Each old name of a zone that is not in the list, and the zone of the list it is
    now called: "Asia/Calcutta" -> "Asia/Kolkata", "Etc/UTC" -> "UTC".

    Read from the tz database's links ("L current old" lines of `tzdata.zi`, which holds
    those of its `backward` file; the `tzdata` package does not ship that file itself).
    A link to a zone outside the list stands for a listed zone linked to the same one
    (Etc/Universal and UTC both link to Etc/UTC, which stands for UTC too); names with
    neither ("GMT0") are left out, as are links listed in zone.tab themselves
    (Europe/Amsterdam: a place of its own)."""
    listed = set(zones())
    links = {}
    for line in tz_file("tzdata.zi").splitlines():
        if line.startswith("L "):
            _kind, target, name = line.split()
            links[name] = target
    listed_name_of = {target: name for name, target in sorted(links.items()) if name in listed}
    old = {}
    for name, target in links.items():
        if name in listed:
            continue
        current = target if target in listed else listed_name_of.get(target)
        if current:
            old[name] = OLD_NAMES_OF_LISTED_PLACES.get(name, current)
    for target, name in listed_name_of.items():
        if target not in listed:  # Etc/UTC, the zone UTC links to
            old.setdefault(target, name)
    return old


def current(zone: str) -> str:
    """The zone of the list an old name stands for; any other name as it is."""
    return old_names().get(zone, zone)


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
