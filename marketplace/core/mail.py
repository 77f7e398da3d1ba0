"""Outgoing e-mail: written to INSTANCE_PATH/outbox as .eml files (and logged), or sent by SMTP when
MAIL_SERVER is set."""
import logging
import os
import smtplib
import uuid
from email.header import Header
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import formatdate, make_msgid

from flask import current_app

log = logging.getLogger(__name__)


class _EncodedWordsHeader(UnstructuredHeader):
    """An unstructured header (Subject) whose non-ASCII text is folded by email.header.Header.

    Python 3.11's email folding drops the space where it breaks a line between two encoded words
    ("Hà Nam đã" arrives as "Hà Namđã"); Header keeps every space inside the encoded words, so any reader
    decodes the text exactly. ASCII text is folded at its spaces as before (no encoded words there)."""

    def fold(self, *, policy):
        text = str(self)
        if text.isascii():
            return super().fold(policy=policy)
        encoded = Header(text, "utf-8", maxlinelen=policy.max_line_length or 78, header_name=self.name)
        return f"{self.name}: {encoded.encode(linesep=policy.linesep)}{policy.linesep}"


_headers = HeaderRegistry()
_headers.map_to_type("subject", _EncodedWordsHeader)
# The standard policy (and so smtplib's send_message, which flattens with the message's policy), but with a
# Subject that survives folding.
MAIL_POLICY = default_policy.clone(header_factory=_headers)


def send_mail(to, subject, body):
    """Send a plain-text message to one address; returns the EmailMessage that went out."""
    config = current_app.config
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["From"] = config["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="sangiaodich.local")
    msg.set_content(body)
    if config.get("MAIL_SERVER"):
        _send_smtp(config, msg)
        log.info("mail sent to %s: %s", to, subject)
    else:
        os.makedirs(config["MAIL_OUTBOX"], exist_ok=True)
        path = os.path.join(config["MAIL_OUTBOX"], f"{uuid.uuid4().hex}.eml")
        with open(path, "wb") as fh:
            fh.write(bytes(msg))
        log.warning("mail to %s written to %s: %s", to, path, subject)
    return msg


def _send_smtp(config, msg):
    cls = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    with cls(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(msg)


def public_url(endpoint, **values):
    """An absolute link for e-mail, built on the PUBLIC_URL setting, never on the request's Host header
    (a forged Host would otherwise put an attacker's address around a password-reset token).

    Without PUBLIC_URL, a development server links to the address it was reached at (it only listens on
    127.0.0.1); anything else falls back to http://127.0.0.1:5000 and the app warns at start."""
    from flask import has_request_context, request

    base = current_app.config.get("PUBLIC_URL")
    if not base:
        if has_request_context() and current_app.config.get("ENV_NAME") in ("development", "dev"):
            base = request.url_root
        else:
            base = "http://127.0.0.1:5000"
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base.rstrip("/") + path
