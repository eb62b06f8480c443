# Kazakh formats as official documents write them: "2026 жылғы 23 қараша", "23.11.2026",
# a comma for decimals and a (non-breaking) space between thousands: "78 862".
# The "E" month names come from the "alt. month" context in our kk catalogue, in lower case.
DATE_FORMAT = r"Y \ж\ы\л\ғ\ы j E"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"Y \ж\ы\л\ғ\ы j E, H:i"
YEAR_MONTH_FORMAT = r"Y \ж\ы\л\ғ\ы F"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
