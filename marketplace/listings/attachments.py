"""Attachment files: type checked by content, stored under random names in UPLOAD_FOLDER."""
import io
import os
import secrets
import zipfile

from flask import current_app
from flask_babel import gettext as _

from marketplace.core.errors import ValidationError
from marketplace.core.text import normalize
from marketplace.extensions import db
from marketplace.listings.models import Attachment
from marketplace.listings.services import queue_second_look

MAX_PER_LISTING = 20

# (content type, extension) by what the bytes say the file is
TYPES = {
    "pdf": ("application/pdf", ".pdf"),
    "png": ("image/png", ".png"),
    "jpeg": ("image/jpeg", ".jpg"),
    "gif": ("image/gif", ".gif"),
    "webp": ("image/webp", ".webp"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}


def sniff(data):
    """The kind of file `data` holds ('pdf', 'png', ..., 'docx', 'xlsx'), or None when not allowed."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    return None


def check_upload(data):
    """The (content type, extension) of an uploaded file's bytes; ValidationError when the file is empty, over
    MAX_ATTACHMENT_BYTES or not of an accepted type (judged by its content, never by its name)."""
    limit = current_app.config.get("MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
    if not data:
        raise ValidationError(_("The file is empty."), field="file")
    if len(data) > limit:
        raise ValidationError(_("The file is too large (10 MB at most)."), field="file")
    kind = sniff(data)
    if kind is None:
        raise ValidationError(_("Only PDF, images (PNG, JPEG, GIF, WebP), DOCX and XLSX files are accepted."),
                              field="file")
    return TYPES[kind]


def store_upload(filename, data, folder, extension):
    """Write checked bytes under a random name in `folder`; returns (the name to show, with the extension the
    content says, the stored name, the path)."""
    name = os.path.basename(normalize(filename).replace("\\", "/")) or "file"
    stem = os.path.splitext(name)[0][:120] or "file"
    stored = secrets.token_hex(16) + extension
    path = os.path.join(folder, stored)
    with open(path, "wb") as fh:
        fh.write(data)
    return stem + extension, stored, path


def _folder():
    folder = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    return folder


def file_path(attachment):
    """Where an attachment's bytes live on disk."""
    return os.path.join(_folder(), attachment.stored_name)


def add_attachment(listing, user, filename, data, is_public=False):
    """Check and store an uploaded file for a listing; returns the Attachment."""
    content_type, extension = check_upload(data)
    if len(listing.attachments) >= MAX_PER_LISTING:
        raise ValidationError(_("A listing can have at most %(n)s files.", n=MAX_PER_LISTING), field="file")
    original_name, stored, path = store_upload(filename, data, _folder(), extension)
    attachment = Attachment(
        listing=listing, original_name=original_name, stored_name=stored, content_type=content_type,
        size=len(data), is_public=bool(is_public), uploaded_by_id=getattr(user, "id", None),
    )
    db.session.add(attachment)
    # a new file on a public listing gets the department's second look, as a content edit does
    queue_second_look(listing, user, message=attachment.original_name)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        os.remove(path)
        raise
    return attachment


def delete_attachment(attachment):
    """Remove an attachment and, once the row is gone, its file."""
    path = file_path(attachment)
    db.session.delete(attachment)
    db.session.commit()
    remove_paths([path])


def remove_paths(paths):
    """Delete stored files (missing files are ignored)."""
    for path in paths:
        try:
            os.remove(path)
        except OSError:
            pass
