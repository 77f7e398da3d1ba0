"""Search: Vietnamese full-text search over published listings and organisations."""
from flask import Blueprint

bp = Blueprint("search", __name__)
