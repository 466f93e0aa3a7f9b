"""The social networks' HTTP APIs, faked with `responses` as the real ones answer.

Requests are matched on method and URL exactly as tweepy and Mastodon.py make them;
tests check the bodies themselves.
"""

import json

import responses

X_UPLOAD = "https://api.x.com/2/media/upload"
X_METADATA = "https://api.x.com/2/media/metadata"
X_TWEETS = "https://api.twitter.com/2/tweets"
X_MEDIA_ID = "1880028106020515840"
X_TWEET_ID = "1445880548472328192"

MASTODON = "https://mastodon.example"
MASTODON_MEDIA = f"{MASTODON}/api/v2/media"
MASTODON_STATUSES = f"{MASTODON}/api/v1/statuses"
MASTODON_MEDIA_ID = "109327811122510999"
MASTODON_STATUS_ID = "109327813577220436"


def x_accepts(network, *, tweet_id: str = X_TWEET_ID) -> None:
    network.add(
        responses.POST,
        X_UPLOAD,
        json={
            "data": {
                "id": X_MEDIA_ID,
                "media_key": f"3_{X_MEDIA_ID}",
                "size": 2048,
                "expires_after_secs": 86400,
                "image": {"image_type": "image/jpeg", "w": 600, "h": 750},
            }
        },
    )
    network.add(
        responses.POST,
        X_METADATA,
        json={"data": {"id": X_MEDIA_ID, "associated_metadata": True}},
    )
    network.add(
        responses.POST,
        X_TWEETS,
        status=201,
        json={"data": {"id": tweet_id, "text": "…", "edit_history_tweet_ids": [tweet_id]}},
    )


def x_deletes(network, *, tweet_id: str = X_TWEET_ID, status: int = 200) -> None:
    body = {"data": {"deleted": True}} if status == 200 else x_problem(status)
    network.add(responses.DELETE, f"{X_TWEETS}/{tweet_id}", status=status, json=body)


def x_problem(status: int) -> dict:
    """X's v2 error body (RFC 7807 problem details)."""
    titles = {
        401: "Unauthorized",
        404: "Not Found",
        429: "Too Many Requests",
        503: "Service Unavailable",
    }
    return {
        "title": titles.get(status, "Error"),
        "detail": titles.get(status, "Error"),
        "type": "about:blank",
        "status": status,
    }


def calls_to(network, method: str, url: str) -> list:
    return [
        call.request
        for call in network.calls
        if call.request.method == method and call.request.url == url
    ]


def json_body(request) -> dict:
    return json.loads(request.body)


def mastodon_accepts(network, *, status_id: str = MASTODON_STATUS_ID) -> None:
    network.add(
        responses.POST,
        MASTODON_MEDIA,
        json={
            "id": MASTODON_MEDIA_ID,
            "type": "image",
            "url": f"{MASTODON}/system/media_attachments/files/original/photo.jpg",
            "preview_url": f"{MASTODON}/system/media_attachments/files/small/photo.jpg",
            "description": "…",
            "blurhash": None,
        },
    )
    network.add(
        responses.POST,
        MASTODON_STATUSES,
        json={
            "id": status_id,
            "uri": f"{MASTODON}/users/homeward/statuses/{status_id}",
            "url": f"{MASTODON}/@homeward/{status_id}",
            "created_at": "2026-12-02T17:00:00.000Z",
            "content": "<p>…</p>",
            "visibility": "public",
            "media_attachments": [{"id": MASTODON_MEDIA_ID, "type": "image"}],
        },
    )
