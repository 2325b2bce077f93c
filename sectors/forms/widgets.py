"""The inputs of the sector form, written out in Python: the same HTML as Django's widget templates (input,
checkbox, textarea, radio and select), without a template render per input. A form of a few hundred inputs
spent most of its time there. A widget given another template renders it as Django does."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: `True` writes the name alone, `False` leaves the attribute out."""
    return "".join(f" {conditional_escape(name)}" if value is True else
                   f' {conditional_escape(name)}="{conditional_escape(value)}"'
                   for name, value in attrs.items() if value is not False)


def _input(widget: dict[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
    return (f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f'{value}{_attrs(widget["attrs"])}>\n')


def _textarea(widget: dict[str, Any]) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>\n'


def _input_option(option: dict[str, Any]) -> str:
    if not option["wrap_label"]:
        return _input(option) + "\n"
    target = option["attrs"].get("id")
    label_for = f' for="{conditional_escape(target)}"' if target else ""
    return f'<label{label_for}>{_input(option)} {conditional_escape(option["label"])}</label>\n'


def _multiple_input(widget: dict[str, Any]) -> str:
    attrs = widget["attrs"]
    html = [f'<div{_attr("id", attrs.get("id"))}{_attr("class", attrs.get("class"))}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            html.append(f"\n  <div><label>{conditional_escape(group)}</label>")
        # radio_option.html includes input_option.html and ends a line of its own.
        html.extend(f"<div>\n    {_input_option(option)}\n</div>" for option in options)
        if group:
            html.append("\n  </div>")
    html.append("\n</div>\n")
    return "".join(html)


def _select(widget: dict[str, Any]) -> str:
    html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            html.append(f'\n  <optgroup label="{conditional_escape(group)}">')
        html.extend(f'\n  <option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
                    f'{conditional_escape(option["label"])}</option>\n' for option in options)
        if group:
            html.append("\n  </optgroup>")
    html.append("\n</select>\n")
    return "".join(html)


def _attr(name: str, value: Any) -> str:
    return f' {name}="{conditional_escape(value)}"' if value else ""


_WRITERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "django/forms/widgets/text.html": _input,
    "django/forms/widgets/hidden.html": _input,
    "django/forms/widgets/checkbox.html": _input,
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/radio.html": _multiple_input,
    "django/forms/widgets/select.html": _select,
}


class WrittenOut:
    """Renders the widget's own template by the writer above, stripped as Django's renderer strips it."""

    def _render(self, template_name, context, renderer=None):
        writer = _WRITERS.get(template_name)
        if writer is None:
            return super()._render(template_name, context, renderer)
        return mark_safe(writer(context["widget"]).strip())


class TextInput(WrittenOut, forms.TextInput):
    pass


class HiddenInput(WrittenOut, forms.HiddenInput):
    pass


class CheckboxInput(WrittenOut, forms.CheckboxInput):
    pass


class Textarea(WrittenOut, forms.Textarea):
    pass


class RadioSelect(WrittenOut, forms.RadioSelect):
    pass


class Select(WrittenOut, forms.Select):
    pass
