"""Targeting by name: look names up in LinkedIn's catalog and pin them in the lock file.

- :func:`~reconciler.targeting.lock.lock_targeting` (``reconciler lock``): pin every name the
  manifests use, drop pins no manifest uses, write ``reconciler.lock.yaml``;
- :func:`~reconciler.targeting.resolve.candidates` (``reconciler targeting search``);
- :func:`~reconciler.targeting.resolve.resolve_names`: the matching rules.

It sits beside ``live``: it reads through the client (:mod:`reconciler.api.targeting`) and the
manifests, and prints nothing.
"""
