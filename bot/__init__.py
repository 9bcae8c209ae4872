"""Dabyl: an alerting bot for activist and human-rights support networks."""
