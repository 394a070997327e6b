"""LinkedIn's closed targeting lists: job functions, seniorities, industries, staff count ranges,
genders, age ranges, interface locales and years of experience.

Rows are ``(key, name, weight)``; the weight is the relative share of members holding the value
(normalised per facet by the catalog, so including every value of a facet targets everyone).
Weights are the emulator's own (GUESSES); ids and names: docs/emulator.md, "Targeting catalog".
"""

from __future__ import annotations

from collections.abc import Callable

Row = tuple[str, str, float]

# LinkedIn's standardized job functions (urn:li:function:1..26).
JOB_FUNCTIONS: tuple[Row, ...] = (
    ("1", "Accounting", 4),
    ("2", "Administrative", 5),
    ("3", "Arts and Design", 3),
    ("4", "Business Development", 6),
    ("5", "Community and Social Services", 1.5),
    ("6", "Consulting", 3),
    ("7", "Education", 7),
    ("8", "Engineering", 10),
    ("9", "Entrepreneurship", 4),
    ("10", "Finance", 4.5),
    ("11", "Healthcare Services", 6),
    ("12", "Human Resources", 3.5),
    ("13", "Information Technology", 8),
    ("14", "Legal", 2),
    ("15", "Marketing", 5),
    ("16", "Media and Communication", 3),
    ("17", "Military and Protective Services", 1.5),
    ("18", "Operations", 8),
    ("19", "Product Management", 1.5),
    ("20", "Program and Project Management", 3),
    ("21", "Purchasing", 1.5),
    ("22", "Quality Assurance", 1.5),
    ("23", "Real Estate", 1.5),
    ("24", "Research", 3),
    ("25", "Sales", 9),
    ("26", "Customer Success and Support", 4),
)

# LinkedIn's standardized seniorities (urn:li:seniority:1..10).
SENIORITIES: tuple[Row, ...] = (
    ("1", "Unpaid", 1),
    ("2", "Training", 3),
    ("3", "Entry", 30),
    ("4", "Senior", 25),
    ("5", "Manager", 14),
    ("6", "Director", 6),
    ("7", "VP", 2.5),
    ("8", "CXO", 2),
    ("9", "Partner", 1.5),
    ("10", "Owner", 5),
)

# Company sizes: urn:li:staffCountRange:(min,max); the names are GUESSES (short forms).
STAFF_COUNT_RANGES: tuple[Row, ...] = (
    ("(1,1)", "1", 6),
    ("(2,10)", "2-10", 12),
    ("(11,50)", "11-50", 13),
    ("(51,200)", "51-200", 13),
    ("(201,500)", "201-500", 9),
    ("(501,1000)", "501-1000", 7),
    ("(1001,5000)", "1001-5000", 13),
    ("(5001,10000)", "5001-10000", 7),
    ("(10001,2147483647)", "10001+", 20),
)

GENDERS: tuple[Row, ...] = (("FEMALE", "Female", 45), ("MALE", "Male", 55))

# urn:li:ageRange:(min,max) as the facet table lists them; names are GUESSES.
AGE_RANGES: tuple[Row, ...] = (
    ("(18,24)", "18 to 24", 20),
    ("(25,34)", "25 to 34", 38),
    ("(35,54)", "35 to 54", 32),
    ("(55,2147483647)", "55+", 10),
)

# LinkedIn's interface languages (urn:li:locale:<language>_<COUNTRY>); names are GUESSES.
INTERFACE_LOCALES: tuple[Row, ...] = (
    ("ar_AE", "Arabic", 1.5),
    ("cs_CZ", "Czech", 0.5),
    ("da_DK", "Danish", 0.6),
    ("de_DE", "German", 3.5),
    ("en_US", "English", 62),
    ("es_ES", "Spanish", 7),
    ("fr_FR", "French", 5),
    ("hi_IN", "Hindi", 0.5),
    ("in_ID", "Indonesian", 1),
    ("it_IT", "Italian", 2),
    ("ja_JP", "Japanese", 0.8),
    ("ko_KR", "Korean", 0.3),
    ("ms_MY", "Malay", 0.2),
    ("nl_NL", "Dutch", 2),
    ("no_NO", "Norwegian", 0.4),
    ("pl_PL", "Polish", 0.8),
    ("pt_BR", "Portuguese", 7),
    ("ro_RO", "Romanian", 0.4),
    ("ru_RU", "Russian", 0.6),
    ("sv_SE", "Swedish", 0.8),
    ("th_TH", "Thai", 0.2),
    ("tl_PH", "Tagalog", 0.2),
    ("tr_TR", "Turkish", 1.2),
    ("uk_UA", "Ukrainian", 0.3),
    ("zh_CN", "Chinese (Simplified)", 0.8),
    ("zh_TW", "Chinese (Traditional)", 0.4),
)

