"""Outgoing e-mail: long Vietnamese subjects and bodies reach the reader exactly, from the outbox and over SMTP."""
import email
import email.policy
import os
import socketserver
import threading

import pytest

from marketplace.core.mail import send_mail

# Long enough to be folded over several lines; a space falls where CPython 3.11 folds encoded words.
SUBJECT = ("Tổ chức Trường Đại học Hà Nam đã bày tỏ quan tâm đến tin đăng của quý vị: Hệ thống thu hồi nhiệt "
           "từ khói lò hơi và nước xả nóng cho nhà máy dệt nhuộm")
BODY = ("Kính gửi quý vị,\n\n"
        + "Trường Đại học Hà Nam đã bày tỏ quan tâm đến tin đăng “Hệ thống thu hồi nhiệt từ khói lò hơi”. " * 6
        + "\n.Dòng bắt đầu bằng dấu chấm\nFrom: dòng bắt đầu như một tiêu đề\nDòng có dấu cách ở cuối  \n"
        + "Trân trọng,\nSàn giao dịch công nghệ\n")


def _parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def _assert_exact(raw):
    """What a mail program shows is what was sent, and the message keeps the line limits of RFC 5322/2047."""
    received = _parse(raw)
    assert received["Subject"] == SUBJECT
    assert received.get_content() == BODY
    assert all(len(line) <= 78 for line in raw.split(b"\r\n" if b"\r\n" in raw else b"\n"))


def test_a_long_vietnamese_subject_and_body_reach_the_outbox_exactly(app):
    msg = send_mail("an@cokhiphuly.vn", SUBJECT, BODY)
    assert msg["Subject"] == SUBJECT
    [name] = os.listdir(app.config["MAIL_OUTBOX"])
    with open(os.path.join(app.config["MAIL_OUTBOX"], name), "rb") as fh:
        raw = fh.read()
    _assert_exact(raw)
    assert b"Subject: =?utf-8?" in raw  # encoded for 7-bit servers, not raw UTF-8


@pytest.mark.parametrize("subject", ["Short ASCII subject", "Tin mới", "x" + "đ" * 120,
                                     "A fairly long English subject line that has to be folded somewhere " * 2,
                                     "Sàn giao dịch — " + "ASCII words between " * 5 + "và tiếng Việt"])
def test_other_subjects_round_trip(app, subject):
    send_mail("an@cokhiphuly.vn", subject, "Nội dung\n")
    [name] = os.listdir(app.config["MAIL_OUTBOX"])
    with open(os.path.join(app.config["MAIL_OUTBOX"], name), "rb") as fh:
        assert _parse(fh.read())["Subject"] == subject


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of an SMTP server to take one message (no TLS, no auth) and keep its bytes."""

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 localhost test")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.split(b" ", 1)[0].strip().upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-localhost\r\n250-8BITMIME\r\n250 SIZE 10000000\r\n")
            elif verb == b"DATA":
                self.reply("354 go ahead")
                lines = []
                while (line := self.rfile.readline()) != b".\r\n":
                    lines.append(line[1:] if line.startswith(b".") else line)  # undo dot-stuffing
                self.server.received.append(b"".join(lines))
                self.reply("250 ok")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def smtp_server():
    """A local SMTP server on a free loopback port; .received holds the messages it was sent."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_long_vietnamese_subject_and_body_go_out_exactly_over_smtp(app, smtp_server):
    host, port = smtp_server.server_address
    app.config.update(MAIL_SERVER=host, MAIL_PORT=port, MAIL_USE_TLS=False, MAIL_USE_SSL=False, MAIL_USERNAME="")
    send_mail("an@cokhiphuly.vn", SUBJECT, BODY)
    [raw] = smtp_server.received
    _assert_exact(raw)
    assert raw.split(b"\r\n\r\n", 1)[0].isascii()  # headers stay 7-bit: the server did not offer SMTPUTF8
