"""`flask demo load`: fill an empty database with demo data."""
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data.")
