"""The error every service of the project raises for a request it cannot carry out."""


class ServiceError(Exception):
    """A request that cannot be carried out; `message` is translated for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message
