from django.http import HttpRequest

TEXT_SIZES = ("normal", "large", "larger")


def ui(request: HttpRequest) -> dict[str, object]:
    """Give every page the reader's text size and the roles shown in the header."""
    size = request.COOKIES.get("tamyr_text_size", "normal")
    return {"text_size": size if size in TEXT_SIZES else "normal", "text_sizes": TEXT_SIZES}
