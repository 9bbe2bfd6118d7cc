"""What the account services refuse, in the domain's words; violetvibes/errors.py answers them (ERRORS)."""

from violetvibes.errors import DomainError


class EmailTaken(DomainError):
    code = "email_taken"


class InvalidCredentials(DomainError):
    code = "invalid_credentials"


class RefreshTokenInvalid(DomainError):
    code = "token_invalid"
    default_message = "This refresh token is not valid. Please sign in again."


class RefreshTokenExpired(DomainError):
    code = "token_expired"
    default_message = "This refresh token has expired. Please sign in again."


class PasswordIncorrect(DomainError):
    """The account's password, asked again to confirm (a password change, deleting the account), is
    wrong: a 400 on the field that carried it, like any invalid field."""

    code = "validation_error"
    MESSAGE = "The password is not correct."

    def __init__(self, field: str) -> None:
        self.field = field
        super().__init__(f"{field}: {self.MESSAGE}", fields={field: [self.MESSAGE]})
