"""Dabyl: an alerting bot for activist and human-rights support networks."""

import zoneinfo

# Time zones come from the tzdata package only, never from the system's copy, which may be old
# enough to give Asia/Almaty its former UTC+6. This runs before any zone is created.
zoneinfo.reset_tzpath(to=[])
