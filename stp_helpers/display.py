"""Small display objects: Markdown and HTML blocks with a stable text form.

Notebook outputs are compared by nbval, so everything a notebook shows has
a deterministic plain-text form as well as its rich one.

Examples
--------
>>> Markdown("- one\\n- two")
- one
- two
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Markdown", "HTML", "bullets"]


@dataclass(frozen=True)
class Markdown:
    """Markdown shown as rich text in Jupyter and Voilà, as itself in plain text."""

    text: str

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


@dataclass(frozen=True)
class HTML:
    """HTML with an explicit plain-text form."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def bullets(items: list[str] | tuple[str, ...]) -> Markdown:
    """Return a Markdown bulleted list.

    >>> bullets(["a", "b"])
    - a
    - b
    """
    return Markdown("\n".join(f"- {item}" for item in items))
