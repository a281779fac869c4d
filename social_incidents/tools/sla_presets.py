"""Deadline presets: the numbers of each regulation (see REGULATIONS.md).

Each line is (step, duration, unit, anchor). Units: ``minutes``, ``hours``,
``days`` count working time; ``calendar_minutes``, ``calendar_hours``,
``calendar_days`` count plain time. Anchors: ``detection`` (from the moment
the message was detected), ``start`` (from the start of the step),
``before_total`` (that long before the total deadline).
"""

# Korenovsk: everything in working time (KOR 9-19).
_KOR = [
    ("route", 30, "minutes", "detection"),  # KOR 10
    ("decline", 30, "minutes", "start"),  # KOR 11
    ("reroute", 30, "minutes", "start"),  # KOR 11
    ("clarification", 1, "hours", "start"),  # KOR 13
    ("info", 2, "hours", "start"),  # KOR 19
    ("draft", 3, "hours", "before_total"),  # KOR 12
    ("review", 30, "minutes", "start"),  # KOR 14
    ("rework", 1, "hours", "start"),  # KOR 15
    ("publish", 30, "minutes", "start"),  # KOR 16
    ("total", 8, "hours", "detection"),  # KOR 9
    ("final", 7, "days", "start"),  # KOR 18
]
# Lyambir: plain hours (LYA 6, 9, 11-13).
_LYA = [
    ("route", 2, "calendar_hours", "detection"),  # LYA 11
    ("draft", 8, "calendar_hours", "start"),  # LYA 12
    ("review", 1, "calendar_hours", "start"),  # LYA 13
    ("rework", 1, "calendar_hours", "start"),  # LYA 13
    ("publish", 1, "calendar_hours", "start"),  # LYA 6
    ("control", 1, "calendar_days", "start"),  # LYA 9
]
# Bataysk: plain hours, counted from the regional curator's detection (BAT 7-10).
_BAT = [
    ("draft", 3, "calendar_hours", "before_total"),  # BAT 9
    ("review", 30, "calendar_minutes", "start"),  # BAT 9
    ("rework", 1, "calendar_hours", "start"),  # BAT 9
    ("publish", 30, "calendar_minutes", "start"),  # BAT 10
    ("total", 24, "calendar_hours", "detection"),  # BAT 7
]
# Akhtubinsk: information for a consolidated reply in 2 working hours (AKH 3.2.1).
_AKH = [
    ("info", 2, "hours", "start"),
]


def _high(lines, **overrides):
    return [
        (step, overrides.get(step, duration), unit, anchor)
        for step, duration, unit, anchor in lines
    ]


PRESETS = {
    "kor": {
        "lines": {"normal": _KOR, "high": _high(_KOR, total=4)},  # KOR 17
        "publisher": "executor",  # KOR 16
        "pause_on_clarification": True,
    },
    "lya": {
        "lines": {"normal": _LYA, "high": _LYA},
        "publisher": "curator",  # LYA 6
        "pause_on_clarification": True,
    },
    "bat": {
        "lines": {"normal": _BAT, "high": _BAT},
        "publisher": "executor",  # BAT 10
        "pause_on_clarification": True,
    },
    "akh": {
        "lines": {"normal": _AKH, "high": _AKH},
        "publisher": None,  # the regulation does not say: keep the setting
        "pause_on_clarification": True,
    },
}
