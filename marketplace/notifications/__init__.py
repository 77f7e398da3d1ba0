"""Notifications: an in-app inbox per person, and e-mail (instant or a daily digest, per person)."""
