"""Recurring jobs, run by `manage.py run_cron homeward.cron` (the Procfile's scheduler).

Every job here is safe to run twice: each one works out what is due from the database.
"""

from rq import cron

from appeals import jobs as appeal_jobs
from newsletter import jobs as newsletter_jobs
from sightings import jobs as sighting_jobs

cron.register(appeal_jobs.publish_scheduled, queue_name="default", cron="* * * * *")
cron.register(appeal_jobs.publicity_review, queue_name="default", cron="*/5 * * * *")
cron.register(appeal_jobs.social_posts_sweep, queue_name="default", cron="* * * * *")
cron.register(appeal_jobs.takedowns_sweep, queue_name="default", cron="* * * * *")
cron.register(appeal_jobs.photos_public_sweep, queue_name="default", cron="*/10 * * * *")
cron.register(appeal_jobs.appeals_retention_purge, queue_name="default", cron="29 3 * * *")
# Reviews of high-risk appeals fall due every RISK_REVIEW_INTERVAL_HOURS: the owning force
# hears within a quarter of an hour.
cron.register(appeal_jobs.risk_review_requests_send, queue_name="default", cron="*/15 * * * *")
cron.register(sighting_jobs.sightings_follow_up_sweep, queue_name="default", cron="* * * * *")
cron.register(sighting_jobs.sighting_hand_offs_sweep, queue_name="default", cron="* * * * *")
cron.register(sighting_jobs.sightings_retention_purge, queue_name="default", cron="17 3 * * *")
cron.register(newsletter_jobs.campaign_regular_due, queue_name="default", cron="*/15 * * * *")
# Every 20 seconds: a dead worker's batch of urgent alerts is sent again within a minute.
cron.register(newsletter_jobs.campaigns_sweep, queue_name="default", interval=20)
cron.register(newsletter_jobs.partner_notices_sweep, queue_name="default", interval=20)
# Partners' requests, from the buffer their API calls write to, into the access log.
cron.register(newsletter_jobs.partner_accesses_flush, queue_name="default", cron="* * * * *")
cron.register(newsletter_jobs.heroes_expire_unconfirmed, queue_name="default", cron="41 4 * * *")
