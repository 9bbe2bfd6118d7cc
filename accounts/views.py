from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from violetvibes.ratelimit import hit
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

_ERRORS = {
    400: OpenApiResponse(description="Invalid JSON or fields: {error, code, request_id, fields}"),
    401: OpenApiResponse(description="Not signed in, or the token is invalid/expired"),
    429: OpenApiResponse(description="Rate limited; see Retry-After"),
}



def _auth_response(user: object, status_code: int = 200) -> Response:
    return Response({**token_pair_for(user), "user": user_data(user)}, status=status_code)


class _ChallengeWithBearer:
    """For views that take no credentials: DRF answers their 401s as 403 unless there is a challenge to send."""

    def get_authenticate_header(self, request: Request) -> str:
        return JWTAuthentication().authenticate_header(request)


@extend_schema(tags=["auth"])
class SignupApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    ratelimit_group = "signup"

    @extend_schema(request=SignupSerializer, responses={201: AuthResponseSerializer, 409: OpenApiResponse(description="email_taken"), **_ERRORS})
    def post(self, request: Request) -> Response:
        data = validated_body(SignupSerializer, request)
        user, tokens = services.user_signup(email=data["email"], password=data["password"], first_name=data.get("first_name") or "")
        return Response({**tokens, "user": user_data(user)}, status=status.HTTP_201_CREATED)


@extend_schema(tags=["auth"])
class LoginApi(_ChallengeWithBearer, APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    ratelimit_group = "login"

    @extend_schema(request=LoginSerializer, responses={200: AuthResponseSerializer, **_ERRORS})
    def post(self, request: Request) -> Response:
        data = validated_body(LoginSerializer, request)
        wait = hit(request, group="login_email", key=f"email:{data['email']}")
        if wait is not None:
            raise Throttled(wait)
        user = services.user_authenticate(request=request, email=data["email"], password=data["password"])
        return _auth_response(user)


@extend_schema(tags=["auth"])
class RefreshApi(_ChallengeWithBearer, APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    ratelimit_group = "refresh"

    @extend_schema(request=RefreshSerializer, responses={200: TokenPairSerializer, **_ERRORS})
    def post(self, request: Request) -> Response:
        data = validated_body(RefreshSerializer, request)
        return Response(services.tokens_refresh(refresh_token=data["refresh_token"]))


@extend_schema(tags=["auth"])
class LogoutApi(APIView):
    @extend_schema(request=LogoutSerializer, responses={204: None, **_ERRORS})
    def post(self, request: Request) -> Response:
        data = validated_body(LogoutSerializer, request)
        services.user_logout(
            user=request.user, access_token=request.auth, refresh_token=data.get("refresh_token"), everywhere=data["all"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["auth"])
class PasswordChangeApi(APIView):
    ratelimit_group = "password"

    @extend_schema(request=PasswordChangeSerializer, responses={200: TokenPairSerializer, **_ERRORS})
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

    @extend_schema(responses={200: MeSerializer, **_ERRORS})
    def get(self, request: Request) -> Response:
        recent = selectors.activity_recent(user=request.user)
        return Response({**user_data(request.user), "recent_activity": [activity_data(row) for row in recent]})

    @extend_schema(request=PasswordConfirmSerializer, responses={204: None, **_ERRORS})
    def delete(self, request: Request) -> Response:
        data = validated_body(PasswordConfirmSerializer, request)
        services.user_delete(user=request.user, password=data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["user"])
class PreferencesApi(APIView):
    @extend_schema(responses={200: PreferencesSerializer, **_ERRORS})
    def get(self, request: Request) -> Response:
        return Response(request.user.preferences)

    @extend_schema(request=PreferencesSerializer, responses={200: PreferencesSerializer, **_ERRORS})
    def post(self, request: Request) -> Response:
        changes = validated_body(PreferencesSerializer, request)
        return Response(services.user_preferences_update(user=request.user, changes=changes))


@extend_schema(tags=["user"])
class SettingsApi(APIView):
    @extend_schema(responses={200: SettingsSerializer, **_ERRORS})
    def get(self, request: Request) -> Response:
        return Response(request.user.settings)

    @extend_schema(request=SettingsSerializer, responses={200: SettingsSerializer, **_ERRORS})
    def post(self, request: Request) -> Response:
        changes = validated_body(SettingsSerializer, request)
        return Response(services.user_settings_update(user=request.user, changes=changes))


def _profile(user: object) -> dict:
    return {"first_name": user.first_name or None, "home_address": user.home_address or ""}


@extend_schema(tags=["user"])
class ProfileApi(APIView):
    @extend_schema(responses={200: ProfileResponseSerializer, **_ERRORS})
    def get(self, request: Request) -> Response:
        return Response(_profile(request.user))

    @extend_schema(request=ProfileSerializer, responses={200: ProfileResponseSerializer, **_ERRORS})
    def post(self, request: Request) -> Response:
        changes = validated_body(ProfileSerializer, request)
        return Response(_profile(services.user_profile_update(user=request.user, changes=changes)))


@extend_schema(tags=["user"])
class ActivityApi(APIView):
    @extend_schema(request=ActivityInSerializer, responses={200: StatusSerializer, **_ERRORS})
    def post(self, request: Request) -> Response:
        data = validated_body(ActivityInSerializer, request)
        services.activity_record(user=request.user, **data)
        return Response({"status": "ok"})


@extend_schema(tags=["user"])
class NotificationTokenApi(APIView):
    @extend_schema(request=NotificationTokenSerializer, responses={200: StatusSerializer, **_ERRORS})
    def post(self, request: Request) -> Response:
        data = validated_body(NotificationTokenSerializer, request)
        services.notification_token_set(user=request.user, token=data["token"])
        return Response({"status": "ok"})


