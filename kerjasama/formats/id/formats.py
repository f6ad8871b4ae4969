# Indonesian formats for Kerja Sama (docs/domain.md §9).
# Long dates spell the month out ("21 Juli 2023"), never Django's abbreviated "j N Y".
# Input dates accept dd-mm-yyyy, dd/mm/yyyy and ISO only: never the ambiguous mm/dd/yyyy.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
TIME_FORMAT = "H.i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H.i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-11-22' (what <input type="date"> sends)
    "%d-%m-%Y",  # '22-11-2026'
    "%d/%m/%Y",  # '22/11/2026'
]
TIME_INPUT_FORMATS = [
    "%H:%M",
    "%H.%M",
    "%H:%M:%S",
    "%H.%M.%S",
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",  # what <input type="datetime-local"> sends
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%d-%m-%Y %H.%M",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H.%M",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
