"""What a spreadsheet's columns and words mean: data, not code.

- MEANINGS: what Hearback reads a column as, with the header names that propose it, in
  English, German, French and Spanish.
- TOOLS: the exports of job trackers people leave for Hearback, each with its own
  header names and status words (tools.py). A file whose first row is a tool's is read
  with that tool's table first, then the general one.
- STAGE_WORDS: what the words of a status, stage or list column mean: an outcome,
  still open, or a job never applied to (the row is left out).
- EMPTY_MARKERS: what trackers and people write in a cell that holds nothing.

docs/data-format.md (CSV) lists all of it; the preview's mapping step shows the proposal
for each column, and the user may change any of it before saving.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from applications.models import Outcome, Source
from applications.spreadsheet import tools

IGNORE = "ignore"


@dataclass(frozen=True, slots=True)
class Meaning:
    key: str
    label: str  # how the mapping step and messages name it
    aliases: tuple[str, ...]  # header names that propose it (compared by `normalise`)
    is_date: bool = False


MEANINGS = (
    Meaning(
        "company",
        gettext_lazy("company"),
        (
            "company",
            "company name",
            "employer",
            "organisation",
            "organization",
            # de, fr, es
            "firma",
            "unternehmen",
            "arbeitgeber",
            "entreprise",
            "société",
            "employeur",
            "empresa",
            "compañía",
        ),
    ),
    Meaning(
        "role",
        gettext_lazy("role"),
        (
            "role",
            "position",
            "title",
            "job",
            "job title",
            "job position",
            "stelle",
            "rolle",
            "jobtitel",
            "stellenbezeichnung",
            "poste",
            "intitulé du poste",
            "titre du poste",
            "puesto",
            "cargo",
            "título del puesto",
        ),
    ),
    Meaning(
        "applied_on",
        gettext_lazy("applied on"),
        (
            "applied",
            "applied on",
            "date applied",
            "application date",
            "applied date",
            "applied at",
            "beworben am",
            "bewerbungsdatum",
            "beworben",
            "date de candidature",
            "candidature le",
            "postulé le",
            "fecha de solicitud",
            "fecha de postulación",
            "fecha de aplicación",
            "postulado el",
        ),
        is_date=True,
    ),
    Meaning(
        "added_on",
        gettext_lazy("added on (when no applied date)"),
        (
            "created",
            "created at",
            "created on",
            "date added",
            "added",
            "added on",
            "date created",
            "erstellt am",
            "hinzugefügt am",
            "date d'ajout",
            "créé le",
            "fecha de creación",
            "añadido el",
        ),
        is_date=True,
    ),
    Meaning(
        "was_applied",
        gettext_lazy("applied? (yes or no)"),
        ("applied?", "has applied", "did apply"),
    ),
    Meaning(
        "interview_on",
        gettext_lazy("interview date"),
        (
            "interview",
            "interview date",
            "interview on",
            "latest interview",
            "vorstellungsgespräch",
            "interviewtermin",
            "gesprächstermin",
            "entretien",
            "date d'entretien",
            "date de l'entretien",
            "entrevista",
            "fecha de entrevista",
        ),
        is_date=True,
    ),
    Meaning(
        "decision_by",
        gettext_lazy("decision by"),
        (
            "decision",
            "decision by",
            "decide by",
            "expected decision",
            "response by",
            "decision date",
            "entscheidung bis",
            "rückmeldung bis",
            "réponse avant",
            "décision le",
            "respuesta antes de",
            "decisión",
        ),
        is_date=True,
    ),
    Meaning(
        "last_check_in",
        gettext_lazy("last check-in"),
        # Only words that say a contact happened: a "follow up" column holds plans.
        (
            "last check-in",
            "checked in",
            "checked in on",
            "followed up",
            "followed up on",
            "last followed up",
            "last follow up",
            "last contacted",
            "last contact",
            "nachgefasst am",
            "letzter kontakt",
            "relancé le",
            "dernière relance",
            "dernier contact",
            "último contacto",
            "seguimiento hecho el",
        ),
        is_date=True,
    ),
    Meaning(
        "notes",
        gettext_lazy("notes"),
        (
            "notes",
            "note",
            "comments",
            "comment",
            "notizen",
            "notiz",
            "bemerkungen",
            "kommentar",
            "remarques",
            "commentaires",
            "notas",
            "comentarios",
        ),
    ),
    Meaning(
        "posting_url",
        gettext_lazy("job posting URL"),
        (
            "posting url",
            "posting",
            "job posting",
            "url",
            "link",
            "job url",
            "job link",
            "stellenanzeige",
            "annonce",
            "lien",
            "oferta",
            "enlace",
        ),
    ),
    Meaning("outcome", gettext_lazy("outcome (offer, rejected or withdrawn)"), ("outcome",)),
    Meaning(
        "stage",
        gettext_lazy("status or stage"),
        (
            "status",
            "stage",
            "list",
            "state",
            "application status",
            "pipeline stage",
            "stand",
            "statut",
            "étape",
            "estado",
            "etapa",
        ),
    ),
    Meaning(
        "location",
        gettext_lazy("location"),
        ("location", "city", "where", "ort", "standort", "lieu", "ville", "ubicación", "ciudad"),
    ),
    Meaning(
        "remote",
        gettext_lazy("remote (yes or no)"),
        ("remote", "remote?", "is remote", "homeoffice", "télétravail", "remoto"),
    ),
    Meaning(
        "salary",
        gettext_lazy("salary (an amount or a range)"),
        (
            "salary",
            "salary range",
            "pay",
            "compensation",
            "salary_min-max",
            "gehalt",
            "salaire",
            "salario",
            "sueldo",
        ),
    ),
    Meaning(
        "salary_min",
        gettext_lazy("salary from"),
        ("salary min", "min salary", "minimum salary", "salary from"),
    ),
    Meaning(
        "salary_max",
        gettext_lazy("salary up to"),
        ("salary max", "max salary", "maximum salary", "salary to"),
    ),
    Meaning(
        "source",
        gettext_lazy("source (referral, LinkedIn...)"),
        ("source", "found through", "found via", "channel", "quelle", "fuente"),
    ),
)
BY_KEY = {meaning.key: meaning for meaning in MEANINGS}
DATE_KEYS = tuple(meaning.key for meaning in MEANINGS if meaning.is_date)
# What every application needs; a row may take its applied date from "added on".
REQUIRED = ("company", "role", "applied_on")


def normalise(header: str) -> str:
    """Header names compare without case, accents, spaces, underscores or dashes."""
    text = unicodedata.normalize("NFKD", header)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[\s_\-]+", "", text).casefold()


_BY_ALIAS = {normalise(alias): meaning.key for meaning in MEANINGS for alias in meaning.aliases}


# What the words of a status, stage or list column mean. Data: a tracker's own words are
# in its table (tools.py); these are the words people and most trackers use.
OPEN, NOT_SENT = "open", "not sent"
STAGE_WORDS = {
    **dict.fromkeys(
        ("rejected", "declined", "not selected", "no offer", "rejection", "unsuccessful"),
        Outcome.REJECTED.value,
    ),
    **dict.fromkeys(("withdrawn", "withdrew", "i withdrew"), Outcome.WITHDRAWN.value),
    **dict.fromkeys(
        ("offer", "offered", "accepted", "offer accepted", "hired"), Outcome.OFFER.value
    ),
    **dict.fromkeys(
        (
            "applied",
            "application sent",
            "screening",
            "screen",
            "phone screen",
            "interviewing",
            "interview",
            "interviews",
            "in progress",
            "assessment",
            "waiting",
            "follow_up_now",
            "likely_closed",
            "open",
        ),
        OPEN,
    ),
    **dict.fromkeys(
        ("wishlist", "wish list", "saved", "bookmarked", "draft", "to apply", "interested"),
        NOT_SENT,
    ),
}


def stage_key(word: str) -> str:
    """A status word as the tables compare it: no case, one space between words."""
    return " ".join(word.split()).casefold()


# Cells that mean "empty", as trackers and people write it.
EMPTY_MARKERS = frozenset(
    ("n/a", "na", "-", "—", "–", "none", "tbd", "null", "nil", "not specified", "unknown")
)

# Where a job was found, as trackers and people write it (compared in lower case); the
# values and labels of models.Source are read too. A word not here is read as "other",
# and the preview names it.
SOURCE_WORDS = {
    **dict.fromkeys(("referral", "referred", "employee referral", "friend"), Source.REFERRAL),
    **dict.fromkeys(("linkedin", "linkedin easy apply", "easy apply"), Source.LINKEDIN),
    **dict.fromkeys(
        (
            "company website",
            "company site",
            "careers page",
            "career site",
            "company careers page",
            "website",
        ),
        Source.COMPANY_SITE,
    ),
    **dict.fromkeys(
        (
            "job board",
            "indeed",
            "glassdoor",
            "monster",
            "ziprecruiter",
            "stepstone",
            "xing",
            "wellfound",
            "angellist",
            "otta",
            "welcome to the jungle",
            "dice",
            "hired",
            "teal job board",
            "simplify",
            "huntr",
            "google jobs",
            "handshake",
        ),
        Source.JOB_BOARD,
    ),
    **dict.fromkeys(("recruiter", "agency", "headhunter", "recruitment agency"), Source.RECRUITER),
    **{value: value for value in Source.values},
    **{str(label).casefold(): value for value, label in Source.choices},
}


def source_of(text: str) -> str | None:
    """The models.Source value a source cell means, or None when the word is not known."""
    return SOURCE_WORDS.get(" ".join(text.split()).casefold())


@dataclass(frozen=True, slots=True)
class Proposal:
    tool: tools.Tool | None  # the tracker whose export this looks like
    meanings: dict[int, str]  # column index -> meaning key (unnamed columns: none)


def propose(header: list[str]) -> Proposal:
    """What each column of a file's first row means, as far as its name says: the
    tracker's table first (when the row is one tool's export), then the general one. A
    meaning proposed for two columns goes to the first; the second is ignored."""
    names = [normalise(" ".join(cell.split())) for cell in header]
    tool = recognise(names)
    meanings: dict[int, str] = {}
    taken = set()
    for index, name in enumerate(names):
        if not name:
            continue
        key = _TOOL_HEADERS[tool.name].get(name) if tool is not None else None
        if key is None:
            key = _BY_ALIAS.get(name, IGNORE)
        if key != IGNORE and key in taken:
            key = IGNORE
        taken.add(key)
        meanings[index] = key
    return Proposal(tool, meanings)


_TOOL_HEADERS = {
    tool.name: {normalise(name): key for name, key in tool.headers.items()} for tool in tools.TOOLS
}


def recognise(names: list[str]) -> tools.Tool | None:
    """The tool whose export has this first row (its normalised names): the one with the
    most of its own names in it, at least three and two in three of its table."""
    present = frozenset(names)
    best, best_count = None, 0
    for tool in tools.TOOLS:
        own = _TOOL_HEADERS[tool.name]
        count = len(own.keys() & present)
        if count >= 3 and count * 3 >= len(own) * 2 and count > best_count:
            best, best_count = tool, count
    return best


def stage_meaning(word: str, tool: tools.Tool | None) -> str | None:
    """What a status word means (OPEN, NOT_SENT or an outcome), or None when not known."""
    key = stage_key(word)
    if tool is not None and key in tool.words:
        return tool.words[key]
    return STAGE_WORDS.get(key)
