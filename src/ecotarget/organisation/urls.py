from django.urls import path

from . import views

app_name = "organisation"

urlpatterns = [
    path("units/<int:pk>/people/", views.people, name="people"),
    path("password/", views.password_change, name="password_change"),
    path("accounts/", views.accounts, name="accounts"),
    path("password/set/<uidb64>/<token>/", views.PasswordSet.as_view(), name="password_set"),
    path("password/forgot/", views.PasswordForgot.as_view(), name="password_forgot"),
    path("password/forgot/sent/", views.PasswordForgotSent.as_view(), name="password_forgot_sent"),
]
