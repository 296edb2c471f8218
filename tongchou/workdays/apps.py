from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "tongchou.workdays"
    label = "workdays"
    verbose_name = "工作日历"
