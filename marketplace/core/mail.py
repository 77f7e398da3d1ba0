"""Outgoing e-mail: written to INSTANCE_PATH/outbox as .eml files (and logged), or sent by SMTP when
MAIL_SERVER is set."""
import logging
import os
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

log = logging.getLogger(__name__)


def send_mail(to, subject, body):
    """Send a plain-text message to one address; returns the EmailMessage that went out."""
    config = current_app.config
    msg = EmailMessage()
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
