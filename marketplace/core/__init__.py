"""Pieces shared by every feature: text folding, model mixins, access policy, mail, jobs, errors."""
