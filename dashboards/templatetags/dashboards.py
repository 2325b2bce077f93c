"""Small filters for the dashboard templates."""

from django import template

register = template.Library()


@register.filter
def bucket(share: float) -> str:
    """A colour class for a share certified (0–1): b0 none … b4 most, b5 all."""
    if share >= 1:
        return "b5"
    if share <= 0:
        return "b0"
    return f"b{min(int(share * 4) + 1, 4)}"


@register.filter
def percent(share: float) -> str:
    return f"{share * 100:.1f}"


@register.filter(name="abs")
def absolute(value: int | None) -> int | None:
    return abs(value) if value is not None else None
