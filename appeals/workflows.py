"""Wagtail imports WAGTAIL_FINISH_WORKFLOW_ACTION while its own models are loading, so
this module must import nothing at the top; the work is in appeals.services."""


def finish_workflow(workflow_state, user=None):
    from appeals.services import appeal_workflow_finish

    return appeal_workflow_finish(workflow_state, user=user)
