"""Signals other apps listen to.

`document_issued` is sent inside the transaction that issues an official document, after its
number and snapshot are saved (kwargs: `document`, `actor`). A receiver that raises rolls the
issue back, so what an issued document decides (a programme, a DPRD request) happens with it
or not at all.

`document_voided` is sent inside the transaction that voids an issued document (kwargs:
`document`, `actor`, `reason`), so that what the document started stops with it.
"""

from django.dispatch import Signal

document_issued = Signal()
document_voided = Signal()
