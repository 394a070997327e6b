"""Open lists about people: job titles (``titles``, ``titlesPast``, ``titlesAll``) and skills.

Rows are ``(id, name, cluster)``; the cluster (a job function, or a skill area) is what
``similarEntities`` groups by. Ids are INVENTED (docs/emulator.md, "Targeting catalog"): the pinned
ones are those the project's examples use; the rest are numbered from a base by their place in the
list below, so appending keeps every id stable. Lists are written roughly most common first.
"""

from __future__ import annotations

# Members holding the most common title / skill of the list (the catalog tapers the rest).
TITLE_SHARE = 0.004
SKILL_SHARE = 0.03

_PINNED_TITLES: tuple[tuple[int, str, str], ...] = (
    (9, "Software Engineer", "Engineering"),
    (1473, "Head of Platform Engineering", "Engineering"),
    (25190, "Director of Developer Experience", "Engineering"),
    (30128, "Platform Engineering Manager", "Engineering"),
)
_TITLES_BY_FUNCTION = {
    "Engineering": (
        "Senior Software Engineer|Staff Software Engineer|Principal Software Engineer|Software Developer|"
        "Engineering Manager|Senior Engineering Manager|Director of Engineering|"
        "Vice President of Engineering|"
        "Chief Technology Officer|Site Reliability Engineer|DevOps Engineer|Platform Engineer|Data Engineer|"
        "Machine Learning Engineer|Frontend Developer|Backend Developer|Full Stack Developer|"
        "Mobile Developer|iOS Developer|Android Developer|QA Engineer|Test Automation Engineer|"
        "Security Engineer|Cloud Architect|Solutions Architect|Software Architect|"
        "Embedded Software Engineer|Hardware Engineer|Mechanical Engineer|Electrical Engineer|"
        "Civil Engineer|Chemical Engineer|Process Engineer|Manufacturing Engineer|Design Engineer|"
        "Project Engineer|Field Engineer|Systems Engineer|Network Engineer|Firmware Engineer|"
        "Chief Architect|Head of Engineering|Developer Advocate|Infrastructure Engineer"
    ),
    "Information Technology": (
        "IT Manager|IT Director|Chief Information Officer|Chief Information Security Officer|"
        "IT Support Specialist|Help Desk Technician|System Administrator|Database Administrator|"
        "IT Project Manager|Information Security Analyst|Network Administrator|IT Consultant|"
        "Head of IT|IT Operations Manager|Enterprise Architect|Cloud Engineer|Cybersecurity Analyst|"
        "Vice President of Information Technology|Technical Support Engineer"
    ),
    "Research": (
        "Data Scientist|Senior Data Scientist|Research Scientist|Research Assistant|Research Analyst|"
        "Principal Scientist|Head of Data Science|Chief Data Officer|Postdoctoral Researcher|"
        "Research Associate|Applied Scientist|Statistician|Data Analyst|Senior Data Analyst|"
        "Business Intelligence Analyst|Analytics Manager|Director of Analytics"
    ),
    "Product Management": (
        "Product Manager|Senior Product Manager|Group Product Manager|Director of Product Management|"
        "Vice President of Product|Chief Product Officer|Product Owner|Technical Product Manager|"
        "Associate Product Manager|Head of Product|Product Designer|Product Marketing Manager"
    ),
    "Arts and Design": (
        "UX Designer|UI Designer|Graphic Designer|Art Director|Creative Director|Design Manager|"
        "Head of Design|Visual Designer|Interaction Designer|UX Researcher|Illustrator|Motion Designer|"
        "Interior Designer|Photographer|Videographer"
    ),
    "Marketing": (
        "Marketing Manager|Marketing Director|Chief Marketing Officer|Vice President of Marketing|"
        "Digital Marketing Manager|Content Marketing Manager|Marketing Specialist|Marketing Coordinator|"
        "Growth Marketing Manager|Demand Generation Manager|SEO Specialist|Social Media Manager|"
        "Brand Manager|Head of Marketing|Marketing Operations Manager|Performance Marketing Manager|"
        "Field Marketing Manager|Communications Manager|Public Relations Manager|Copywriter|"
        "Content Strategist|Email Marketing Specialist"
    ),
    "Sales": (
        "Account Executive|Senior Account Executive|Enterprise Account Executive|Sales Manager|"
        "Sales Director|Vice President of Sales|Chief Revenue Officer|Sales Representative|"
        "Sales Development Representative|Business Development Representative|Account Manager|"
        "Key Account Manager|Regional Sales Manager|Inside Sales Representative|Sales Engineer|"
        "Sales Operations Manager|Head of Sales|Channel Sales Manager|Territory Manager|"
        "Retail Sales Associate|Store Manager"
    ),
    "Business Development": (
        "Business Development Manager|Director of Business Development|"
        "Vice President of Business Development|Partnerships Manager|Head of Partnerships|"
        "Strategic Partnerships Director|Alliance Manager|Business Development Executive"
    ),
    "Customer Success and Support": (
        "Customer Success Manager|Director of Customer Success|Vice President of Customer Success|"
        "Customer Service Representative|Customer Support Specialist|Customer Support Manager|"
        "Technical Account Manager|Client Services Manager|Customer Experience Manager|Call Center Agent"
    ),
    "Finance": (
        "Chief Financial Officer|Finance Manager|Financial Analyst|Senior Financial Analyst|"
        "Finance Director|Controller|Vice President of Finance|Treasurer|Investment Analyst|"
        "Portfolio Manager|Investment Banker|Financial Advisor|Credit Analyst|Risk Manager|"
        "FP&A Manager|Head of Finance|Relationship Manager|Loan Officer"
    ),
    "Accounting": (
        "Accountant|Senior Accountant|Staff Accountant|Accounting Manager|Auditor|Internal Auditor|"
        "Tax Manager|Tax Accountant|Bookkeeper|Accounts Payable Specialist|Payroll Specialist|"
        "Chief Accounting Officer"
    ),
    "Human Resources": (
        "Human Resources Manager|HR Business Partner|Recruiter|Technical Recruiter|"
        "Talent Acquisition Manager|Chief People Officer|HR Director|Vice President of People|"
        "HR Generalist|Talent Acquisition Specialist|"
        "Compensation and Benefits Manager|Learning and Development Manager|Head of People|"
        "People Operations Manager|HR Coordinator"
    ),
    "Operations": (
        "Operations Manager|Chief Operating Officer|Director of Operations|Vice President of Operations|"
        "Operations Analyst|Supply Chain Manager|Logistics Manager|Warehouse Manager|Plant Manager|"
        "Production Manager|Facilities Manager|Fleet Manager|Business Operations Manager|"
        "Head of Operations|Operations Coordinator|General Manager|Chief Executive Officer|President|"
        "Managing Director|Founder|Co-Founder|Owner"
    ),
    "Program and Project Management": (
        "Project Manager|Senior Project Manager|Program Manager|Senior Program Manager|"
        "Technical Program Manager|Project Coordinator|Scrum Master|Agile Coach|"
        "Portfolio Manager (Projects)|Director of Program Management|PMO Manager|Delivery Manager"
    ),
    "Consulting": (
        "Consultant|Senior Consultant|Management Consultant|Strategy Consultant|Principal Consultant|"
        "Associate Consultant|Technology Consultant|Business Analyst|Senior Business Analyst|"
        "Engagement Manager|Partner"
    ),
    "Legal": (
        "General Counsel|Attorney|Lawyer|Associate Attorney|Paralegal|Legal Counsel|"
        "Corporate Counsel|Compliance Manager|Chief Compliance Officer|Legal Assistant|Privacy Officer"
    ),
    "Education": (
        "Teacher|High School Teacher|Professor|Associate Professor|Assistant Professor|Lecturer|"
        "Teaching Assistant|Principal|Instructional Designer|Tutor|Dean|Academic Advisor"
    ),
    "Healthcare Services": (
        "Registered Nurse|Physician|Nurse Practitioner|Pharmacist|Physical Therapist|Medical Assistant|"
        "Dentist|Healthcare Administrator|Clinical Research Coordinator|Medical Director|"
        "Chief Medical Officer|Psychologist|Veterinarian"
    ),
    "Administrative": (
        "Administrative Assistant|Executive Assistant|Office Manager|Receptionist|Office Administrator|"
        "Personal Assistant|Data Entry Clerk|Chief of Staff"
    ),
    "Media and Communication": (
        "Journalist|Editor|Content Writer|Producer|Communications Director|Technical Writer|"
        "Public Relations Specialist|Community Manager|Video Producer|Podcast Host"
    ),
    "Purchasing": (
        "Purchasing Manager|Buyer|Procurement Manager|Procurement Specialist|Category Manager|"
        "Chief Procurement Officer|Sourcing Manager"
    ),
    "Quality Assurance": (
        "Quality Assurance Manager|Quality Engineer|Quality Control Inspector|Quality Manager|"
        "Regulatory Affairs Specialist"
    ),
    "Real Estate": (
        "Real Estate Agent|Realtor|Property Manager|Real Estate Broker|Leasing Consultant|"
        "Asset Manager|Real Estate Developer"
    ),
    "Entrepreneurship": ("Entrepreneur|Startup Founder|Self Employed|Freelancer|Independent Consultant"),
    "Military and Protective Services": (
        "Security Officer|Police Officer|Officer (Military)|Firefighter|Security Manager|Soldier"
    ),
    "Community and Social Services": (
        "Social Worker|Case Manager|Program Coordinator|Volunteer Coordinator|Counselor|Nonprofit Director"
    ),
}
_TITLE_BASE = 100_000


