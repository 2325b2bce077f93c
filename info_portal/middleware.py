from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from info_portal.text import without_controls


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Thai unless the user picked another language in the menu: shared office computers often run an
    English browser, and the browser's Accept-Language must not switch a Thai clerk's portal to English."""

    def process_request(self, request) -> None:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


class ControlCharactersMiddleware:
    """Every text a form sends loses its control characters (Word's vertical tab and the like) before any view,
    form or admin page sees it: one place for every field. Passwords keep what was typed: they are compared,
    never shown or exported."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            posted = request.POST
            if any(without_controls(value) != value
                   for key, values in posted.lists() if _cleaned(key) for value in values):
                cleaned = posted.copy()
                for key in cleaned:
                    if _cleaned(key):
                        cleaned.setlist(key, [without_controls(value) for value in cleaned.getlist(key)])
                cleaned._mutable = False
                request.POST = cleaned
        return self.get_response(request)


FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _cleaned(key: str) -> bool:
    return "password" not in key
