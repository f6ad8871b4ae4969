"""The error every service of the project raises for a request it cannot carry out."""


class ServiceError(Exception):
    """A request that cannot be carried out; `message` is translated for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class AlreadyDone(ServiceError):
    """The request was already carried out (a double click, a second tab): the page shows the
    result with this message rather than an error."""