def _numbered(groups: dict[str, str], base: int) -> tuple[tuple[int, str, str], ...]:
    rows: list[tuple[int, str, str]] = []
    for cluster, names in groups.items():
        for name in names.split("|"):
            rows.append((base + len(rows), name, cluster))
    return tuple(rows)


TITLES: tuple[tuple[int, str, str], ...] = _PINNED_TITLES + _numbered(_TITLES_BY_FUNCTION, _TITLE_BASE)

_PINNED_SKILLS: tuple[tuple[int, str, str], ...] = (
    (17, "Kubernetes", "Cloud and infrastructure"),
    (2086, "Developer Tools", "Software development"),
)
_SKILLS_BY_AREA = {
    "Software development": (
        "Python (Programming Language)|Java|JavaScript|TypeScript|C++|C#|Go (Programming Language)|Rust|"
        "Ruby|PHP|Kotlin|Swift (Programming Language)|Scala|SQL|React.js|Angular|Vue.js|Node.js|Django|"
        "Spring Boot|.NET Framework|Git|Software Development|Software Architecture|Microservices|"
        "REST APIs|GraphQL|Test-Driven Development|Agile Methodologies|Scrum|Object-Oriented Programming|"
        "Distributed Systems|Mobile Application Development|Web Development|API Design|Code Review"
    ),
    "Cloud and infrastructure": (
        "Amazon Web Services (AWS)|Microsoft Azure|Google Cloud Platform (GCP)|Docker|Terraform|Linux|"
        "DevOps|Continuous Integration and Continuous Delivery (CI/CD)|Site Reliability Engineering|"
        "Cloud Computing|Networking|Ansible|Jenkins|Observability|Infrastructure as Code|"
        "Platform Engineering|Serverless Computing|Helm"
    ),
    "Data and AI": (
        "Machine Learning|Data Analysis|Data Science|Deep Learning|Artificial Intelligence (AI)|"
        "Natural Language Processing (NLP)|Computer Vision|Statistics|Data Visualization|Tableau|"
        "Power BI|Apache Spark|Big Data|Data Engineering|ETL|Data Warehousing|Snowflake|PyTorch|"
        "TensorFlow|Generative AI|Large Language Models (LLM)|Microsoft Excel|R (Programming Language)|"
        "Business Intelligence (BI)|Data Modeling|Predictive Modeling"
    ),
    "Security": (
        "Cybersecurity|Information Security|Network Security|Penetration Testing|"
        "Identity and Access Management|"
        "Security Operations|Incident Response|Risk Management|Cloud Security|Compliance|ISO 27001|SOC 2"
    ),
    "Marketing": (
        "Digital Marketing|Marketing Strategy|Content Marketing|Search Engine Optimization (SEO)|"
        "Social Media Marketing|Email Marketing|Marketing Automation|Brand Management|Google Analytics|"
        "Google Ads|LinkedIn Marketing|Product Marketing|Demand Generation|Account-Based Marketing|"
        "Copywriting|Public Relations|Event Planning|HubSpot|Marketo|Growth Hacking"
    ),
    "Sales": (
        "Sales|B2B Sales|Business Development|Account Management|Negotiation|Salesforce.com|"
        "Customer Relationship Management (CRM)|Lead Generation|Cold Calling|Sales Management|"
        "Solution Selling|Enterprise Software Sales|SaaS|Channel Partners|Key Account Management"
    ),
    "Management": (
        "Leadership|Team Leadership|Project Management|Program Management|Strategic Planning|"
        "Management|Change Management|Stakeholder Management|People Management|Product Management|"
        "Operations Management|Business Strategy|Cross-functional Team Leadership|Budgeting|"
        "Process Improvement|Lean Six Sigma|Executive Leadership|Product Strategy|Roadmapping"
    ),
    "Finance": (
        "Financial Analysis|Accounting|Financial Modeling|Budget Management|Forecasting|Auditing|"
        "Corporate Finance|Investment Banking|Valuation|Financial Reporting|Tax|Payroll|"
        "Accounts Payable|Risk Analysis|Private Equity|Venture Capital|Fintech"
    ),
    "People": (
        "Recruiting|Talent Acquisition|Human Resources (HR)|Employee Relations|Onboarding|"
        "Performance Management|Compensation and Benefits|Training and Development|Coaching|"
        "Diversity and Inclusion|HR Policies|Organizational Development"
    ),
    "Communication": (
        "Communication|Public Speaking|Customer Service|Teamwork|Problem Solving|Presentations|"
        "Writing|Editing|Research|Critical Thinking|English|Spanish|French|German|Mandarin"
    ),
    "Design": (
        "User Experience (UX)|User Interface Design|Figma (Software)|Adobe Photoshop|Adobe Illustrator|"
        "Graphic Design|Product Design|Design Thinking|Prototyping|User Research|Adobe InDesign"
    ),
    "Industry": (
        "Supply Chain Management|Logistics Management|Procurement|Manufacturing|Quality Assurance|"
        "Healthcare|Nursing|Pharmaceutics|Clinical Research|Real Estate|Construction|Legal Writing|"
        "Litigation|Contract Negotiation|Teaching|Curriculum Development|Higher Education"
    ),
}
_SKILL_BASE = 200_000
SKILLS: tuple[tuple[int, str, str], ...] = _PINNED_SKILLS + _numbered(_SKILLS_BY_AREA, _SKILL_BASE)
