from django.conf import settings
from django.utils import translation
from django.utils.translation import check_for_language


class LanguageMiddleware:
    """Indonesian for everyone unless the user picked another language.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: staff
    machines often run an English browser, and the app is an Indonesian government system.
    The choice made with the switcher (django.views.i18n.set_language) sits in a cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) and check_for_language(chosen) else None
        language = language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
