from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "ecotarget.organisation"
    verbose_name = "组织机构"
