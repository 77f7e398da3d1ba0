"""Translated labels of organisation kinds and roles."""
from flask_babel import lazy_gettext as _l

ORG_KIND_LABELS = {
    "enterprise": _l("Enterprise / cooperative"),
    "university": _l("University"),
    "institute": _l("Research institute"),
    "broker": _l("Intermediary (broker)"),
    "department": _l("Department of Science and Technology"),
    "other": _l("Other organisation"),
}
ORG_ROLE_LABELS = {"admin": _l("Organisation admin"), "member": _l("Member")}
ROLE_LABELS = {
    "member": _l("Member"),
    "broker": _l("Broker"),
    "department": _l("Department staff"),
    "admin": _l("Administrator"),
}
