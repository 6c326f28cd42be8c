"""An uploaded spreadsheet file as text: CSV in the encodings spreadsheet programs write,
or the first sheet of an Excel workbook (.xlsx), written out as CSV.

The rest of the import reads only that text, and the preview page carries it to the
confirm button: a workbook is opened once, at the upload.

Encodings (docs/data-format.md, CSV): UTF-16 when the file starts with its byte-order
mark (Excel's "Unicode text"), UTF-8 with or without a mark, and otherwise the code page
the bytes fit best among those Windows and Mac spreadsheet programs save "CSV" in
(charset-normalizer decides, from a sample of the lines past ASCII; Western European
when it cannot). The preview names any
encoding but UTF-8, so that the user checks the accents.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass

import charset_normalizer
import openpyxl
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

WINDOWS_WESTERN = "cp1252"
# The code page is decided from this much of a file's lines that hold bytes past ASCII.
SAMPLE_BYTES = 256 * 1024
_PAST_ASCII = re.compile(rb"[\x80-\xff]")
# Below this, a byte is never the second of a two-byte character in the code pages of
# Chinese, Japanese or Korean (their second bytes are 0x40 and above).
_NEVER_SECOND_BYTE = 0x40
# The "ANSI" code pages of Windows, in which Excel saves "CSV", and the Mac's Western one.
CODE_PAGES = (
    "cp1252",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp1258",
    "cp932",
    "cp936",
    "cp949",
    "cp950",
    "mac_roman",
)

# How the preview names them.
ENCODING_NAMES = {
    "UTF-16": "UTF-16",
    "cp1252": "Windows Western European (cp1252)",
    "cp1250": "Windows Central European (cp1250)",
    "cp1251": "Windows Cyrillic (cp1251)",
    "cp1253": "Windows Greek (cp1253)",
    "cp1254": "Windows Turkish (cp1254)",
    "cp1255": "Windows Hebrew (cp1255)",
    "cp1256": "Windows Arabic (cp1256)",
    "cp1257": "Windows Baltic (cp1257)",
    "cp1258": "Windows Vietnamese (cp1258)",
    "cp932": "Windows Japanese (Shift JIS, cp932)",
    "cp936": "Windows Chinese Simplified (GBK, cp936)",
    "gbk": "Windows Chinese Simplified (GBK, cp936)",
    "cp949": "Windows Korean (cp949)",
    "cp950": "Windows Chinese Traditional (Big5, cp950)",
    "mac_roman": "Mac Roman",
}

_ZIP = b"PK\x03\x04"
_OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc: the old binary formats
# A workbook is compressed XML; its parts together may unpack to this much at most. A
# 2 MB upload of repeated cells could otherwise unpack to gigabytes.
MAX_WORKBOOK_UNPACKED = 32 * 1024 * 1024
# Of which its table of shared strings, which openpyxl reads whole on opening (4 MB a
# second here): 10,000 rows of long notes need a few.
MAX_WORKBOOK_STRINGS = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FileText:
    text: str | None  # None: not readable, and `problem` says why
    problem: str = ""
    encoding: str = ""  # what a CSV file was read in, when not UTF-8
    sheet: str = ""  # the sheet of a workbook it was read from
    sheets: int = 0  # how many sheets the workbook has


def too_large() -> str:
    return _("The file is larger than %(limit)s, the most we accept.") % {
        "limit": filesizeformat(settings.HEARBACK_MAX_IMPORT_BYTES)
    }


def one_line_break(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def file_text(raw: bytes | str, *, max_rows: int | None = None) -> FileText:
    """The text of an uploaded file (bytes) or of the preview's confirm button (text),
    with one kind of line break; or None and why not. A workbook is read up to `max_rows`
    filled rows past its first (one more than an upload may hold, for the reader to
    refuse it with its own message)."""
    limit = settings.HEARBACK_MAX_IMPORT_BYTES
    if isinstance(raw, str):
        # A browser re-sends the preview's text with CRLF: measured and read as previewed.
        text = one_line_break(raw)
        if len(text.encode("utf-8", "surrogatepass")) > limit:
            return FileText(None, too_large())
        return FileText(text.removeprefix("\ufeff"))
    if len(raw) > limit:
        return FileText(None, too_large())
    if raw.startswith(_ZIP):
        return _workbook_text(raw, max_rows)
    if raw.startswith(_OLD_EXCEL):
        return FileText(
            None,
            _(
                "This is a workbook in the old Excel format (.xls). Open it in your "
                "spreadsheet program and save it as an Excel workbook (.xlsx) or as CSV, "
                "then upload that."
            ),
        )
    text, encoding = _decoded(raw)
    if text is None:
        return FileText(
            None,
            _(
                "The file is not text we can read. In your spreadsheet program, save it "
                "as “CSV UTF-8” (or export it as CSV with the UTF-8 encoding), or as an "
                "Excel workbook (.xlsx), and try again."
            ),
        )
    return FileText(one_line_break(text).removeprefix("\ufeff"), encoding=encoding)


def _decoded(raw: bytes) -> tuple[str | None, str]:
    """The text of `raw` and the encoding it was read in ("" for UTF-8), or None."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            return None, ""
    try:
        return raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    if b"\x00" in raw:  # no text file holds NUL bytes: a binary file, or UTF-16 unmarked
        return None, ""
    # ASCII reads the same in every code page: the lines with other bytes decide which
    # one, and only a sample of them (an 18 MB file decoded whole in each candidate took
    # seconds). The file is then decoded whole once, in the best that reads all of it.
    sample = _sample(raw)
    texts = {}
    for encoding in _likely_code_pages(sample):
        try:
            texts[encoding] = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Of those that fit as well, the one that reads the most accented letters as letters
    # ("Łódź", not "£ódŸ"); of equals, the most common (the order of CODE_PAGES).
    ranked = sorted(texts, key=lambda encoding: (-_letters(texts[encoding]), _rank(encoding)))
    for encoding in ranked:
        names = [encoding]
        with contextlib.suppress(UnicodeDecodeError):
            if encoding != WINDOWS_WESTERN and sample.decode(WINDOWS_WESTERN) == texts[encoding]:
                names.insert(0, WINDOWS_WESTERN)  # the same text: its most common name
        for name in names:
            with contextlib.suppress(UnicodeDecodeError):  # a byte past the sample
                return raw.decode(name), name
    return None, ""


