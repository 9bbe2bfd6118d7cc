"""The mobile apps' traffic, for locust: students who sign up or log in, then use the app.

Run through `bench/load.py` (it starts nothing; it needs `INSTANCES=2 PROVIDERS=fake
TRUSTED_PROXY_COUNT=1 bench/stack start`). Every request goes to the next instance in turn, as
the platform's load balancer would send it, and each simulated student has an address of their
own in X-Forwarded-For, so the per-client rate limits apply per student as they do in production.

What one student does, by weight (the apps' screens): the dashboard on opening the app, quick
recommendations per category, top recommendations, a chat conversation of three turns where the
second and third are follow-ups, events, directions to a place, the weather; now and then the
profile, a token refresh, a new login, a new student signing up.
"""

import itertools
import json
import os
import random
import uuid
from pathlib import Path

from locust import HttpUser, between, task

INSTANCES = os.environ.get("VV_INSTANCES", "http://127.0.0.1:8100,http://127.0.0.1:8101").split(",")
# Students already signed up (bench/load.py creates them before the run): the apps keep their
# tokens, so opening the app does not log in again. Without the file, every student signs up.
ACCOUNTS = json.loads(Path(os.environ["VV_ACCOUNTS"]).read_text()) if os.environ.get("VV_ACCOUNTS") else []
PASSWORD = "bench-purple-42"
# Where students are: around Tandon / MetroTech and Washington Square.
SPOTS = [(40.6943, -73.9865), (40.6928, -73.9870), (40.6952, -73.9848), (40.7295, -73.9965), (40.7308, -73.9973)]
CATEGORIES = ("quick_bites", "cozy_cafes", "explore", "events")
CONVERSATIONS = (
    ("where can I get a quick slice?", "is the first one cheap?", "more options"),
    ("somewhere quiet to study", "how far is the second one?", "anything open late?"),
    ("fun things to do tonight", "more options", "is the first one free?"),
)
_addresses = itertools.count(1)
_new_accounts = itertools.count(1)


class Student(HttpUser):
    wait_time = between(1, 3)
    host = INSTANCES[0]

    def on_start(self) -> None:
        n = next(_addresses)
        self.ip = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        self.instances = itertools.cycle(random.sample(INSTANCES, len(INSTANCES)))
        self.lat, self.lng = random.choice(SPOTS)
        if n <= len(ACCOUNTS):
            account = ACCOUNTS[n - 1]
            self.email, self.token, self.refresh = account["email"], account["token"], account["refresh_token"]
        else:
            self.token = self.refresh = None
            self.email = f"load-{uuid.uuid4().hex[:12]}@nyu.edu"
            self.signup()

    def url(self, path: str) -> str:
        return next(self.instances) + path

    def headers(self, auth: bool = True) -> dict[str, str]:
        headers = {"X-Forwarded-For": self.ip}
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def call(self, method: str, path: str, name: str, auth: bool = True, **kwargs):
        with self.client.request(method, self.url(path), name=name, headers=self.headers(auth), catch_response=True, **kwargs) as response:
            if response.status_code == 429:
                response.failure("429 rate limited")
            elif response.status_code >= 400:
                response.failure(f"{response.status_code} {response.text[:120]}")
            return response

    def _take_tokens(self, response) -> None:
        if response.status_code in (200, 201):
            body = response.json()
            self.token, self.refresh = body["token"], body.get("refresh_token") or body.get("refresh")

    @task(1)
    def new_student(self) -> None:
        """Someone installs the app: this student's next screens are theirs."""
        self.email = f"load-{uuid.uuid4().hex[:12]}@nyu.edu"
        self.signup()

    def signup(self) -> None:
        body = {"email": self.email, "password": PASSWORD, "name": "Load Student"}
        self._take_tokens(self.call("POST", "/api/auth/signup", "POST /api/auth/signup", auth=False, json=body))

    @task(1)
    def login(self) -> None:
        body = {"email": self.email, "password": PASSWORD}
        self._take_tokens(self.call("POST", "/api/auth/login", "POST /api/auth/login", auth=False, json=body))

    @task(1)
    def refresh_token(self) -> None:
        if self.refresh:
            response = self.call("POST", "/api/auth/refresh", "POST /api/auth/refresh", auth=False, json={"refresh_token": self.refresh})
            if response.status_code == 200:
                body = response.json()
                self.token = body.get("token", self.token)
                self.refresh = body.get("refresh_token") or body.get("refresh") or self.refresh

    @task(3)
    def me(self) -> None:
        self.call("GET", "/api/user/me", "GET /api/user/me")

    @task(6)
    def dashboard(self) -> None:
        self.call("GET", f"/api/dashboard?latitude={self.lat}&longitude={self.lng}", "GET /api/dashboard")

    @task(8)
    def quick_recs(self) -> None:
        category = random.choice(CATEGORIES)
        path = f"/api/quick_recs?category={category}&latitude={self.lat}&longitude={self.lng}"
        self.call("GET", path, "GET /api/quick_recs")

    @task(4)
    def top_recommendations(self) -> None:
        self.call("GET", f"/api/top_recommendations?latitude={self.lat}&longitude={self.lng}", "GET /api/top_recommendations")

    @task(2)
    def chat_conversation(self) -> None:
        session = None  # the service issues it with the first answer
        for turn, message in enumerate(random.choice(CONVERSATIONS)):
            body = {"message": message, "latitude": self.lat, "longitude": self.lng, "session_id": session}
            response = self.call("POST", "/api/chat", "POST /api/chat (first turn)" if turn == 0 else "POST /api/chat (follow-up)", json=body)
            if response.status_code == 200:
                session = response.json().get("session_id")

    @task(4)
    def events(self) -> None:
        self.call("GET", "/api/events", "GET /api/events")

    @task(2)
    def engage_events(self) -> None:
        self.call("GET", "/api/nyu_engage_events", "GET /api/nyu_engage_events")

    @task(3)
    def directions(self) -> None:
        lat, lng = random.choice(SPOTS)
        self.call("GET", f"/api/directions?lat={lat}&lng={lng}&origin_lat={self.lat}&origin_lng={self.lng}", "GET /api/directions")

    @task(3)
    def weather(self) -> None:
        self.call("GET", f"/api/weather?lat={self.lat}&lon={self.lng}", "GET /api/weather")
