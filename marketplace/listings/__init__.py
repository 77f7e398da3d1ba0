"""Listings: technology offers, needs and IP assets, their lifecycle, moderation and attachments."""
from flask import Blueprint

bp = Blueprint("listings", __name__)
