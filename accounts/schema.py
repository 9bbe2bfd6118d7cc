"""OpenAPI extensions. drf-spectacular documents simplejwt's own JWTAuthentication only, not subclasses."""

from typing import Any

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.plumbing import ResolvedComponent


class JWTAuthenticationScheme(SimpleJWTScheme):
    """Bearer access tokens (accounts.authentication.JWTAuthentication), the `jwtAuth` scheme."""

    target_class = "accounts.authentication.JWTAuthentication"


class OptionalJWTAuthenticationScheme(SimpleJWTScheme):
    """The same `jwtAuth` scheme, optional (the view's AllowAny adds the anonymous alternative).

    Components are keyed by authenticator class, so this one registers `jwtAuth` under
    JWTAuthentication's identity instead of its own: one scheme in the document, no name clash.
    """

    target_class = "accounts.authentication.OptionalJWTAuthentication"
    name: Any = []  # nothing registered under this class; see get_security_requirement

    def get_security_requirement(self, auto_schema: Any) -> dict[str, list]:
        from .authentication import JWTAuthentication

        auto_schema.registry.register_on_missing(
            ResolvedComponent(
                name=JWTAuthenticationScheme.name,
                type=ResolvedComponent.SECURITY_SCHEMA,
                object=JWTAuthentication,
                schema=self.get_security_definition(auto_schema),
            )
        )
        return {JWTAuthenticationScheme.name: []}
