"""reconciler: LinkedIn Ads campaign-as-code.

YAML manifests in git are validated, compared with the live ad account through the LinkedIn
Advertising API, shown as a plan, and applied.
"""

__version__ = "0.1.0"
