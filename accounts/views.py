from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from violetvibes.openapi import documented_errors
from violetvibes.ratelimit import client_key
from violetvibes.validation import validated_body

from . import selectors, services
from .authentication import JWTAuthentication
from .serializers import (
    ActivityInSerializer,
    AuthResponseSerializer,
    LoginSerializer,
    LogoutSerializer,
    MeSerializer,
    NotificationTokenSerializer,
    PasswordChangeSerializer,
    PasswordConfirmSerializer,
    PreferencesSerializer,
    PreferencesUpdateResponseSerializer,
    PreferencesUpdateSerializer,
    ProfileResponseSerializer,
    ProfileSerializer,
    RefreshSerializer,
    SettingsSerializer,
    SignupSerializer,
    StatusSerializer,
    TokenPairSerializer,
    activity_data,
    user_data,
)
from .tokens import token_pair_for


def _auth_response(user: object, status_code: int = 200) -> Response:
    return Response({**token_pair_for(user), "user": user_data(user)}, status=status_code)


class _ChallengeWithBearer:
    """For views that take no credentials but answer 401 (wrong credentials, a bad refresh token): the
    challenge the 401 carries (WWW-Authenticate, read by the exception handler)."""

    def get_authenticate_header(self, request: Request) -> str:
        return JWTAuthentication().authenticate_header(request)


@extend_schema(tags=["auth"])
class SignupApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    ratelimit_group = "signup"

    @extend_schema(
        request=SignupSerializer,
        responses={
            201: AuthResponseSerializer,
            **documented_errors(
                "email_taken",
                rate_limited="more than 5 signups a minute from the address, or too many of its signups were for "
                "emails that have an account (5 a day: locked 10 minutes, doubling up to a day)",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        data = validated_body(SignupSerializer, request)
        user, tokens = services.user_signup(
            email=data["email"], password=data["password"], first_name=data.get("first_name") or "", address=client_key(request)
        )
        return Response({**tokens, "user": user_data(user)}, status=status.HTTP_201_CREATED)


@extend_schema(tags=["auth"])
class LoginApi(_ChallengeWithBearer, APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    ratelimit_group = "login"

    @extend_schema(
        request=LoginSerializer,
        # The schema class adds 400 and 429 to every view that reads a body, and 401 to those that
        # need a signed-in user (violetvibes.openapi); login and refresh answer 401 for what they are sent.
        responses={
            200: AuthResponseSerializer,
            **documented_errors(
                "invalid_credentials",
                rate_limited="too many failed sign-ins (5 for this email from this address, 20 an hour from this "
                "address, 100 a day for this email from addresses it has not signed in from; each lock doubles with "
                "the next failure, up to an hour), or more than 30 attempts a minute from the address",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        data = validated_body(LoginSerializer, request)
        user = services.user_authenticate(request=request, email=data["email"], password=data["password"])
        return _auth_response(user)


@extend_schema(tags=["auth"])
class RefreshApi(_ChallengeWithBearer, APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    ratelimit_group = "refresh"

    @extend_schema(
        request=RefreshSerializer,
        responses={200: TokenPairSerializer, **documented_errors("token_invalid", "token_expired")},
    )
    def post(self, request: Request) -> Response:
        data = validated_body(RefreshSerializer, request)
        return Response(services.tokens_refresh(refresh_token=data["refresh_token"]))


@extend_schema(tags=["auth"])
class LogoutApi(APIView):
    @extend_schema(request=LogoutSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        data = validated_body(LogoutSerializer, request)
        services.user_logout(
            user=request.user, access_token=request.auth, refresh_token=data.get("refresh_token"), everywhere=data["all"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["auth"])
class PasswordChangeApi(APIView):
    ratelimit_group = "password"

    @extend_schema(request=PasswordChangeSerializer, responses={200: TokenPairSerializer})
    def post(self, request: Request) -> Response:
        data = validated_body(PasswordChangeSerializer, request)
        tokens = services.user_password_change(
            user=request.user, current_password=data["current_password"], new_password=data["new_password"]
        )
        return Response(tokens)


@extend_schema(tags=["user"])
class MeApi(APIView):
    # Deleting checks the password: the same budget as a password change.
    ratelimit_group = {"GET": "default", "DELETE": "password"}
    # The recent activity is read with the user's row, in one round trip to Redis (accounts/usercache.py).
    user_with_recent_activity = ("GET",)

    @extend_schema(responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        recent = selectors.activity_recent(user=request.user)
        return Response({**user_data(request.user), "recent_activity": [activity_data(row) for row in recent]})

    @extend_schema(
        description="Deletes the account and everything kept for it. The body carries the account's password.",
        request=PasswordConfirmSerializer,
        responses={
            204: None,
            **documented_errors("validation_error", "invalid_json", validation_error="`fields.password`: missing or not correct"),
        },
    )
    def delete(self, request: Request) -> Response:
        data = validated_body(PasswordConfirmSerializer, request)
        services.user_delete(user=request.user, password=data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["user"])
class PreferencesApi(APIView):
    @extend_schema(responses={200: PreferencesSerializer})
    def get(self, request: Request) -> Response:
        return Response(request.user.preferences)

    @extend_schema(request=PreferencesUpdateSerializer, responses={200: PreferencesUpdateResponseSerializer})
    def post(self, request: Request) -> Response:
        body = PreferencesUpdateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        preferences = services.user_preferences_update(user=request.user, changes=body.validated_data)
        # What was repaired to be saved, for the apps to show (they ignore the key); never stored.
        return Response({**preferences, "adjusted": body.adjustments} if body.adjustments else preferences)


@extend_schema(tags=["user"])
class SettingsApi(APIView):
    @extend_schema(responses={200: SettingsSerializer})
    def get(self, request: Request) -> Response:
        return Response(request.user.settings)

    @extend_schema(request=SettingsSerializer, responses={200: SettingsSerializer})
    def post(self, request: Request) -> Response:
        changes = validated_body(SettingsSerializer, request)
        return Response(services.user_settings_update(user=request.user, changes=changes))


def _profile(user: object) -> dict:
    return {"first_name": user.first_name or None, "home_address": user.home_address or ""}


@extend_schema(tags=["user"])
class ProfileApi(APIView):
    @extend_schema(responses={200: ProfileResponseSerializer})
    def get(self, request: Request) -> Response:
        return Response(_profile(request.user))

    @extend_schema(request=ProfileSerializer, responses={200: ProfileResponseSerializer})
    def post(self, request: Request) -> Response:
        changes = validated_body(ProfileSerializer, request)
        return Response(_profile(services.user_profile_update(user=request.user, changes=changes)))


@extend_schema(tags=["user"])
class ActivityApi(APIView):
    @extend_schema(request=ActivityInSerializer, responses={200: StatusSerializer})
    def post(self, request: Request) -> Response:
        data = validated_body(ActivityInSerializer, request)
        services.activity_record(user=request.user, **data)
        return Response({"status": "ok"})


@extend_schema(tags=["user"])
class NotificationTokenApi(APIView):
    @extend_schema(request=NotificationTokenSerializer, responses={200: StatusSerializer})
    def post(self, request: Request) -> Response:
        data = validated_body(NotificationTokenSerializer, request)
        services.notification_token_set(user=request.user, token=data["token"])
        return Response({"status": "ok"})


