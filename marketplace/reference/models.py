"""Sectors and localities, loaded from the data files under marketplace/data/."""
from flask_babel import get_locale

from marketplace.extensions import db


class Sector(db.Model):
    """A field (level 1, code 1..6) or sector (level 2, e.g. 202) of the national S&T classification."""

    __tablename__ = "sector"

    code = db.Column(db.String(10), primary_key=True)
    parent_code = db.Column(db.String(10), db.ForeignKey("sector.code"), nullable=True)
    name_vi = db.Column(db.String(200), nullable=False)
    name_en = db.Column(db.String(200), nullable=False, default="")

    @property
    def level(self):
        """1 for a field, 2 for a sector."""
        return 1 if not self.parent_code else 2

    @property
    def name(self):
        """The name in the current language."""
        return localized(self.name_vi, self.name_en)

    def __repr__(self):
        return f"<Sector {self.code}>"


class Locality(db.Model):
    """A place listings and organisations belong to (commune, district or area; data per deployment)."""

    __tablename__ = "locality"

    code = db.Column(db.String(40), primary_key=True)
    name_vi = db.Column(db.String(200), nullable=False)
    kind = db.Column(db.String(40), nullable=False, default="")

    @property
    def name(self):
        """The locality's name (Vietnamese in every language)."""
        return self.name_vi

    def __repr__(self):
        return f"<Locality {self.code}>"


def localized(vi, en):
    """Pick the English text when the interface is in English and one exists."""
    try:
        lang = str(get_locale() or "vi")
    except Exception:  # outside a request
        lang = "vi"
    return en if lang.startswith("en") and en else vi