# urn:li:yearsOfExperience:N ranges (ids and names are GUESSES).
YEARS_OF_EXPERIENCE: tuple[Row, ...] = (
    ("1", "Less than 1 year", 8),
    ("2", "1 to 2 years", 12),
    ("3", "3 to 5 years", 20),
    ("4", "6 to 10 years", 24),
    ("5", "11 to 20 years", 24),
    ("6", "More than 20 years", 12),
)

# Industry taxonomy V2: the 20 top-level industries, then commonly targeted ones under them.
# (id, name, weight, parent id); parent None marks a top-level industry.
INDUSTRIES_V2: tuple[tuple[str, str, float, str | None], ...] = (
    ("2190", "Accommodation Services", 1.5, None),
    ("1912", "Administrative and Support Services", 3, None),
    ("48", "Construction", 4, None),
    ("91", "Consumer Services", 2, None),
    ("1999", "Education", 6, None),
    ("28", "Entertainment Providers", 1.5, None),
    ("201", "Farming, Ranching, Forestry", 1, None),
    ("43", "Financial Services", 5, None),
    ("75", "Government Administration", 3, None),
    ("1905", "Holding Companies", 0.3, None),
    ("14", "Hospitals and Health Care", 7, None),
    ("25", "Manufacturing", 6, None),
    ("332", "Oil, Gas, and Mining", 1, None),
    ("1810", "Professional Services", 6, None),
    ("1757", "Real Estate and Equipment Rental Services", 2, None),
    ("27", "Retail", 4, None),
    ("1594", "Technology, Information and Media", 4, None),
    ("116", "Transportation, Logistics, Supply Chain and Storage", 3, None),
    ("59", "Utilities", 1, None),
    ("133", "Wholesale", 2, None),
    ("4", "Software Development", 3.5, "1594"),
    ("6", "Technology, Information and Internet", 2.5, "1594"),
    ("96", "IT Services and IT Consulting", 4, "1810"),
    ("118", "Computer and Network Security", 0.6, "1810"),
    ("8", "Telecommunications", 1.2, "1594"),
    ("84", "Information Services", 0.5, "1594"),
    ("109", "Computer Games", 0.3, "1594"),
    ("3", "Computer Hardware Manufacturing", 0.4, "25"),
    ("5", "Computer Networking Products", 0.3, "25"),
    ("7", "Semiconductor Manufacturing", 0.5, "25"),
    ("41", "Banking", 2, "43"),
    ("42", "Insurance", 1.5, "43"),
    ("45", "Investment Banking", 0.4, "43"),
    ("46", "Investment Management", 0.6, "43"),
    ("129", "Capital Markets", 0.4, "43"),
    ("106", "Venture Capital and Private Equity Principals", 0.2, "43"),
    ("47", "Accounting", 1.2, "1810"),
    ("11", "Business Consulting and Services", 2.5, "1810"),
    ("9", "Law Practice", 0.8, "1810"),
    ("10", "Legal Services", 0.6, "1810"),
    ("80", "Advertising Services", 0.8, "1810"),
    ("98", "Public Relations and Communications Services", 0.4, "1810"),
    ("97", "Market Research", 0.3, "1810"),
    ("99", "Design Services", 0.5, "1810"),
    ("140", "Graphic Design", 0.3, "1810"),
    ("70", "Research Services", 0.8, "1810"),
    ("50", "Architecture and Planning", 0.6, "1810"),
    ("51", "Civil Engineering", 0.7, "48"),
    ("104", "Staffing and Recruiting", 1.2, "1912"),
    ("137", "Human Resources Services", 0.8, "1810"),
    ("105", "Professional Training and Coaching", 0.8, "1999"),
    ("12", "Biotechnology Research", 0.6, "1810"),
    ("15", "Pharmaceutical Manufacturing", 1, "25"),
    ("17", "Medical Equipment Manufacturing", 0.7, "25"),
    ("13", "Medical Practices", 1, "14"),
    ("139", "Mental Health Care", 0.4, "14"),
    ("16", "Veterinary Services", 0.2, "14"),
    ("124", "Wellness and Fitness Services", 0.5, "91"),
    ("68", "Higher Education", 3, "1999"),
    ("67", "Primary and Secondary Education", 2, "1999"),
    ("132", "E-Learning Providers", 0.4, "1999"),
    ("53", "Motor Vehicle Manufacturing", 1, "25"),
    ("52", "Aviation and Aerospace Component Manufacturing", 0.6, "25"),
    ("1", "Defense and Space Manufacturing", 0.5, "25"),
    ("54", "Chemical Manufacturing", 0.6, "25"),
    ("112", "Appliances, Electrical, and Electronics Manufacturing", 0.6, "25"),
    ("135", "Industrial Machinery Manufacturing", 0.5, "25"),
    ("147", "Automation Machinery Manufacturing", 0.3, "25"),
    ("23", "Food and Beverage Manufacturing", 0.8, "25"),
    ("18", "Personal Care Product Manufacturing", 0.3, "25"),
    ("26", "Furniture and Home Furnishings Manufacturing", 0.3, "25"),
    ("60", "Textile Manufacturing", 0.3, "25"),
    ("61", "Paper and Forest Product Manufacturing", 0.2, "25"),
    ("34", "Food and Beverage Services", 1.2, "2190"),
    ("31", "Hospitality", 1, "2190"),
    ("32", "Restaurants", 0.8, "2190"),
    ("30", "Travel Arrangements", 0.4, "1912"),
    ("94", "Airlines and Aviation", 0.6, "116"),
    ("92", "Truck Transportation", 0.4, "116"),
    ("93", "Warehousing and Storage", 0.4, "116"),
    ("87", "Freight and Package Transportation", 0.5, "116"),
    ("95", "Maritime Transportation", 0.3, "116"),
    ("44", "Real Estate", 1.5, "1757"),
    ("57", "Oil and Gas", 0.6, "332"),
    ("56", "Mining", 0.3, "332"),
    ("19", "Retail Apparel and Fashion", 0.8, "27"),
    ("22", "Retail Groceries", 0.6, "27"),
    ("36", "Broadcast Media Production and Distribution", 0.3, "1594"),
    ("35", "Movies, Videos, and Sound", 0.4, "1594"),
    ("82", "Book and Periodical Publishing", 0.3, "1594"),
    ("81", "Newspaper Publishing", 0.2, "1594"),
    ("113", "Online Audio and Video Media", 0.3, "1594"),
    ("126", "Media Production", 0.3, "1594"),
    ("100", "Non-profit Organizations", 1.5, None),
    ("90", "Civic and Social Organizations", 0.4, None),
    ("89", "Religious Institutions", 0.3, None),
    ("71", "Armed Forces", 0.5, "75"),
    ("77", "Law Enforcement", 0.5, "75"),
    ("74", "International Affairs", 0.2, "75"),
    ("86", "Environmental Services", 0.4, "1912"),
    ("121", "Security and Investigations", 0.4, "1912"),
    ("122", "Facilities Services", 0.6, "1912"),
    ("110", "Events Services", 0.3, "1912"),
    ("33", "Spectator Sports", 0.3, "28"),
    ("37", "Museums, Historical Sites, and Zoos", 0.2, "28"),
    ("39", "Performing Arts", 0.3, "28"),
    ("40", "Recreational Facilities", 0.3, "28"),
)
_INDUSTRY_PARENT = {key: parent for key, _, _, parent in INDUSTRIES_V2}


