urlpatterns: list = []  # rankings endpoint goes here
