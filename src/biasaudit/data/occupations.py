"""Small built-in occupation lists, per language, for identity × occupation co-occurrence.

Hand-written, common nouns in their base (citation) form; words that are identity terms
of the scanned axis (e.g. gendered *policeman*) are dropped at scan time. Pass your own
list with ``ScanConfig(occupations=...)`` for a domain.
"""

from __future__ import annotations

OCCUPATIONS: dict[str, tuple[str, ...]] = {
    "en": (
        "engineer", "engineers", "nurse", "nurses", "doctor", "doctors", "teacher", "teachers",
        "programmer", "programmers", "scientist", "scientists", "lawyer", "lawyers", "pilot",
        "pilots", "secretary", "secretaries", "receptionist", "receptionists", "housekeeper",
        "housekeepers", "mechanic", "mechanics", "carpenter", "carpenters", "surgeon",
        "surgeons", "ceo", "manager", "managers", "librarian", "librarians", "cashier",
        "cashiers", "professor", "professors", "accountant", "accountants", "architect",
        "architects", "chef", "chefs", "cook", "cooks", "developer", "developers",
        "firefighter", "firefighters", "janitor", "janitors", "plumber", "plumbers",
        "soldier", "soldiers", "dancer", "dancers", "hairdresser", "hairdressers",
        "babysitter", "nanny", "farmer", "farmers", "driver", "drivers", "pharmacist",
        "judge", "judges", "physicist", "mathematician", "economist", "designer",
    ),
    "pl": (
        "inżynier", "inżynierowie", "lekarz", "lekarze", "programista", "programiści",
        "naukowiec", "naukowcy", "prawnik", "prawnicy", "pilot", "piloci", "sekretarz",
        "mechanik", "mechanicy", "stolarz", "chirurg", "chirurdzy", "menedżer",
        "bibliotekarz", "kasjer", "profesor", "księgowy", "architekt", "kucharz",
        "strażak", "hydraulik", "żołnierz", "rolnik", "kierowca", "farmaceuta", "sędzia",
        "fizyk", "matematyk", "ekonomista", "projektant", "pielęgniarka", "pielęgniarki",
        "nauczyciel", "nauczyciele",
    ),
    "vi": (
        "kỹ sư", "bác sĩ", "y tá", "giáo viên", "lập trình viên", "nhà khoa học", "luật sư",
        "phi công", "thư ký", "lễ tân", "thợ máy", "thợ mộc", "bác sĩ phẫu thuật",
        "giám đốc", "quản lý", "thủ thư", "thu ngân", "giáo sư", "kế toán", "kiến trúc sư",
        "đầu bếp", "lính cứu hỏa", "lao công", "thợ sửa ống nước", "nông dân", "tài xế",
        "dược sĩ", "thẩm phán", "nhà vật lý", "nhà kinh tế", "nhà thiết kế", "vũ công",
        "thợ làm tóc", "người giúp việc", "bảo mẫu",
    ),
    "nb": (
        "ingeniør", "ingeniører", "sykepleier", "sykepleiere", "lege", "leger", "lærer",
        "lærere", "programmerer", "programmerere", "forsker", "forskere", "advokat",
        "advokater", "pilot", "piloter", "sekretær", "resepsjonist", "mekaniker", "snekker",
        "kirurg", "sjef", "leder", "bibliotekar", "kasserer", "professor", "regnskapsfører",
        "arkitekt", "kokk", "utvikler", "brannkonstabel", "vaktmester", "rørlegger",
        "soldat", "danser", "frisør", "barnepike", "bonde", "sjåfør", "farmasøyt", "dommer",
        "fysiker", "økonom", "designer",
    ),
    "nn": (
        "ingeniør", "ingeniørar", "sjukepleiar", "sjukepleiarar", "lege", "legar", "lærar",
        "lærarar", "programmerar", "forskar", "forskarar", "advokat", "pilot", "sekretær",
        "mekanikar", "snikkar", "kirurg", "sjef", "leiar", "bibliotekar", "professor",
        "arkitekt", "kokk", "utviklar", "rørleggar", "soldat", "dansar", "frisør", "bonde",
        "sjåfør", "dommar", "fysikar", "økonom",
    ),
}


def occupation_terms(lang: str) -> tuple[str, ...]:
    """The built-in occupation list for ``lang`` (``no`` means Bokmål; empty if none)."""
    return OCCUPATIONS.get({"no": "nb", "nob": "nb", "nno": "nn"}.get(lang, lang), ())
