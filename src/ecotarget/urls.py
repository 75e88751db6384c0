from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from ecotarget.dashboard import views as dashboard_views
from ecotarget.organisation import views as organisation_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("login/", organisation_views.Login.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("plans/", include("ecotarget.plans.urls")),
    path("progress/", include("ecotarget.progress.urls")),
    path("organisation/", include("ecotarget.organisation.urls")),
    path("monitoring/", include("ecotarget.monitoring.urls")),
    path("dashboard/", include("ecotarget.dashboard.urls")),
    path("reports/", include("ecotarget.reports.urls")),
    path("jobs/", include("ecotarget.core.urls")),
    path("assessment/", include("ecotarget.assessment.urls")),
    # One login form, throttled: the admin's own login page sends to the site's (and back with ?next=).
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
]
