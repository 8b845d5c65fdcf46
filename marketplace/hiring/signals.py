"""Signals other features listen to, so hiring never imports them (incentives builds on hiring,
not the other way round)."""

from blinker import Namespace

_signals = Namespace()

# Sent with the Employment after its end is recorded and flushed, inside the same transaction:
# a listener that raises rolls the whole end back.
employment_ended = _signals.signal("employment-ended")

# Sent with the Employment once the employee has confirmed the hire (same transaction).
employment_confirmed = _signals.signal("employment-confirmed")
