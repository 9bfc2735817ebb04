"""Events other apps may listen to (the analytics app's attribution, when it exists).

`partner_click`: a shopper followed a link out of a partner's widget to RedBook.
Sent with `partner_id`, `public_id`, `note_id` (or None), `product_id` (or None) and
`at` (an aware datetime). Receivers must be quick: the redirect waits for them.
"""

from django.dispatch import Signal

partner_click = Signal()
