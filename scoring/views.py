from django.shortcuts import render

from . import selectors


def home(request):
    periods = selectors.period_list_for_user(user=request.user) if request.user.is_authenticated else []
    return render(request, "scoring/home.html", {"periods": periods})
