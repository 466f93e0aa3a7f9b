from django.db import migrations
from django.utils.text import slugify

# The UK's police forces: the 43 territorial forces of England and Wales, Police
# Scotland, the Police Service of Northern Ireland and British Transport Police.
FORCES = {
    "england": [
        "Avon and Somerset Constabulary",
        "Bedfordshire Police",
        "Cambridgeshire Constabulary",
        "Cheshire Constabulary",
        "City of London Police",
        "Cleveland Police",
        "Cumbria Constabulary",
        "Derbyshire Constabulary",
        "Devon and Cornwall Police",
        "Dorset Police",
        "Durham Constabulary",
        "Essex Police",
        "Gloucestershire Constabulary",
        "Greater Manchester Police",
        "Hampshire and Isle of Wight Constabulary",
        "Hertfordshire Constabulary",
        "Humberside Police",
        "Kent Police",
        "Lancashire Constabulary",
        "Leicestershire Police",
        "Lincolnshire Police",
        "Merseyside Police",
        "Metropolitan Police Service",
        "Norfolk Constabulary",
        "North Yorkshire Police",
        "Northamptonshire Police",
        "Northumbria Police",
        "Nottinghamshire Police",
        "South Yorkshire Police",
        "Staffordshire Police",
        "Suffolk Constabulary",
        "Surrey Police",
        "Sussex Police",
        "Thames Valley Police",
        "Warwickshire Police",
        "West Mercia Police",
        "West Midlands Police",
        "West Yorkshire Police",
        "Wiltshire Police",
    ],
    "wales": [
        "Dyfed-Powys Police",
        "Gwent Police",
        "North Wales Police",
        "South Wales Police",
    ],
    "scotland": ["Police Scotland"],
    "northern-ireland": ["Police Service of Northern Ireland"],
    "united-kingdom": ["British Transport Police"],
}


def add_forces(apps, schema_editor):
    PoliceForce = apps.get_model("homeward", "PoliceForce")
    for nation, names in FORCES.items():
        for name in names:
            PoliceForce.objects.update_or_create(
                slug=slugify(name), defaults={"name": name, "nation": nation}
            )


class Migration(migrations.Migration):
    dependencies = [("homeward", "0001_initial")]

    operations = [migrations.RunPython(add_forces, migrations.RunPython.noop)]
