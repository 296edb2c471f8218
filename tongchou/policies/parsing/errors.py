"""Parser errors carry a stable code and a Chinese message (wrapped by the Django layer)."""


class ParseError(Exception):
    def __init__(self, code: str, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail
