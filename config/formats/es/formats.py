"""Spanish: "3 de diciembre de 2026" and "3 de diciembre de 2026, 09:30"; short: "3 dic, 09:30"."""

DATE_FORMAT = r"j \d\e F \d\e Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"

# Short forms for lists and badges, read by cityhall.core.moments (Django knows only its own names).
# "b" is the month's lowercase abbreviation, as Spanish writes it ("dic", not "Dic").
SHORT_DAY_FORMAT = "j b"  # 11 dic
SHORT_MOMENT_FORMAT = "j b, H:i"  # 11 dic, 17:00
SHORT_MOMENT_YEAR_FORMAT = "j b Y, H:i"  # 11 dic 2026, 17:00
