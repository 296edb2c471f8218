from django.core.management.base import BaseCommand, CommandError

from tongchou.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "为用户签发接口令牌（供 12345 热线、部门数据交换等系统调用 API）；令牌只显示一次。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="令牌所属用户名")
        parser.add_argument("--name", default="系统对接", help="令牌用途说明")

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在。")
        _, raw = ApiToken.issue(user=user, name=name)
        self.stdout.write(raw)
