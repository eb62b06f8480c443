"""What a citizen may attach to an appeal: a few documents and photos, checked by content.

A file's name and its declared type are the sender's word; its first bytes are not. A file
whose content does not match its name is refused, so a script renamed to .pdf never lands.
"""

import zipfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

MAX_FILES = 3
MAX_SIZE = 5 * 1024 * 1024
# Extension -> (what the content must start with, the type we store and serve it as).
KINDS = {
    ".pdf": (b"%PDF-", "application/pdf"),
    ".jpg": (b"\xff\xd8\xff", "image/jpeg"),
    ".jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    ".png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    ".docx": (
        b"PK\x03\x04",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


def attachment_errors(files: list[Any]) -> list[str]:
    """Return what is wrong with the uploaded files, in the reader's language."""
    errors: list[str] = []
    if len(files) > MAX_FILES:
        errors.append(_("Attach at most %(count)s files.") % {"count": MAX_FILES})
    for upload in files:
        name = Path(upload.name or "").name
        kind = KINDS.get(Path(name).suffix.lower())
        if kind is None:
            errors.append(
                _("“%(name)s”: attach PDF, JPEG, PNG or DOCX files only.") % {"name": name}
            )
        elif upload.size > MAX_SIZE:
            errors.append(_("“%(name)s” is larger than 5 MB.") % {"name": name})
        elif not _content_matches(upload, kind[0]):
            errors.append(
                _("“%(name)s” is not what its name says: its content is of another kind.")
                % {"name": name}
            )
    return errors


def content_type_for(name: str) -> str:
    return KINDS[Path(name).suffix.lower()][1]


def _content_matches(upload: Any, magic: bytes) -> bool:
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        return False
    if magic == b"PK\x03\x04":
        # Any zip starts so; a Word document has its main part inside.
        try:
            with zipfile.ZipFile(upload) as archive:
                ok = "word/document.xml" in archive.namelist()
        except zipfile.BadZipFile:
            ok = False
        upload.seek(0)
        return ok
    return True
