from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ecotarget.dashboard import views as dashboard_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("plans/", include("ecotarget.plans.urls")),
    path("progress/", include("ecotarget.progress.urls")),
    path("organisation/", include("ecotarget.organisation.urls")),
    path("monitoring/", include("ecotarget.monitoring.urls")),
    path("dashboard/", include("ecotarget.dashboard.urls")),
    path("reports/", include("ecotarget.reports.urls")),
    path("admin/", admin.site.urls),
]
