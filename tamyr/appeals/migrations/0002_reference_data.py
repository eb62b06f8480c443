from django.db import migrations

TYPES = [
    # code, kk, ru, en, answer days
    ("appeal", "Өтініш", "Заявление", "Request", 15),
    ("complaint", "Шағым", "Жалоба", "Complaint", 15),
    ("proposal", "Ұсыныс", "Предложение", "Proposal", 15),
    ("response", "Сұрау салу", "Отклик", "Response", 15),
]
TOPICS = [
    ("housing", "Тұрғын үй және коммуналдық шаруашылық", "ЖКХ и жильё", "Housing and utilities"),
    ("health", "Денсаулық сақтау", "Здравоохранение", "Health care"),
    ("education", "Білім беру", "Образование", "Education"),
    ("social", "Әлеуметтік қорғау", "Социальная защита", "Social protection"),
    ("employment", "Жұмыспен қамту", "Трудоустройство", "Employment"),
    ("land", "Жер қатынастары", "Земельные отношения", "Land"),
    ("roads", "Жолдар және көлік", "Дороги и транспорт", "Roads and transport"),
    ("law", "Құқық қорғау және сот", "Правопорядок и суды", "Law and courts"),
    ("business", "Кәсіпкерлікті қолдау", "Поддержка предпринимательства", "Business support"),
    ("ecology", "Экология", "Экология", "Environment"),
    ("other", "Басқа", "Другое", "Other"),
]
FORMATS = [
    ("regular", "Тұрақты қабылдау", "Плановый приём", "Regular reception"),
    ("office_on_the_road", "«Жолдағы кеңсе»", "«Офис в пути»", "“Office on the road”"),
    ("justice_advises", "«Әділет кеңес береді»", "«Юстиция консультирует»", "“Justice advises”"),
    (
        "family_week",
        "«Отбасын қолдау апталығы»",
        "«Неделя поддержки семьи»",
        "“A week for family support”",
    ),
]


def load(apps, schema_editor):
    AppealType = apps.get_model("appeals", "AppealType")
    Topic = apps.get_model("appeals", "Topic")
    ReceptionFormat = apps.get_model("appeals", "ReceptionFormat")
    for code, kk, ru, en, days in TYPES:
        AppealType.objects.update_or_create(
            code=code,
            defaults={"name": en, "name_kk": kk, "name_ru": ru, "name_en": en, "answer_days": days},
        )
    for model, rows in ((Topic, TOPICS), (ReceptionFormat, FORMATS)):
        for code, kk, ru, en in rows:
            model.objects.update_or_create(
                code=code, defaults={"name": en, "name_kk": kk, "name_ru": ru, "name_en": en}
            )


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
