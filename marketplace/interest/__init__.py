"""Interest and NDA: expressions of interest in a listing, and click-through NDAs that unlock its confidential detail."""
from flask import Blueprint

bp = Blueprint("interest", __name__)
