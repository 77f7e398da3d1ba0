"""Accounts: people, organisations, sign-in, registration, password reset."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)
