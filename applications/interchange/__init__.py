"""hearback/v1, the JSON interchange format (docs/data-format.md): `validate` reads and
checks a file, `export` writes a user's applications as one; `services.applications_import`
saves a checked file.

The upload pages, the commands, the admin and the spreadsheet import all use these
names, so they all get the same checks, the same messages and the same document.
"""

from applications.interchange.export import (
    APPLICATION_KEYS,
    CONTACT_KEYS,
    DOCUMENT_KEYS,
    FOLLOW_UP_KEYS,
    INTERVIEW_KEYS,
    STATUS_KEYS,
    dumps,
    export_document,
)
from applications.interchange.schema import (
    MAX_REPORTED_ERRORS,
    ErrorList,
    TooManyErrors,
    parse_date,
)
from applications.interchange.validate import (
    FORMAT,
    MAX_UPLOAD_APPLICATIONS,
    MAX_UPLOAD_CONTENTS,
    InvalidDocument,
    UploadContents,
    ValidApplication,
    ValidatedDocument,
    ValidContact,
    ValidFollowUp,
    ValidInterview,
    load_document,
    parse_json,
    validate_document,
)

__all__ = [
    "APPLICATION_KEYS",
    "CONTACT_KEYS",
    "DOCUMENT_KEYS",
    "FOLLOW_UP_KEYS",
    "FORMAT",
    "INTERVIEW_KEYS",
    "MAX_REPORTED_ERRORS",
    "MAX_UPLOAD_APPLICATIONS",
    "MAX_UPLOAD_CONTENTS",
    "STATUS_KEYS",
    "ErrorList",
    "InvalidDocument",
    "TooManyErrors",
    "UploadContents",
    "ValidApplication",
    "ValidContact",
    "ValidFollowUp",
    "ValidInterview",
    "ValidatedDocument",
    "dumps",
    "export_document",
    "load_document",
    "parse_date",
    "parse_json",
    "validate_document",
]
