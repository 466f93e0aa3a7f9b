"""Recurring jobs, run by `manage.py rqcron homeward.cron` beside the RQ workers.

Every job here is safe to run twice: each one works out what is due from the database.
"""

from rq import cron

from appeals import jobs

cron.register(jobs.publish_scheduled, queue_name="default", cron="* * * * *")
cron.register(jobs.publicity_review, queue_name="default", cron="*/5 * * * *")
