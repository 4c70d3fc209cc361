class VietnameseFirstMiddleware:
    """Serve Vietnamese unless the user picked another language in the page.

    Civil servants' browsers often send "Accept-Language: en-US"; the product is Vietnamese first,
    so only the language cookie set by the language switcher may change it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
