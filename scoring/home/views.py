from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from scoring.evaluation.selectors import period_list_for_user

from .panels import panels_for


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return render(request, "scoring/home.html", {"periods": [], "panels": []})
    return render(
        request,
        "scoring/home.html",
        {"periods": period_list_for_user(user=user), "panels": panels_for(user)},
    )
