"""What accounts announce to the apps above them (accounts imports none of them)."""

from django.dispatch import Signal

# Sent inside the transaction that issued the invitations, with `invitations`: a list of (user, round) pairs.
# The outbox (notifications) writes one e-mail row per pair in that same transaction.
invitations_issued = Signal()
