from django.db import migrations

# The party's awards as the source documents name them; more can be added in the admin.
AWARD_TYPES = [
    ("active-work-badge", "badge", "«Белсенді жұмысы үшін» төсбелгісі",
     "Нагрудный знак «За активную работу»", "Badge \"For active work\""),
    ("certificate-of-honour", "certificate", "Құрмет грамотасы", "Почётная грамота",
     "Certificate of Honour"),
    ("peoples-gratitude-medal", "medal", "«Халық алғысы» медалі", "Медаль «Народная благодарность»",
     "Medal \"People's gratitude\""),
    ("letter-of-thanks", "letter", "Алғыс хат", "Благодарственное письмо", "Letter of thanks"),
]


def add_award_types(apps, schema_editor):
    AwardType = apps.get_model("members", "AwardType")
    for code, kind, kk, ru, en in AWARD_TYPES:
        AwardType.objects.get_or_create(
            code=code,
            defaults={"kind": kind, "name": kk, "name_kk": kk, "name_ru": ru, "name_en": en},
        )


def remove_award_types(apps, schema_editor):
    AwardType = apps.get_model("members", "AwardType")
    AwardType.objects.filter(code__in=[a[0] for a in AWARD_TYPES], conferrals=None).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(add_award_types, remove_award_types)]
