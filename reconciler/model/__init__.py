"""The typed, frozen model of an ad account, shared by desired state (manifests) and live state (API).

It owns the value types (Money, Schedule, Locale, Targeting, creative content), the entities
(Account, CampaignGroup, Campaign, Creative), URN helpers, and the conversions to and from the
API's JSON shapes (``to_api`` / ``from_api`` next to each type). It does no I/O and knows nothing
of YAML, HTTP or plans.

Conventions:
- A field left ``None`` in desired state is not managed: the server's value (or default) stands.
- Values are canonical on construction, so equality means "no change": money amounts are Decimals,
  targeting values are sorted and de-duplicated (the API treats them as sets), objective types use
  the singular spelling the live API returns, schedules are epoch milliseconds (the API's precision).
- Entities read from the API carry a :class:`LiveMeta` (id, parent, versionTag, audit stamps) that is
  excluded from equality.
"""

from reconciler.model.content import *  # noqa: F403
from reconciler.model.entities import *  # noqa: F403
from reconciler.model.enums import *  # noqa: F403
from reconciler.model.values import *  # noqa: F403
