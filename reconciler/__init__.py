"""reconciler: LinkedIn Ads campaign-as-code.

YAML manifests in git are validated, compared with the live ad account through the LinkedIn
Advertising API, shown as a plan, and applied.
"""

from importlib.metadata import PackageNotFoundError, version

# The name the package is installed by (``pip install linkedin-ads-reconciler``); the command and
# the import name are ``reconciler``.
DISTRIBUTION = "linkedin-ads-reconciler"

try:
    __version__ = version(DISTRIBUTION)  # the installed distribution's version: one source, pyproject.toml
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"
