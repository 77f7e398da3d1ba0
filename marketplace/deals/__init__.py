"""Deals (giao dịch / hồ sơ chuyển giao): a buyer, a seller, their listings and maybe a broker, carried from first
contact to a completed transfer, every change an event on the deal's timeline."""
from flask import Blueprint

bp = Blueprint("deals", __name__, url_prefix="/deals")
