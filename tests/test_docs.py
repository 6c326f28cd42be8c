"""docs/ says what the code does: the checks that are cheap and do not break on rewording.

Links resolve; the settings table matches the Preferences model; the data-format page
names every hearback/v1 field, value and limit, and its example imports; the worked
examples agree with the engine's tests; and nothing cites files outside the repository.
No database: every check reads files, model metadata or pure functions.
"""

import dataclasses
import os
import re
from pathlib import Path

import pytest
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import CharField

from applications import interchange, services, spreadsheet
from applications.models import (
    EMAIL_TEXT,
    LONG_TEXT,
    MAX_PEOPLE,
    MAX_PEOPLE_MET,
    PHONE_TEXT,
    SHORT_TEXT,
    URL_TEXT,
    Channel,
    FollowUpKind,
    InterviewFormat,
    Outcome,
    Preferences,
    ResponseOutcome,
)
from applications.status import Rules
from tests.test_status import WORKED_EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def table_rows(text: str, first_cell: str) -> dict[str, list[str]]:
    """The rows of the markdown tables in `text` whose first cell matches `first_cell`
    (a regex with one group), by that group: {"grace_days": ["`grace_days`", "2", ...]}."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            match = re.fullmatch(first_cell, cells[0])
            if match:
                rows[match.group(1)] = cells
    return rows


# --- links -------------------------------------------------------------------------------

LINK = re.compile(r"\]\(([^)\s]+)\)")


def local_links(path: Path):
    for target in LINK.findall(read(path)):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # a web address or an anchor on the same page
        yield target.split("#", 1)[0]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_every_local_link_leads_to_a_file(page):
    missing = [t for t in local_links(page) if not (page.parent / t).exists()]

    assert not missing, f"{page.relative_to(ROOT)} links to missing files: {missing}"


def test_every_docs_page_is_listed_in_the_index_and_the_index_in_the_readme():
    index = {Path(target).name for target in local_links(DOCS / "README.md")}
    pages = {page.name for page in DOCS.glob("*.md")} - {"README.md"}

    assert pages <= index, f"not in docs/README.md: {sorted(pages - index)}"
    assert "docs/README.md" in set(local_links(ROOT / "README.md"))


# --- the status rules ----------------------------------------------------------------------


def test_the_settings_table_lists_every_rule_setting_with_the_models_default_and_range():
    rows = table_rows(read(DOCS / "status-rules.md"), r"`(\w+)`")

    for setting in dataclasses.fields(Rules):
        if not setting.init:
            continue  # the engine's own bookkeeping, not a setting
        name = setting.name
        field = Preferences._meta.get_field(name)
        assert name in rows, f"docs/status-rules.md: no row for the setting {name}"
        _name, default, allowed, *_ = rows[name]
        if isinstance(field.default, bool):
            assert default == ("on" if field.default else "off"), name
            assert allowed == "on/off", name
        elif isinstance(field, CharField):
            # A code (the public holidays' place): empty by default, the allowed codes
            # the holidays library's, which the row names.
            assert default == ("empty" if field.get_default() == "" else field.get_default()), name
            assert "holidays" in allowed, name
        else:
            low = next(v.limit_value for v in field.validators if isinstance(v, MinValueValidator))
            high = next(v.limit_value for v in field.validators if isinstance(v, MaxValueValidator))
            assert default == str(field.default), name
            assert allowed == f"{low}–{high}", name
        # The engine's own default is the model's, so the table holds for both.
        assert setting.default == field.get_default(), name


def test_the_worked_examples_give_what_the_engine_tests_pin():
    rows = table_rows(read(DOCS / "status-rules.md"), r"([A-Z])")
    expected = {example.id: example.values[1] for example in WORKED_EXAMPLES}

    assert set(rows) == set(expected)
    for letter, (status, next_action) in expected.items():
        documented = rows[letter][2].strip("`"), rows[letter][3]
        assert documented == (status, next_action or "none"), f"example {letter}"


# --- the data formats ----------------------------------------------------------------------


def test_the_data_format_names_every_hearback_v1_field_and_value():
    text = read(DOCS / "data-format.md")
    keys = {
        *interchange.DOCUMENT_KEYS,
        *interchange.APPLICATION_KEYS,
        *interchange.CONTACT_KEYS,
        *interchange.INTERVIEW_KEYS,
        *interchange.FOLLOW_UP_KEYS,
        *interchange.STATUS_KEYS,
    }
    values = {
        *Outcome.values,
        *InterviewFormat.values,
        *FollowUpKind.values,
        *Channel.values,
        *ResponseOutcome.values,
    }

    assert not [key for key in sorted(keys) if f"`{key}`" not in text]
    assert not [value for value in sorted(values) if f'"{value}"' not in text]


def test_the_data_format_states_the_limits_the_code_applies():
    text = read(DOCS / "data-format.md")
    limits = {SHORT_TEXT, URL_TEXT, LONG_TEXT, EMAIL_TEXT, PHONE_TEXT}

    assert not [n for n in sorted(limits) if f"at most {n:,}" not in text]
    assert f"{interchange.MAX_REPORTED_ERRORS} errors" in text
    assert f"{interchange.MAX_UPLOAD_APPLICATIONS:,} applications" in text
    assert f"first {spreadsheet.PREVIEW_ROWS} rows" in text


def test_the_data_format_states_what_one_upload_may_hold_and_how_it_is_saved():
    text = " ".join(read(DOCS / "data-format.md").split())
    contents = interchange.MAX_UPLOAD_CONTENTS

    assert f"**{contents.contacts:,} people** (`contacts`)" in text
    assert f"**{contents.interviews:,} interviews**" in text
    assert f"**{contents.follow_ups:,} follow-ups**" in text
    assert f"**{contents.people_met:,} people met**" in text
    assert f"at most **{MAX_PEOPLE} people** (`contacts`)" in text
    assert f"at most **{MAX_PEOPLE_MET} people met** (its `contacts`)" in text
    assert f"list of contacts, at most {MAX_PEOPLE} |" in text
    assert f"list of refs, at most {MAX_PEOPLE_MET} |" in text
    assert f"{spreadsheet.MAX_COLUMNS:,} columns" in text
    assert f"saved {services.IMPORT_BATCH_ROWS['sqlite']:,} rows at a time" in text


def test_the_data_format_example_is_a_valid_document():
    block = re.search(r"```json\n(.*?)```", read(DOCS / "data-format.md"), re.DOTALL)
    data, errors = interchange.parse_json(block.group(1))

    assert errors == []
    assert interchange.validate_document(data)[1] == []


def test_the_csv_section_names_every_header_the_import_accepts_and_the_export_writes():
    text = read(DOCS / "data-format.md")
    aliases = {alias for meaning in spreadsheet.MEANINGS for alias in meaning.aliases}

    assert not [alias for alias in sorted(aliases) if alias not in text]
    assert ", ".join(spreadsheet.EXPORT_HEADER) in " ".join(text.split())
    # Each meaning as the mapping step names it.
    assert not [
        meaning.key
        for meaning in spreadsheet.MEANINGS
        if f"| {meaning.label} (`{meaning.key}`) |" not in text
    ]


def test_the_csv_section_lists_what_each_trackers_columns_and_words_become():
    text = read(DOCS / "data-format.md")
    labels = {meaning.key for meaning in spreadsheet.MEANINGS} | {"ignored"}

    for tool in spreadsheet.TOOLS:
        line = next(line for line in text.splitlines() if line.startswith(f"- **{tool.name}**"))
        for header, key in tool.headers.items():
            became = "ignored" if key == spreadsheet.IGNORE else key
            assert became in labels
            assert f"`{header}` → {became}" in line, (tool.name, header)
        for word, meaning in tool.words.items():
            assert f"`{word}` → {meaning}" in line, (tool.name, word)
    assert not [word for word in spreadsheet.STAGE_WORDS if f"`{word}`" not in text]
    lowered = text.casefold()
    assert not [marker for marker in spreadsheet.EMPTY_MARKERS if f"`{marker}`" not in lowered]


# --- citations -----------------------------------------------------------------------------

# Built from parts, so that this file does not contain what it looks for.
OUTSIDE = ("shared" + "/spec", ".." + "/shared")
NOT_OURS = {".git", ".venv", "var", "staticfiles", "__pycache__", ".pytest_cache", ".hypothesis"}


def repository_files():
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in NOT_OURS]
        for name in files:
            if name not in NOT_OURS:
                yield Path(folder, name)


def test_nothing_in_the_repository_cites_files_outside_it():
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in repository_files()
        if any(needle.encode() in path.read_bytes() for needle in OUTSIDE)
    ]

    assert not offenders, f"cite docs/ instead: {offenders}"


def test_every_markdown_file_the_code_cites_exists():
    cited = re.compile(r"(?<![\w./-])((?:[\w-]+/)*[\w-]+\.md)\b")
    missing = []
    for path in repository_files():
        if path.suffix == ".py":
            for name in cited.findall(read(path)):
                if not (ROOT / name).exists() and not (DOCS / name).exists():
                    missing.append(f"{path.relative_to(ROOT).as_posix()}: {name}")

    assert not missing


def test_the_data_format_states_how_large_a_workbook_may_unpack():
    text = " ".join(read(DOCS / "data-format.md").split())
    megabytes = spreadsheet.files.MAX_WORKBOOK_UNPACKED // 2**20
    text_megabytes = spreadsheet.files.MAX_WORKBOOK_STRINGS // 2**20

    assert f"may unpack to at most {megabytes} MB, of which at most {text_megabytes} MB" in text
