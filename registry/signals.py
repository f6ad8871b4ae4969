"""Signals other apps listen to.

`document_issued` is sent inside the transaction that issues an official document, after its
number and snapshot are saved (kwargs: `document`, `actor`). A receiver that raises rolls the
issue back, so what an issued document decides (a programme, a DPRD request) happens with it
or not at all.

`handoff` is sent inside the transaction of an action that hands work to another role (kwargs:
`event`, one of the names below; `subject`, the record concerned; `actor`, who acted or None for
the system). Monitoring turns it into the notifications of the people whose turn it is
(monitoring/handoffs.py), so that the registry and planning need not know who is told.

`document_voided` is sent inside the transaction that voids an issued document (kwargs:
`document`, `actor`, `reason`), so that what the document started stops with it.
"""

from django.dispatch import Signal

document_issued = Signal()
document_voided = Signal()
handoff = Signal()

# The handoffs announced with `handoff` (the issuing of a document is `document_issued`).
PROPOSAL_SUBMITTED = "proposal_submitted"  # subject: planning.Proposal
PROPOSAL_RETURNED = "proposal_returned"  # subject: planning.Proposal
PROPOSAL_DECIDED = "proposal_decided"  # subject: planning.AgendaItem, its plenary just closed
DRAFT_READY = "draft_ready"  # subject: registry.OfficialDocument, a new draft
DPRD_NOTE = "dprd_note"  # subject: registry.DprdReviewNote
STAGE_MOVED = "stage_moved"  # subject: registry.Transition
