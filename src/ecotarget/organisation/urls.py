from django.urls import path

from . import views

app_name = "organisation"

urlpatterns = [
    path("units/<int:pk>/people/", views.people, name="people"),
    path("password/", views.password_change, name="password_change"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/add/", views.account_add, name="account_add"),
    path("accounts/import/", views.accounts_upload, name="accounts_upload"),
    path("accounts/import/confirm/", views.accounts_import_confirm, name="accounts_import_confirm"),
    path("accounts/active/", views.account_active, name="account_active"),
    path("accounts/template.xlsx", views.directory_template_download, name="directory_template"),
    path("setup/", views.setup, name="setup"),
    path("setup/region-template.xlsx", views.region_template_download, name="region_template"),
    path("password/set/<uidb64>/<token>/", views.PasswordSet.as_view(), name="password_set"),
    path("password/forgot/", views.PasswordForgot.as_view(), name="password_forgot"),
    path("password/forgot/sent/", views.PasswordForgotSent.as_view(), name="password_forgot_sent"),
]
