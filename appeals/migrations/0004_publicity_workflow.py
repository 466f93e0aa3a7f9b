from django.db import migrations

from homeward.roles import PUBLISHERS, SAFEGUARDING_LEADS, roles_sync


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    AppealIndexPage = apps.get_model("appeals", "AppealIndexPage")

    roles_sync(apps=apps)  # administrators may now set the check's review periods

    def task(model_name, name, group_name):
        model = apps.get_model("appeals", model_name)
        content_type, _ = ContentType.objects.get_or_create(
            app_label="appeals", model=model_name.lower()
        )
        created, _ = model.objects.get_or_create(
            name=name, defaults={"active": True, "content_type": content_type}
        )
        created.groups.set([Group.objects.get(name=group_name)])
        return created

    workflow, _ = Workflow.objects.get_or_create(name="Appeal publicity", defaults={"active": True})
    for order, each in enumerate(
        [
            task("PublicityCheckTask", "Publicity safety check", SAFEGUARDING_LEADS),
            task("PublisherApprovalTask", "Publisher approval", PUBLISHERS),
        ]
    ):
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task_id=each.pk, defaults={"sort_order": order}
        )
    directory = AppealIndexPage.objects.get()
    WorkflowPage.objects.update_or_create(page_id=directory.pk, defaults={"workflow": workflow})

    # Wagtail's own "Moderators approval" workflow covers the whole tree and its group
    # is retired by our roles: administrators publish the home page and directory directly.
    WorkflowPage.objects.filter(page__depth=1).delete()
    Workflow.objects.filter(name="Moderators approval").update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0003_publicity_check"),
        ("homeward", "0004_roles"),
    ]

    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]
