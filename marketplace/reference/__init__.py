"""Reference data: the national S&T sector classification and the deployment's localities."""
from flask import Blueprint

bp = Blueprint("reference", __name__)
