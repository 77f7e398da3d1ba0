"""Brokers (tổ chức trung gian): profiles with service types and sectors, a directory, a queue of strong
suggested matches, and match proposals that both parties accept before a deal opens."""
from flask import Blueprint

bp = Blueprint("brokers", __name__)
