from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "tongchou.projects"
    label = "projects"
    verbose_name = "重点项目"
