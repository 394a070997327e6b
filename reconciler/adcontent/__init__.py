"""Ads as code: a creative's managed content (``image``, ``video``, ``carousel``, … in the manifests)
turned into LinkedIn's bodies, and LinkedIn's posts turned back into a form the planner compares.

- :mod:`.render`: ManagedContent + asset URNs → post / creative / InMail / conversation bodies, and
  the manifest-shaped *view* of desired and live content that plans compare and show;
- :mod:`.plandata`: what a plan carries for a managed creative (so a saved plan can be applied
  without the manifests);
- :mod:`.ledger`: the lock file's ``assets`` section as apply fills it;
- :mod:`.reader`: reading the posts (and InMail contents) behind managed creatives, in batches.

render and plandata do no I/O (the planner uses them); ledger and reader do.
"""
