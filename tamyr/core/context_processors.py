from django.http import HttpRequest

TEXT_SIZES = ("normal", "large", "larger")


def ui(request: HttpRequest) -> dict[str, object]:
    """Give every page the reader's text size and the menu entries their roles open."""
    from tamyr.orgs import access

    size = request.COOKIES.get("tamyr_text_size", "normal")
    user = getattr(request, "user", None)
    nav = {}
    if user is not None and user.is_authenticated:
        nav = {
            "members": access.may(user, access.MEMBER, access.VIEW),
            "discipline": access.may(user, access.DISCIPLINE, access.VIEW),
            "awards": access.may(user, access.AWARD, access.VIEW),
            "appeals": access.may(user, access.APPEAL, access.VIEW),
            "receptions": access.may(user, access.RECEPTION, access.VIEW),
            "figures": access.may(user, access.NODE, access.VIEW),
        }
    return {
        "text_size": size if size in TEXT_SIZES else "normal",
        "text_sizes": TEXT_SIZES,
        "nav": nav,
    }
