"""Type hints of the native module; the documentation is in the docstrings it carries."""

from collections.abc import Iterable
from os import PathLike
from typing import Any, Literal, Optional, Union

__version__: str

Format = Literal["html", "htm", "markdown", "md", "text", "txt", "label"]
"""The copy formats a text can be read as (case-insensitive)."""

Finding = dict[str, Any]
"""A finding: path, rule, category, severity, severities, jurisdictions, message, span
(start, end, line, column, end_line, end_column), text, claim, suggestion, and evidence,
frame, related and also_at when there are."""

class Auditor:
    def __init__(
        self,
        config: Optional[Union[str, PathLike[str]]] = None,
        jurisdictions: Optional[list[str]] = None,
        product: Optional[Literal["cosmetic", "drug", "device", "supplement"]] = None,
        rules: Optional[list[Union[str, PathLike[str]]]] = None,
        no_default_rules: bool = False,
        select: Optional[list[str]] = None,
        ignore: Optional[list[str]] = None,
    ) -> None: ...
    @property
    def jurisdictions(self) -> list[str]: ...
    def audit_text(self, text: str, format: Format = "html", name: str = "<text>") -> list[Finding]: ...
    def audit_batch(
        self, texts: Iterable[str], format: Format = "html", names: Optional[Iterable[str]] = None
    ) -> list[list[Finding]]: ...