def _urn(prefix: str) -> Callable[[str], str]:
    return lambda key: f"urn:li:{prefix}:{key}"


# facet -> (URN of a key, rows)
LISTS: dict[str, tuple[Callable[[str], str], tuple[Row, ...]]] = {
    "jobFunctions": (_urn("function"), JOB_FUNCTIONS),
    "seniorities": (_urn("seniority"), SENIORITIES),
    "staffCountRanges": (_urn("staffCountRange"), STAFF_COUNT_RANGES),
    "genders": (_urn("gender"), GENDERS),
    "ageRanges": (_urn("ageRange"), AGE_RANGES),
    "interfaceLocales": (_urn("locale"), INTERFACE_LOCALES),
    "yearsOfExperienceRanges": (_urn("yearsOfExperience"), YEARS_OF_EXPERIENCE),
    "industries": (_urn("industry"), tuple((k, n, w) for k, n, w, _ in INDUSTRIES_V2)),
}


def rows(facet: str) -> list[tuple[str, str, float, str | None]]:
    """``(urn, name, share, parent urn)`` of every value of a closed facet; shares sum to 1 over the
    values without a parent. An industry group's weight is its own plus its listed industries'
    (members of the group outside every listed industry, plus those inside them)."""
    urn_of, listed = LISTS[facet]
    weights = {key: weight for key, _, weight in listed}
    for key, parent in _INDUSTRY_PARENT.items():
        if facet == "industries" and parent is not None:
            weights[parent] += weights[key]
    tops = [key for key, _, _ in listed if facet != "industries" or _INDUSTRY_PARENT[key] is None]
    total = sum(weights[key] for key in tops)
    out = []
    for key, name, _ in listed:
        parent = _INDUSTRY_PARENT.get(key) if facet == "industries" else None
        out.append((urn_of(key), name, weights[key] / total, None if parent is None else urn_of(parent)))
    return out
