"""Rewrite the texts Tamyr wrote on timelines and cards to their English source.

Until now they were stored in the language of whoever's action caused them; from now on they
are stored as their source and shown in the reader's language (tamyr/core/system_texts.py).
The forms recognised are the catalogues' kk and ru translations of each text, and the status
codes the demo's generator wrote as a card's reason; a reason someone typed matches none of
them and stays as typed. Each form is one UPDATE, so a national registry is rewritten in SQL.
"""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Length, Substr

# The expulsion's reason: the source around the protocol number, then each translation's.
DECISION = ("decision of the Party Control Commission, protocol № ", "")
DECISION_FORMS = [
    ("Партиялық бақылау комиссиясының шешімі, № ", " хаттама"),
    ("решение Партийной контрольной комиссии, протокол № ", ""),
]
# Timeline reasons without a value: event kind, source, its earlier forms.
EVENT_TEXTS = [
    (
        "resumed",
        "expulsion overturned on appeal",
        [
            "партиядан шығару туралы шешімнің күші шағым бойынша жойылды",
            "исключение из партии отменено по апелляции",
        ],
    ),
    (
        "transferred",
        "merger of primary organisations",
        ["бастауыш партия ұйымдарының бірігуі", "слияние первичных партийных организаций"],
    ),
]
# Why a card was cancelled: source, its earlier forms.
CARD_TEXTS = [
    ("left the party", ["партиядан шықты", "вышел из партии", "left"]),
    ("expelled from the party", ["партиядан шығарылды", "исключён из партии", "expelled"]),
    ("died", ["қайтыс болды", "умер"]),
    (
        "replaced by a new card",
        ["жаңа партиялық билетпен ауыстырылды", "заменён новым партийным билетом"],
    ),
]


def texts_to_source(apps, schema_editor):
    """Rewrite every recognised form of a system text to its source."""
    Event = apps.get_model("members", "MembershipEvent")
    Card = apps.get_model("members", "MembershipCard")
    expelled = Event.objects.filter(kind="expelled")
    for prefix, suffix in DECISION_FORMS:
        number = Substr("reason", len(prefix) + 1, Length("reason") - len(prefix) - len(suffix))
        expelled.filter(reason__startswith=prefix, reason__endswith=suffix).update(
            reason=Concat(Value(DECISION[0]), number, Value(DECISION[1]))
        )
    for kind, source, forms in EVENT_TEXTS:
        Event.objects.filter(kind=kind, reason__in=forms).update(reason=source)
    cancelled = Event.objects.filter(kind="card_cancelled", reason__startswith="№ ")
    for source, forms in CARD_TEXTS:
        Card.objects.filter(cancel_reason__in=forms).update(cancel_reason=source)
        # "№ <card number>: <reason>"
        for form in forms:
            number = Substr("reason", 1, Length("reason") - len(form))
            cancelled.filter(reason__endswith=f": {form}").update(
                reason=Concat(number, Value(source))
            )


class Migration(migrations.Migration):
    dependencies = [("members", "0007_person_name_collated_indexes")]
    operations = [migrations.RunPython(texts_to_source, migrations.RunPython.noop)]
