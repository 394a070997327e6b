"""Places of the ``locations`` and ``profileLocations`` facets (``urn:li:geo:N``).

Rows are ``(id, name, members, parent id, kind)``; ``members`` is the emulator's own estimate of the
LinkedIn members living there (a GUESS, used by the audience model), ``parent`` the enclosing place.

Ids: ``103644278`` (United States) is the docs' own example. Every other id below 99,900,000 is the
id LinkedIn's public pages use for that place as far as the emulator's authors know it (not checked
against the docs); ids from 99,900,000 up are INVENTED for places whose real id was not at hand.
Deliberately ambiguous: the two places named "Springfield" (ids 99900101 and 99900102), so a client's
handling of two entities with one name can be tested (docs/emulator.md, "Targeting catalog").
"""

from __future__ import annotations

import functools

# All LinkedIn members (GUESS: "over a billion" as LinkedIn says of itself); the audience base.
MEMBERS = 1_000_000_000
M = 1_000_000

Place = tuple[int, str, int, int | None, str]

_GROUPS: tuple[Place, ...] = (
    (100506914, "Europe", 260 * M, None, "COUNTRY_GROUP"),
    (102221843, "North America", 255 * M, None, "COUNTRY_GROUP"),
)
_EU, _NA = 100506914, 102221843
_COUNTRIES: tuple[Place, ...] = (
    (103644278, "United States", 230 * M, _NA, "COUNTRY"),
    (101174742, "Canada", 22 * M, _NA, "COUNTRY"),
    (103323778, "Mexico", 24 * M, None, "COUNTRY"),
    (101165590, "United Kingdom", 45 * M, _EU, "COUNTRY"),
    (101282230, "Germany", 25 * M, _EU, "COUNTRY"),
    (105015875, "France", 30 * M, _EU, "COUNTRY"),
    (102890719, "Netherlands", 10 * M, _EU, "COUNTRY"),
    (105646813, "Spain", 18 * M, _EU, "COUNTRY"),
    (103350119, "Italy", 20 * M, _EU, "COUNTRY"),
    (104738515, "Ireland", 2_600_000, _EU, "COUNTRY"),
    (105117694, "Sweden", 4_500_000, _EU, "COUNTRY"),
    (106693272, "Switzerland", 4 * M, _EU, "COUNTRY"),
    (100565514, "Belgium", 4_500_000, _EU, "COUNTRY"),
    (103883259, "Austria", 2_500_000, _EU, "COUNTRY"),
    (104514075, "Denmark", 2_800_000, _EU, "COUNTRY"),
    (103819153, "Norway", 2_400_000, _EU, "COUNTRY"),
    (100456013, "Finland", 2 * M, _EU, "COUNTRY"),
    (105072130, "Poland", 7 * M, _EU, "COUNTRY"),
    (100364837, "Portugal", 4 * M, _EU, "COUNTRY"),
    (102105699, "Türkiye", 15 * M, None, "COUNTRY"),
    (102713980, "India", 130 * M, None, "COUNTRY"),
    (101452733, "Australia", 15 * M, None, "COUNTRY"),
    (105490917, "New Zealand", 2_500_000, None, "COUNTRY"),
    (106057199, "Brazil", 75 * M, None, "COUNTRY"),
    (100446943, "Argentina", 10 * M, None, "COUNTRY"),
    (104621616, "Chile", 7 * M, None, "COUNTRY"),
    (100876405, "Colombia", 12 * M, None, "COUNTRY"),
    (101355337, "Japan", 4 * M, None, "COUNTRY"),
    (105149562, "South Korea", 3 * M, None, "COUNTRY"),
    (102890883, "China", 10 * M, None, "COUNTRY"),
    (103291313, "Hong Kong SAR", 2 * M, None, "COUNTRY"),
    (102454443, "Singapore", 3_500_000, None, "COUNTRY"),
    (102478259, "Indonesia", 25 * M, None, "COUNTRY"),
    (103121230, "Philippines", 15 * M, None, "COUNTRY"),
    (101620260, "Israel", 3 * M, None, "COUNTRY"),
    (104305776, "United Arab Emirates", 9 * M, None, "COUNTRY"),
    (100459316, "Saudi Arabia", 8 * M, None, "COUNTRY"),
    (104035573, "South Africa", 12 * M, None, "COUNTRY"),
    (105365761, "Nigeria", 12 * M, None, "COUNTRY"),
    (106155005, "Egypt", 10 * M, None, "COUNTRY"),
)
_US = 103644278
_STATES: tuple[Place, ...] = (
    (102095887, "California, United States", 28 * M, _US, "STATE"),
    (105080838, "New York, United States", 15 * M, _US, "STATE"),
    (102748797, "Texas, United States", 19 * M, _US, "STATE"),
    (103977389, "Washington, United States", 6 * M, _US, "STATE"),
    (101098412, "Massachusetts, United States", 5_500_000, _US, "STATE"),
    (101949407, "Illinois, United States", 8 * M, _US, "STATE"),
    (101318387, "Florida, United States", 14 * M, _US, "STATE"),
    (105763813, "Colorado, United States", 4_500_000, _US, "STATE"),
    (103950076, "Georgia, United States", 7 * M, _US, "STATE"),
    (102986501, "Pennsylvania, United States", 8 * M, _US, "STATE"),
    (101630962, "Virginia, United States", 6 * M, _US, "STATE"),
    (103255397, "North Carolina, United States", 7 * M, _US, "STATE"),
    (106981407, "Ohio, United States", 7 * M, _US, "STATE"),
    (103051080, "Michigan, United States", 6 * M, _US, "STATE"),
    (101651951, "New Jersey, United States", 6_500_000, _US, "STATE"),
    (106032500, "Arizona, United States", 4_500_000, _US, "STATE"),
    (101685541, "Oregon, United States", 3 * M, _US, "STATE"),
    (101486475, "Missouri, United States", 3_500_000, _US, "STATE"),
)
_REGIONS: tuple[Place, ...] = (
    (90000091, "Greater Seattle Area", 3_500_000, 103977389, "REGION"),
    (90000084, "San Francisco Bay Area", 6 * M, 102095887, "REGION"),
    (90000049, "Los Angeles Metropolitan Area", 9 * M, 102095887, "REGION"),
    (99900001, "San Diego Metropolitan Area", 2_500_000, 102095887, "REGION"),
    (90000070, "New York City Metropolitan Area", 14 * M, 105080838, "REGION"),
    (90000007, "Greater Boston", 4 * M, 101098412, "REGION"),
    (90000014, "Greater Chicago Area", 6 * M, 101949407, "REGION"),
    (90000031, "Dallas-Fort Worth Metroplex", 5 * M, 102748797, "REGION"),
    (90000064, "Austin, Texas Metropolitan Area", 1_800_000, 102748797, "REGION"),
    (90000042, "Greater Houston", 4 * M, 102748797, "REGION"),
    (90000034, "Denver Metropolitan Area", 2_500_000, 105763813, "REGION"),
    (90000052, "Atlanta Metropolitan Area", 4_500_000, 103950076, "REGION"),
    (90000056, "Miami-Fort Lauderdale Area", 4 * M, 101318387, "REGION"),
    (90000097, "Washington DC-Baltimore Area", 6 * M, 101630962, "REGION"),
    (90000077, "Greater Philadelphia", 4 * M, 102986501, "REGION"),
    (99900101, "Springfield", 150_000, 101949407, "REGION"),
    (99900102, "Springfield", 400_000, 101098412, "REGION"),
    (102299470, "England, United Kingdom", 38 * M, 101165590, "STATE"),
    (99900011, "Scotland, United Kingdom", 3_500_000, 101165590, "STATE"),
    (90009496, "London Area, United Kingdom", 14 * M, 102299470, "REGION"),
    (99900012, "Greater Manchester, United Kingdom", 2_500_000, 102299470, "REGION"),
    (99900021, "Bavaria, Germany", 4_500_000, 101282230, "STATE"),
    (99900022, "Berlin Metropolitan Area", 3 * M, 101282230, "REGION"),
    (99900023, "Munich Metropolitan Area", 2_500_000, 99900021, "REGION"),
    (99900024, "Hamburg Metropolitan Area", 1_800_000, 101282230, "REGION"),
    (104246759, "Île-de-France, France", 9 * M, 105015875, "STATE"),
    (90009659, "Greater Paris Metropolitan Region", 8 * M, 104246759, "REGION"),
    (99900031, "Lyon Metropolitan Area", 1_500_000, 105015875, "REGION"),
    (105149290, "Ontario, Canada", 9 * M, 101174742, "STATE"),
    (90009551, "Greater Toronto Area, Canada", 5 * M, 105149290, "REGION"),
    (102044150, "British Columbia, Canada", 3 * M, 101174742, "STATE"),
    (99900041, "Greater Vancouver Metropolitan Area", 2 * M, 102044150, "REGION"),
    (99900042, "Quebec, Canada", 4 * M, 101174742, "STATE"),
    (99900043, "Greater Montreal Metropolitan Area", 2 * M, 99900042, "REGION"),
    (100811329, "Karnataka, India", 14 * M, 102713980, "STATE"),
    (105214831, "Bengaluru, Karnataka, India", 10 * M, 100811329, "REGION"),
    (106300413, "Maharashtra, India", 20 * M, 102713980, "STATE"),
    (99900051, "Mumbai Metropolitan Region", 9 * M, 106300413, "REGION"),
    (99900052, "Delhi, India", 12 * M, 102713980, "STATE"),
    (99900053, "Hyderabad, Telangana, India", 7 * M, 102713980, "REGION"),
    (99900061, "New South Wales, Australia", 5 * M, 101452733, "STATE"),
    (90009524, "Greater Sydney Area", 4 * M, 99900061, "REGION"),
    (99900062, "Victoria, Australia", 4 * M, 101452733, "STATE"),
    (90009521, "Greater Melbourne Area", 3_500_000, 99900062, "REGION"),
    (99900071, "Amsterdam Area", 2_500_000, 102890719, "REGION"),
    (99900072, "Madrid Metropolitan Area", 4 * M, 105646813, "REGION"),
    (99900073, "Barcelona Metropolitan Area", 3 * M, 105646813, "REGION"),
    (99900074, "Greater Milan Metropolitan Area", 3 * M, 103350119, "REGION"),
    (99900075, "Greater Dublin", 1_500_000, 104738515, "REGION"),
    (99900076, "Stockholm Metropolitan Area", 1_800_000, 105117694, "REGION"),
    (99900077, "Zurich Metropolitan Area", 1_200_000, 106693272, "REGION"),
    (99900081, "São Paulo, Brazil", 20 * M, 106057199, "STATE"),
    (99900082, "Greater Tokyo Area", 2 * M, 101355337, "REGION"),
    (99900083, "Dubai, United Arab Emirates", 5 * M, 104305776, "REGION"),
    (99900084, "Mexico City Metropolitan Area", 8 * M, 103323778, "REGION"),
)
PLACES: tuple[Place, ...] = _GROUPS + _COUNTRIES + _STATES + _REGIONS
_PARENT = {key: parent for key, _, _, parent, _ in PLACES}
_KIND = {key: kind for key, _, _, _, kind in PLACES}


@functools.cache
def country_of(key: int) -> str:
    """The id (as text) of the country a place lies in; a country group's own id."""
    current: int | None = key
    while current is not None and _KIND.get(current) not in ("COUNTRY", "COUNTRY_GROUP"):
        current = _PARENT.get(current)
    return str(current if current is not None else key)
