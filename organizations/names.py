"""LAO names in dense tables: the type written short as officials write it (อบต., ทต., ทม.), the whole name on hover,
and the rest kept on one line, since Thai has no spaces and a browser's dictionary would split a proper name."""

from django.utils.html import escape

# Longest first: เทศบาลนคร and เทศบาลเมือง are not เทศบาลตำบล, and every prefix is matched whole.
TYPE_ABBREVIATIONS = (
    ("องค์การบริหารส่วนจังหวัด", "อบจ."),
    ("องค์การบริหารส่วนตำบล", "อบต."),
    ("เทศบาลนคร", "ทน."),
    ("เทศบาลเมือง", "ทม."),
    ("เทศบาลตำบล", "ทต."),
)


def short_name_html(name: str) -> str:
    """`<abbr title="เทศบาลตำบลด่านขุนทด">ทต.</abbr><span class="nowrap">ด่านขุนทด</span>`, escaped; a name
    without a type prefix (a district, a province) comes back as it is."""
    for full, short in TYPE_ABBREVIATIONS:
        if name.startswith(full) and len(name) > len(full):
            return (f'<abbr title="{escape(name)}">{short}</abbr>'
                    f'<span class="nowrap">{escape(name.removeprefix(full))}</span>')
    return escape(name)


def head_title(name: str) -> str:
    """The title of an LAO's head from its name: เทศบาลตำบลหนองบัว → นายกเทศมนตรีตำบลหนองบัว,
    องค์การบริหารส่วนตำบลกุดพิมาน → นายกองค์การบริหารส่วนตำบลกุดพิมาน, กรุงเทพมหานคร → ผู้ว่าราชการกรุงเทพมหานคร."""
    if name.startswith("เทศบาล"):
        return "นายกเทศมนตรี" + name.removeprefix("เทศบาล")
    if name == "กรุงเทพมหานคร":
        return "ผู้ว่าราชการ" + name
    return "นายก" + name