def _sample(raw: bytes) -> bytes:
    """The lines of `raw` that hold bytes past ASCII, joined, up to SAMPLE_BYTES; cut
    before a byte that never ends a two-byte character, so that a code page of
    Chinese, Japanese or Korean reads the sample as it reads the file. Linear in the
    size of `raw`."""
    pieces, size, at = [], 0, 0
    while size < SAMPLE_BYTES and (found := _PAST_ASCII.search(raw, at)):
        start = raw.rfind(b"\n", 0, found.start()) + 1
        end = raw.find(b"\n", found.start())
        end = len(raw) if end == -1 else end
        end = min(end, start + SAMPLE_BYTES - size + 1)  # a long line: only what is kept
        pieces.append(raw[start:end])
        size += end - start + 1
        at = end + 1
    sample = b"\n".join(pieces)
    if len(sample) > SAMPLE_BYTES:
        cut = SAMPLE_BYTES
        while cut and sample[cut] >= _NEVER_SECOND_BYTE:
            cut -= 1
        sample = sample[:cut]
    return sample


def _likely_code_pages(raw: bytes) -> list[str]:
    """The code pages charset-normalizer finds `raw` reads best in (the least "chaos":
    odd symbols and mixed scripts), Western European when it finds none. Short texts
    often fit several equally well, so all those are returned."""
    matches = list(charset_normalizer.from_bytes(raw, cp_isolation=list(CODE_PAGES)))
    if not matches:
        return [WINDOWS_WESTERN]
    least = min(match.chaos for match in matches)
    return [codecs.lookup(match.encoding).name for match in matches if match.chaos <= least + 0.01]


def _letters(text: str) -> int:
    """How well `text` reads: its letters past ASCII, less twice its other characters
    past ASCII (a symbol inside a word is a sign of the wrong code page)."""
    return sum(1 if char.isalpha() else -2 for char in text if ord(char) > 127)


def _rank(encoding: str) -> int:
    return CODE_PAGES.index(encoding) if encoding in CODE_PAGES else len(CODE_PAGES)


# ----------------------------------------------------------------------------------------
# Workbooks


def _workbook_text(raw: bytes, max_rows: int | None) -> FileText:
    """The first sheet of an .xlsx workbook as CSV text: dates as YYYY-MM-DD, whole
    numbers without ".0", yes/no for true/false."""
    not_a_workbook = FileText(
        None,
        _(
            "The file is not a spreadsheet we can read. Upload an Excel workbook (.xlsx) "
            "or a CSV file."
        ),
    )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
            unpacked = sum(part.file_size for part in parts)
            strings = sum(
                part.file_size for part in parts if part.filename == "xl/sharedStrings.xml"
            )
    except (zipfile.BadZipFile, ValueError, OSError):
        return not_a_workbook
    if "xl/workbook.xml" not in names:
        return not_a_workbook  # an OpenDocument sheet, a Word file, any zip
    if unpacked > MAX_WORKBOOK_UNPACKED or strings > MAX_WORKBOOK_STRINGS:
        return FileText(
            None,
            _(
                "This workbook unpacks to more than we read (%(limit)s, of which %(strings)s "
                "of text). Delete the sheets and columns you do not need, or save the sheet "
                "as CSV."
            )
            % {
                "limit": filesizeformat(MAX_WORKBOOK_UNPACKED),
                "strings": filesizeformat(MAX_WORKBOOK_STRINGS),
            },
        )
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(raw), read_only=True, data_only=True, keep_links=False
        )
    except Exception:  # openpyxl raises many kinds on a damaged file  # noqa: BLE001
        return not_a_workbook
    try:
        sheet = workbook.worksheets[0]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        limit = settings.HEARBACK_MAX_IMPORT_BYTES
        filled = 0
        for values in sheet.iter_rows(values_only=True):
            cells = [_cell_text(value) for value in values]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                filled += 1
            writer.writerow(cells)
            if out.tell() > limit:
                return FileText(None, too_large())
            if max_rows is not None and filled > max_rows + 1:
                break
        return FileText(
            out.getvalue().rstrip("\n") + "\n",
            sheet=sheet.title,
            sheets=len(workbook.worksheets),
        )
    except Exception:  # a damaged sheet  # noqa: BLE001
        return not_a_workbook
    finally:
        workbook.close()


def _cell_text(value) -> str:
    """A workbook cell's value as the CSV reader reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()  # a cell's date and time have no zone: its day
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return ""  # a time alone says nothing we keep
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
