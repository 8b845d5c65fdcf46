"""Domain errors that services raise and views turn into translated messages."""


class DomainError(Exception):
    """Base for rule violations a user can cause; `message` is a lazy translated string."""

    def __init__(self, message, **context):
        super().__init__(str(message))
        self.message = message
        self.context = context


class DuplicateAccount(DomainError):
    pass


class DuplicateIdentifier(DomainError):
    pass


class InvalidToken(DomainError):
    pass


class DuplicateSkill(DomainError):
    pass
