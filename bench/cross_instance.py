"""Whether two instances sharing Redis and Postgres behave as one: chat memory and rate limits.

    INSTANCES=2 bench/stack start && .venv/bin/python bench/cross_instance.py

Checks (and prints) that a chat conversation alternating between the instances keeps its memory,
and that a rate limit counts requests made to both instances together.
"""

import argparse

import requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--a", default="http://127.0.0.1:8100")
    parser.add_argument("--b", default="http://127.0.0.1:8101")
    args = parser.parse_args()
    instances = [args.a, args.b]

    session = {}  # the first answer's session_id (the service issues it) carries the conversation on
    turns = ["where can I get a quick slice?", "is the first one cheap?", "more options", "how far is the second one?"]
    intents = []
    for i, message in enumerate(turns):
        base = instances[i % 2]
        body = requests.post(f"{base}/api/chat", json={"message": message}, headers=session, timeout=30).json()
        session = {"X-Session-ID": body.get("session_id", "")}
        intents.append(body.get("intent"))
        print(f"{base}  {message!r:40} -> intent={body.get('intent')} places={[p['name'] for p in body.get('places', [])]}")
    memory_ok = intents[1] == "follow_up" and intents[2] == "more_options" and intents[3] == "follow_up"
    print(f"chat memory across instances: {'kept' if memory_ok else 'LOST'}")

    # The chat limit is 10/min per client address: 12 requests alternating instances.
    statuses = []
    for i in range(12):
        response = requests.post(f"{instances[i % 2]}/api/chat", json={"message": "hi"}, headers=session, timeout=30)
        statuses.append(response.status_code)
    allowed = len(turns) + statuses.count(200)
    print(f"rate limit across instances: {allowed} of {len(turns) + 12} chat requests allowed this minute (limit 10/min); {statuses}")


if __name__ == "__main__":
    main()
