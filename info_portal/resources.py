"""The base of every django-import-export resource: what the admin downloads is never a formula nor holds a
control character, and what it uploads loses its control characters and the apostrophe the download added."""

from import_export import resources, widgets

from info_portal.text import cell_value, formula_unquoted, without_controls

# Widgets that render a number, a flag or a date: a leading minus there is a sign, not a formula.
_TYPED_WIDGETS = (widgets.NumberWidget, widgets.BooleanWidget, widgets.DateWidget, widgets.DateTimeWidget,
                  widgets.TimeWidget, widgets.DurationWidget)


class SpreadsheetSafeResource(resources.ModelResource):
    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if isinstance(value, str) and not isinstance(field.widget, _TYPED_WIDGETS):
            return cell_value(value)
        return value

    def import_row(self, row, instance_loader, **kwargs):
        for key, value in list(row.items()):
            if isinstance(value, str):
                row[key] = formula_unquoted(without_controls(value))
        return super().import_row(row, instance_loader, **kwargs)
